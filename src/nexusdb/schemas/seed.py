"""The seed files' records, as curators write them (see docs/seed-format.md).

These models check shape and types. Vocabulary codes, cross-file references and quotes
need the database or the other files, so `seeding.plan` checks them next.
"""

from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from nexusdb.schemas.dates import EdtfDate

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Text = Annotated[str, StringConstraints(min_length=1)]


class SeedModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(SeedModel):
    claim: Key
    stance: str = "supports"


def _evidence_item(value: Any) -> Any:
    """A bare claim key is shorthand for `{claim: KEY, stance: supports}`."""
    return {"claim": value} if isinstance(value, str) else value


EvidenceItem = Annotated[Evidence, BeforeValidator(_evidence_item)]
EvidenceList = Annotated[list[EvidenceItem], Field(min_length=1)]


class Record(SeedModel):
    key: Key


class Grounded(SeedModel):
    """What a row rests on: `source_text`, `inferred`, or `external` with a `basis_ref`
    (`wikidata:Q8683#P582`, `source:KEY`); `seeding.plan` checks the reference's form."""

    basis: str = "source_text"
    basis_ref: str | None = None

    @model_validator(mode="after")
    def _external_needs_reference(self) -> "Grounded":
        if self.basis == "external" and not self.basis_ref:
            raise ValueError("basis 'external' needs a basis_ref saying where it comes from")
        return self


class Curated(Record, Grounded):
    pass


class Dated(SeedModel):
    start: EdtfDate | None = None
    end: EdtfDate | None = None
    ongoing: bool = False
    date_basis: str | None = None
    date_basis_ref: str | None = None

    @model_validator(mode="after")
    def _interval(self) -> "Dated":
        if self.start and self.end and self.start.value > self.end.value:
            raise ValueError(f"start {self.start} is after end {self.end}")
        if self.ongoing and self.end:
            raise ValueError("an ongoing interval has no end")
        if self.date_basis == "external" and not self.date_basis_ref:
            raise ValueError(
                "date_basis 'external' needs a date_basis_ref saying where the dates come from"
            )
        return self


class Alias(SeedModel):
    name: Text
    kind: str = "alternative"
    language: str = "en"


class ExternalId(SeedModel):
    scheme: str
    value: Text


class ActorRecord(Curated):
    kind: str
    name: Text
    description: str | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    anonymous: bool = False
    scope: Key | None = None
    aliases: list[Alias] = []
    external_ids: list[ExternalId] = []

    @model_validator(mode="after")
    def _anonymous_needs_scope(self) -> "ActorRecord":
        if self.anonymous and self.scope is None:
            raise ValueError("an anonymous actor needs a scope: the source that mentions it")
        return self


class SourceFields(Curated):
    """A source as every writer gives it; its text comes from a file or a request body."""

    kind: str
    title: Text
    url: str | None = None
    archive_url: str | None = None
    publisher: Key | None = None
    published: EdtfDate | None = None
    language: str | None = None
    reliability: str = "F"
    licence: str | None = None
    may_redistribute: bool = False
    authors: list[Key] = []
    cites: list[Key] = []


class SourceRecord(SourceFields):
    text_file: str | None = None


class PlaceRecord(Curated):
    kind: str
    name: Text
    actor: Key | None = None
    iso_code: str | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None


class MaterielRecord(Curated):
    name: Text
    category: str
    producer: Key | None = None
    description: str | None = None


class ClaimRelationRecord(SeedModel):
    relation: str
    claim: Key


class ClaimFields(Record):
    """A claim as every writer gives it, but for its grounding."""

    source: Key
    claimant: Key | None = None
    reported_via: Key | None = None
    kind: str
    certainty: str
    polarity: str = "affirmed"
    credibility: str = "6"
    text: Text
    about: list[Key] = []
    relations: list[ClaimRelationRecord] = []


Occurrence = Annotated[int, Field(ge=1)]


class ClaimRecord(ClaimFields):
    """A seed claim quotes its source."""

    quote: Text
    occurrence: Occurrence | None = None


class Participant(Grounded):
    actor: Key
    role: str
    evidence: EvidenceList


class Quantity(Grounded):
    kind: str
    low: Decimal | None = None
    high: Decimal | None = None
    qualifier: str = "exact"
    unit: Text
    counted: Text
    wording: str | None = None
    evidence: EvidenceList

    @model_validator(mode="after")
    def _bounds(self) -> "Quantity":
        if self.low is None and self.high is None:
            raise ValueError("a quantity needs low, high or both")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low {self.low} is greater than high {self.high}")
        return self


class MaterielLink(SeedModel):
    materiel: Key
    evidence: EvidenceList


class EventRecord(Curated, Dated):
    type: str
    title: Text
    summary: str | None = None
    place: Key | None = None
    parent: Key | None = None
    factuality: str = "occurred"
    evidence: EvidenceList
    participants: list[Participant] = []
    quantities: list[Quantity] = []
    materiel: list[MaterielLink] = []


class RelationshipRecord(Curated, Dated):
    subject: Key
    type: str
    object: Key
    description: str | None = None
    certainty: str = "asserted"
    evidence: EvidenceList
    materiel: list[MaterielLink] = []

    @model_validator(mode="after")
    def _not_self(self) -> "RelationshipRecord":
        if self.subject == self.object:
            raise ValueError("a relationship needs two different actors")
        return self
