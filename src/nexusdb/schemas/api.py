"""What the HTTP API sends and takes: the read models with every date written to its
precision (`"2022-02"` with `"month"`, never a made-up day), and the write bodies."""

from datetime import date

from pydantic import BaseModel, ConfigDict

from nexusdb.schemas.dates import format_date
from nexusdb.schemas.read import SourceRead


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
