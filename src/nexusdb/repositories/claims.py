"""Claims: reading them with their source, claimant and subjects, and adding new ones
through the checks the seeder applies (`nexusdb.writing`), so a quote that is not in its
source is refused."""

from collections.abc import Collection

from sqlalchemy import Select
from sqlalchemy.orm import joinedload, selectinload

from nexusdb.models import Actor, Claim, ClaimActor, Source
from nexusdb.repositories.base import Repository, id_of
from nexusdb.schemas.read import ClaimRead, Page
from nexusdb.schemas.seed import ClaimRecord
from nexusdb.writing import WriteRefusedError, write_claim

# A claim to add does not fit the database: unknown code or key, or a quote not found.
InvalidClaimError = WriteRefusedError


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

    def add(self, record: ClaimRecord) -> ClaimRead:
        """Add a claim written as in claims.yaml, through the seeder's checks (origin 'api');
        flushed, not committed.

        InvalidClaimError names the claim and the field at fault, in one line.
        """
        write_claim(self.session, record, quote=record.quote, occurrence=record.occurrence)
        return self.get(record.key)
