"""Claims: reading them with their source, claimant and subjects, and adding new ones
through the checks the seeder applies (`nexusdb.writing`), so a quote that is not in its
source is refused."""

from collections.abc import Collection

from sqlalchemy import Select, text
from sqlalchemy.orm import joinedload, selectinload

from nexusdb.models import Actor, Certainty, Claim, ClaimActor, ClaimKind, Credibility, Source
from nexusdb.repositories.base import Repository, check_codes, id_of
from nexusdb.schemas.read import (
    ActorBrief,
    ClaimDetailRead,
    ClaimRead,
    ClaimRelationRead,
    EvidenceRead,
    Grading,
    Page,
    RecordGrounding,
    Relay,
    Segment,
    SourceBrief,
    TextGrounding,
)
from nexusdb.schemas.seed import ClaimRecord
from nexusdb.writing import WriteRefusedError, write_claim

# A claim to add does not fit the database: unknown code or key, or a quote not found.
InvalidClaimError = WriteRefusedError


# Everything a claim is evidence for, each with its stance, in one round trip.
EVIDENCE_FOR = text("""
SELECT 'event' AS kind, e.key, NULL AS detail, ev.stance
FROM event_evidence AS ev JOIN event AS e ON e.id = ev.event_id
WHERE ev.claim_id = :claim_id
UNION ALL
SELECT 'relationship', r.key, NULL, ev.stance
FROM relationship_evidence AS ev JOIN relationship AS r ON r.id = ev.relationship_id
WHERE ev.claim_id = :claim_id
UNION ALL
SELECT 'participant', e.key, a.key || ':' || p.role, ev.stance
FROM event_participant_evidence AS ev
JOIN event_participant AS p ON p.id = ev.participant_id
JOIN event AS e ON e.id = p.event_id
JOIN actor AS a ON a.id = p.actor_id
WHERE ev.claim_id = :claim_id
UNION ALL
SELECT 'quantity', e.key, q.kind, ev.stance
FROM event_quantity_evidence AS ev
JOIN event_quantity AS q ON q.id = ev.quantity_id
JOIN event AS e ON e.id = q.event_id
WHERE ev.claim_id = :claim_id
UNION ALL
SELECT 'event_materiel', e.key, m.key, ev.stance
FROM event_materiel_evidence AS ev
JOIN event_materiel AS em ON em.id = ev.event_materiel_id
JOIN event AS e ON e.id = em.event_id
JOIN materiel AS m ON m.id = em.materiel_id
WHERE ev.claim_id = :claim_id
UNION ALL
SELECT 'relationship_materiel', r.key, m.key, ev.stance
FROM relationship_materiel_evidence AS ev
JOIN relationship_materiel AS rm ON rm.id = ev.relationship_materiel_id
JOIN relationship AS r ON r.id = rm.relationship_id
JOIN materiel AS m ON m.id = rm.materiel_id
WHERE ev.claim_id = :claim_id
ORDER BY kind, key, detail NULLS FIRST, stance
""")

RELATIONS = text("""
SELECT 'outgoing' AS direction, cr.relation, other.key AS claim_key
FROM claim_relation AS cr JOIN claim AS other ON other.id = cr.related_claim_id
WHERE cr.claim_id = :claim_id
UNION ALL
SELECT 'incoming', cr.relation, other.key
FROM claim_relation AS cr JOIN claim AS other ON other.id = cr.claim_id
WHERE cr.related_claim_id = :claim_id
ORDER BY direction DESC, relation, claim_key
""")


def _actor_brief(actor: Actor) -> ActorBrief:
    return ActorBrief(
        key=actor.key, kind=actor.kind, name=actor.name, is_anonymous=actor.is_anonymous
    )


