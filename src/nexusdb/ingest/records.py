"""What every format turns a dataset record into, before anything reaches the database."""

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from nexusdb.errors import NexusError
from nexusdb.schemas.dates import PreciseDate


class IngestError(NexusError):
    """Bad dataset input: the message names the file, the line, the record and the field."""


class RecordError(ValueError):
    """One record is bad: which field, and what is wrong with it."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name} {message}")
        self.field_name = field_name


# Named tuples rather than frozen dataclasses: a few per record, built millions of times
# in a large import, and a tuple is several times cheaper to make.
class Participant(NamedTuple):
    """An actor as the record names it. `qid` and `iso3` let it resolve to a known actor."""

    name: str
    role: str
    kind: str
    qid: str | None = None
    iso3: str | None = None


class Quantity(NamedTuple):
    kind: str
    counted: str
    low: Decimal | int | None
    high: Decimal | int | None
    qualifier: str
    wording: str | None = None


class Location(NamedTuple):
    """Where the record places the event; `key` is the same for the same place in any record."""

    key: str
    name: str
    kind: str
    latitude: float | None
    longitude: float | None
    precision: str | None
    country_iso3: str | None


@dataclass
class Record:
    """One dataset record as the rows it stands for: an event, its actors, figures and claim."""

    record_id: str
    event_key: str
    # Compared element by element: a larger revision supersedes a stored record.
    revision: tuple[int, ...]
    event_type: str
    title: str
    summary: str | None
    start: PreciseDate | None
    end: PreciseDate | None
    location: Location | None
    claim_text: str
    # The raw record as JSON text, stored as the claim's record_data.
    record_json: str
    participants: list[Participant] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str, *, limit: int = 48) -> str:
    """A key fragment: ASCII letters and digits joined by hyphens ("Al-Shabaab" -> "al-shabaab")."""
    # ASCII is its own NFKD form: only other text needs the accents taken off.
    ascii_text = (
        text
        if text.isascii()
        else unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    )
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")[:limit].strip("-")


def stable_key(prefix: str, name: str, *identity: Any) -> str:
    """A readable key that is the same for the same identity in every file and database."""
    return _stable_key(prefix, name, "\x1f".join(str(part) for part in identity))


# Places repeat across a dataset's records: their keys are computed once per identity
# (bounded, so memory stays flat in the file's size).
@functools.lru_cache(maxsize=4096)
def _stable_key(prefix: str, name: str, identity: str) -> str:
    digest = hashlib.sha1(identity.encode()).hexdigest()[:10]
    readable = slug(name)
    return f"{prefix}-{readable}-{digest}" if readable else f"{prefix}-{digest}"


def parse_int(field_name: str, text: str, *, minimum: int | None = None) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise RecordError(field_name, f"{text!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise RecordError(field_name, f"{text!r} is below {minimum}")
    return value


def parse_coordinate(field_name: str, text: str, *, bound: int) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise RecordError(field_name, f"{text!r} is not a number") from None
    if not -bound <= value <= bound:
        raise RecordError(field_name, f"{text!r} is outside -{bound}..{bound}")
    return value


def split_list(text: str) -> list[str]:
    """A `;`-separated list, blanks dropped, order kept."""
    return [part.strip() for part in text.split(";") if part.strip()]
