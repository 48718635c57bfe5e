"""What the HTTP API sends and takes: the read models with every date written to its
precision (`"2022-02"` with `"month"`, never a made-up day), and the write bodies."""

from datetime import date
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from nexusdb.schemas.dates import format_date
from nexusdb.schemas.read import (
    ActorBrief,
    ClaimRelationRead,
    EvidenceRead,
    Grading,
    Participant,
    RecordGrounding,
    Relay,
    TextGrounding,
)
from nexusdb.schemas.seed import (
    ClaimFields,
    EventRecord,
    Occurrence,
    RelationshipRecord,
    SourceFields,
)


class ApiModel(BaseModel):
    model_config = ConfigDict(frozen=True)


def precise(value: date | None, precision: str | None) -> str | None:
    """A date as far as it is known: `2024`, `2024-11`, `2024-11-21`, `201X`."""
    if value is None or precision is None:
        return None
    return format_date(value, precision)


def _precise_dates(value: Any) -> Any:
    """Every `<name>_date` beside a `<name>_precision`, at any depth, as `<name>` written
    to its precision."""
    if isinstance(value, list):
        return [_precise_dates(item) for item in value]
    if not isinstance(value, dict):
        return value
    fields = {name: _precise_dates(item) for name, item in value.items()}
    for name in [name for name in fields if name.endswith("_date")]:
        stem = name.removesuffix("_date")
        if f"{stem}_precision" in fields:
            fields[stem] = precise(fields.pop(name), fields[f"{stem}_precision"])
    return fields


class ReadOut(ApiModel):
    """A read model as the API sends it: its dates written to their precision."""

    @classmethod
    def of(cls, read: BaseModel) -> Self:
        return cls.model_validate(_precise_dates(read.model_dump()))


class SourceOut(ReadOut):
    key: str
    kind: str
    title: str
    url: str | None
    publisher_key: str | None
    published: str | None
    published_precision: str | None
    language: str | None
    reliability: str
    may_redistribute: bool
    author_keys: list[str]


class Dated(ReadOut):
    """A start and an end, each to its own precision (`"2022-02"`, `"month"`); an open
    end is null, and `is_ongoing` says whether it still lasts."""

    start: str | None
    start_precision: str | None
    end: str | None
    end_precision: str | None
    is_ongoing: bool


class EventOut(Dated):
    key: str
    type: str
    title: str
    summary: str | None
    factuality: str
    place_key: str | None
    parent_event_key: str | None
    participants: list[Participant]


class TimelineEventOut(EventOut):
    """An event on the timeline, its period also in one string, as `nexusdb timeline` prints it."""

    period: str | None


class RelationshipOut(Dated):
    key: str
    subject_key: str
    type: str
    object_key: str
    description: str | None
    materiel: list[str]


class ActorRelationshipOut(Dated):
    """A relationship read from one actor's side (`key` is the relationship's; `label`
    the inverse one for an incoming edge: "receives arms from")."""

    key: str
    direction: str
    type: str
    label: str
    other_key: str
    other_name: str
    period: str | None


class ActorEventOut(Dated):
    """An event an actor took part in (`key` is the event's)."""

    key: str
    title: str
    type: str
    factuality: str
    period: str | None


class SourceBriefOut(ReadOut):
    key: str
    kind: str
    title: str
    url: str | None
    reliability: str
    published: str | None
    published_precision: str | None


class ClaimDetailOut(ReadOut):
    """One claim in full: what it says, who says it (`claimant`) as against where it was
    read (`source`) and through whom (`reported_via`), how sure, its grounding (a quote
    inside its paragraph, or a dataset record), and what it is evidence for."""

    key: str
    text: str
    kind: str
    certainty: str
    polarity: str
    grading: Grading
    source: SourceBriefOut
    claimant: ActorBrief
    reported_via: Relay | None
    text_grounding: TextGrounding | None
    record_grounding: RecordGrounding | None
    about: list[str]
    evidence_for: list[EvidenceRead]
    relations: list[ClaimRelationRead]


class Health(ApiModel):
    status: str
    revision: str | None


# -- writes (POST and PUT bodies, and what a write answers) -------------------------------


class SourceIn(SourceFields):
    """A source with its text, if any: segmented into paragraphs as the seeder segments a
    text file, so claims can quote it."""

    text: Annotated[str, StringConstraints(min_length=1)] | None = None


class ClaimIn(ClaimFields):
    """A claim grounded by exactly one of: a `quote` of its source (found as the seeder
    finds it; `occurrence` picks one of several), or a dataset record (`record_id`, with
    `record_field` and the raw `record_data`)."""

    quote: Annotated[str, StringConstraints(min_length=1)] | None = None
    occurrence: Occurrence | None = None
    record_id: Annotated[str, StringConstraints(min_length=1)] | None = None
    record_field: str | None = None
    record_data: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _one_grounding(self) -> "ClaimIn":
        if (self.quote is None) == (self.record_id is None):
            raise ValueError("a claim is grounded by a quote or by a record_id, exactly one")
        if self.quote is None and self.occurrence is not None:
            raise ValueError("occurrence picks one of a quote's places; there is no quote")
        if self.record_id is None and (self.record_field or self.record_data is not None):
            raise ValueError("record_field and record_data describe a record_id; there is none")
        return self

    def dataset_record(self) -> dict[str, Any] | None:
        if self.record_id is None:
            return None
        return {
            "record_id": self.record_id,
            "record_field": self.record_field,
            "record_data": self.record_data,
        }


class EventIn(EventRecord):
    """An event as in events.yaml, with the keys of the claims it rests on."""


class RelationshipIn(RelationshipRecord):
    """A relationship as in relationships.yaml, with the keys of the claims it rests on."""


class WriteOut(ApiModel):
    """What a write did: `created` is false when a PUT found the very same row there."""

    kind: str
    key: str
    origin: str
    created: bool
    location: str
    rows: dict[str, int] = Field(
        description="The rows this request added, per table: none when a PUT found its"
        " row already there."
    )