def _text_grounding(claim: Claim) -> TextGrounding | None:
    segment = claim.segment
    if segment is None or claim.quote is None or claim.span_start is None:
        return None
    assert claim.span_end is not None
    return TextGrounding(
        quote=claim.quote,
        span_start=claim.span_start,
        span_end=claim.span_end,
        segment_span_start=claim.span_start - segment.start_offset,
        segment_span_end=claim.span_end - segment.start_offset,
        segment=Segment(
            ordinal=segment.ordinal,
            start_offset=segment.start_offset,
            end_offset=segment.end_offset,
            text=segment.text,
        ),
    )


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
        certainty: str | None = None,
        source: str | None = None,
        claimant: str | None = None,
        about: str | None = None,
        credibility: Collection[str] | None = None,
        after: str | None = None,
        limit: int = 50,
    ) -> Page[ClaimRead]:
        """Claims by kind, certainty, source key, claimant key, an actor they are about,
        and credibility codes ("1" confirmed ... "6" cannot be judged)."""
        statement = self.loaded()
        if kind is not None:
            check_codes(self.session, ClaimKind, [kind])
            statement = statement.where(Claim.kind == kind)
        if certainty is not None:
            check_codes(self.session, Certainty, [certainty])
            statement = statement.where(Claim.certainty == certainty)
        if source is not None:
            statement = statement.where(Claim.source_id == id_of(Source, source))
        if claimant is not None:
            statement = statement.where(Claim.claimant_id == id_of(Actor, claimant))
        if about is not None:
            statement = statement.where(Claim.about.any(ClaimActor.actor_id == id_of(Actor, about)))
        if credibility is not None:
            check_codes(self.session, Credibility, credibility)
            statement = statement.where(Claim.credibility.in_(credibility))
        return self.page(statement, claim_read, after=after, limit=limit)

    def add(self, record: ClaimRecord) -> ClaimRead:
        """Add a claim written as in claims.yaml, through the seeder's checks (origin 'api');
        flushed, not committed.

        InvalidClaimError names the claim and the field at fault, in one line.
        """
        write_claim(self.session, record, quote=record.quote, occurrence=record.occurrence)
        return self.get(record.key)

    def detail(self, key: str) -> ClaimDetailRead:
        """The claim in full: its quote inside its paragraph (or its dataset record), the
        claimant, source and relay apart, its grading, and what it is evidence for."""
        claim = self.one(self.loaded(), key=key)
        relay: Relay | None = None
        if claim.reported_via_actor is not None:
            relay = Relay(
                kind="actor", key=claim.reported_via_actor.key, name=claim.reported_via_actor.name
            )
        elif claim.reported_via_source is not None:
            relay = Relay(
                kind="source",
                key=claim.reported_via_source.key,
                name=claim.reported_via_source.title,
            )
        source = claim.source
        evidence = self.session.execute(EVIDENCE_FOR, {"claim_id": claim.id}).mappings()
        relations = self.session.execute(RELATIONS, {"claim_id": claim.id}).mappings()
        return ClaimDetailRead(
            key=claim.key,
            text=claim.text,
            kind=claim.kind,
            certainty=claim.certainty,
            polarity=claim.polarity,
            grading=Grading(
                reliability=source.reliability,
                credibility=claim.credibility,
                code=source.reliability + claim.credibility,
            ),
            source=SourceBrief(
                key=source.key,
                kind=source.kind,
                title=source.title,
                url=source.url,
                reliability=source.reliability,
                published_date=source.published_date,
                published_precision=source.published_precision,
            ),
            claimant=_actor_brief(claim.claimant),
            reported_via=relay,
            text_grounding=_text_grounding(claim),
            record_grounding=(
                RecordGrounding(
                    record_id=claim.record_id,
                    record_field=claim.record_field,
                    record_data=claim.record_data,
                )
                if claim.record_id is not None
                else None
            ),
            about=sorted(link.actor.key for link in claim.about),
            evidence_for=[EvidenceRead(**row) for row in evidence],
            relations=[ClaimRelationRead(**row) for row in relations],
        )
