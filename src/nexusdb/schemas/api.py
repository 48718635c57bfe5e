"""What the HTTP API sends and takes: the read models with every date written to its
precision (`"2022-02"` with `"month"`, never a made-up day), and the write bodies."""

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, model_validator

from nexusdb.schemas.dates import format_date
from nexusdb.schemas.read import SourceRead
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


class SourceOut(ApiModel):
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

    @classmethod
    def of(cls, source: SourceRead) -> "SourceOut":
        fields = source.model_dump(exclude={"published_date"})
        return cls(**fields, published=precise(source.published_date, source.published_precision))


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
    rows: dict[str, int]
