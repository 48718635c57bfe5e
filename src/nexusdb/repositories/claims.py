"""Claims: reading them with their source, claimant and subjects, and adding new ones
through the checks the seeder applies, so a quote that is not in its source is refused."""

from collections.abc import Collection

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from nexusdb.errors import NexusError
from nexusdb.grounding import QuoteNotFoundError, Segment, locate_in_segments
from nexusdb.models import Actor, Claim, ClaimActor, ClaimRelation, Source
from nexusdb.repositories.base import Repository, id_of
from nexusdb.schemas.read import ClaimRead, Page
from nexusdb.schemas.seed import ClaimRecord
from nexusdb.seeding.plan import VOCABULARIES, Vocabularies


class InvalidClaimError(NexusError):
    """A claim to add does not fit the database: unknown code or key, or a quote not found."""


def claim_read(claim: Claim) -> ClaimRead:
    relay = claim.reported_via_actor or claim.reported_via_source
    return ClaimRead(
        key=claim.key,
        source_key=claim.source.key,
        claimant_key=claim.claimant.key,
        reported_via_key=relay.key if relay else None,
        kind=claim.kind,
        certainty=claim.certainty,
        polarity=claim.polarity,
        credibility=claim.credibility,
        text=claim.text,
        quote=claim.quote,
        span_start=claim.span_start,
        span_end=claim.span_end,
        paragraph=claim.segment.ordinal if claim.segment else None,
        about=sorted(link.actor.key for link in claim.about),
    )


class ClaimRepository(Repository[Claim]):
    model = Claim
    noun = "claim"

    def loaded(self) -> Select[Claim]:
        return self.base_statement().options(
            joinedload(Claim.source),
            joinedload(Claim.claimant),
            joinedload(Claim.reported_via_actor),
            joinedload(Claim.reported_via_source),
            joinedload(Claim.segment),
            selectinload(Claim.about).joinedload(ClaimActor.actor),
        )

    def get(self, key: str) -> ClaimRead:
        return claim_read(self.one(self.loaded(), key=key))

    def find(
        self,
        *,
        kind: str | None = None,
        source: str | None = None,
        claimant: str | None = None,
        about: str | None = None,
        credibility: Collection[str] | None = None,
        after: str | None = None,
        limit: int = 50,
    ) -> Page[ClaimRead]:
        """Claims by kind, source key, claimant key, an actor they are about, and
        credibility codes ("1" confirmed ... "6" cannot be judged)."""
        statement = self.loaded()
        if kind is not None:
            statement = statement.where(Claim.kind == kind)
        if source is not None:
            statement = statement.where(Claim.source_id == id_of(Source, source))
        if claimant is not None:
            statement = statement.where(Claim.claimant_id == id_of(Actor, claimant))
        if about is not None:
            statement = statement.where(Claim.about.any(ClaimActor.actor_id == id_of(Actor, about)))
        if credibility is not None:
            statement = statement.where(Claim.credibility.in_(credibility))
        return self.page(statement, claim_read, after=after, limit=limit)

    def add(self, record: ClaimRecord, *, origin: str = "api") -> ClaimRead:
        """Add a claim written as in claims.yaml; flushed, not committed.

        InvalidClaimError names the claim and the field at fault, in one line.
        """

        def invalid(field: str, message: str) -> InvalidClaimError:
            return InvalidClaimError(f"claim {record.key!r}: field {field!r}: {message}")

        vocabularies = Vocabularies.load(self.session.connection())
        for vocabulary, field in (
            ("claim_kind", "kind"),
            ("certainty", "certainty"),
            ("polarity", "polarity"),
            ("credibility", "credibility"),
        ):
            value = getattr(record, field)
            if value not in vocabularies.codes[vocabulary]:
                raise invalid(field, f"unknown {VOCABULARIES[vocabulary]} {value!r}")
        if self.session.scalar(select(Claim.id).where(Claim.key == record.key)) is not None:
            raise invalid("key", "a claim with this key exists already")

        source = self.session.scalars(
            select(Source)
            .where(Source.key == record.source)
            .options(selectinload(Source.segments), selectinload(Source.authors))
        ).first()
        if source is None:
            raise invalid("source", f"unknown source key {record.source!r}")
        try:
            span = locate_in_segments(
                [
                    Segment(s.ordinal, s.kind, s.start_offset, s.end_offset, s.text)
                    for s in source.segments
                ],
                record.quote,
                record.occurrence,
            )
        except QuoteNotFoundError as error:
            raise invalid("quote", str(error)) from None

        actor_keys = {record.claimant, record.reported_via, *record.about} - {None}
        actors = dict(
            self.session.execute(select(Actor.key, Actor.id).where(Actor.key.in_(actor_keys))).all()
        )
        for field, key in (
            ("claimant", record.claimant),
            ("reported_via", record.reported_via),
            *((f"about[{index}]", key) for index, key in enumerate(record.about)),
        ):
            if key is not None and key not in actors:
                raise invalid(field, f"unknown actor key {key!r}")
        if record.claimant is not None:
            claimant_id = actors[record.claimant]
        elif source.authors:
            claimant_id = source.authors[0].actor_id
        else:
            raise invalid("claimant", "missing, and the source has no author to default to")

        related = dict(
            self.session.execute(
                select(Claim.key, Claim.id).where(
                    Claim.key.in_([relation.claim for relation in record.relations])
                )
            ).all()
        )
        for index, relation in enumerate(record.relations):
            if relation.claim not in related:
                raise invalid(f"relations[{index}].claim", f"unknown claim key {relation.claim!r}")

        claim = Claim(
            key=record.key,
            source_id=source.id,
            claimant_id=claimant_id,
            reported_via_actor_id=actors.get(record.reported_via) if record.reported_via else None,
            kind=record.kind,
            certainty=record.certainty,
            polarity=record.polarity,
            credibility=record.credibility,
            text=record.text,
            segment_id=next(s.id for s in source.segments if s.ordinal == span.segment.ordinal),
            span_start=span.start,
            span_end=span.end,
            quote=record.quote,
            origin=origin,
        )
        self.session.add(claim)
        self.session.flush()
        self.session.add_all(
            ClaimActor(claim_id=claim.id, actor_id=actors[key]) for key in record.about
        )
        self.session.add_all(
            ClaimRelation(
                claim_id=claim.id,
                relation=relation.relation,
                related_claim_id=related[relation.claim],
            )
            for relation in record.relations
        )
        self.session.flush()
        return self.get(record.key)
