"""What the repositories return: plain, frozen data, with every reference spelled as a key.

Read models never hold ORM objects, so serialising one can never trigger a lazy load.
Dates keep their precision beside them (`2014` is 2014-01-01 with precision `year`).
"""

from datetime import date
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict


class ReadModel(BaseModel):
    model_config = ConfigDict(frozen=True)


class KeyedRead(ReadModel):
    """A curated record, known by its stable slug."""

    key: str


class Alias(ReadModel):
    name: str
    kind: str
    language: str


class ActorRead(KeyedRead):
    kind: str
    name: str
    description: str | None
    country_code: str | None
    is_anonymous: bool
    aliases: list[Alias]
    external_ids: dict[str, str]


class SourceRead(KeyedRead):
    kind: str
    title: str
    url: str | None
    publisher_key: str | None
    published_date: date | None
    published_precision: str | None
    language: str | None
    reliability: str
    may_redistribute: bool
    author_keys: list[str]


class Participant(ReadModel):
    actor_key: str
    role: str


class EventRead(KeyedRead):
    type: str
    title: str
    summary: str | None
    factuality: str
    start_date: date | None
    start_precision: str | None
    end_date: date | None
    end_precision: str | None
    is_ongoing: bool
    place_key: str | None
    parent_event_key: str | None
    participants: list[Participant]


class TimelineEntry(EventRead):
    """An event on a timeline, with its period written out as format_period() writes it."""

    period: str | None


class ClaimRead(KeyedRead):
    source_key: str
    claimant_key: str
    reported_via_key: str | None
    kind: str
    certainty: str
    polarity: str
    credibility: str
    text: str
    quote: str | None
    span_start: int | None
    span_end: int | None
    paragraph: int | None
    about: list[str]


class RelationshipRead(KeyedRead):
    subject_key: str
    type: str
    object_key: str
    description: str | None
    start_date: date | None
    start_precision: str | None
    end_date: date | None
    end_precision: str | None
    is_ongoing: bool
    materiel: list[str]


class PeriodRead(KeyedRead):
    """A page row with a dated interval, and that interval in one string (see format_period)."""

    start_date: date | None
    start_precision: str | None
    end_date: date | None
    end_precision: str | None
    is_ongoing: bool
    period: str | None


class ActorRelationshipRead(PeriodRead):
    """A relationship read from one actor's side (`key` is the relationship's)."""

    direction: str
    type: str
    label: str
    other_key: str
    other_name: str


class TimelineEntryRead(PeriodRead):
    """An event in a timeline (`key` is the event's)."""

    title: str
    type: str
    factuality: str


class ClaimAboutRead(KeyedRead):
    """A claim about an actor (`key` is the claim's)."""

    kind: str
    certainty: str
    polarity: str
    credibility: str
    statement: str
    source_key: str
    claimant_key: str


Item = TypeVar("Item", bound=KeyedRead)


class Page(ReadModel, Generic[Item]):
    """One page of a listing in its stable order (key order unless the method says
    otherwise); pass `next_after` back as `after` for the next. `None`: the last page."""

    items: list[Item]
    next_after: str | None


class ActorProfileRead(ReadModel):
    """An actor with counts of everything linked to it and the first page of each list."""

    actor: ActorRead
    relationship_types: dict[str, int]
    event_types: dict[str, int]
    event_years: dict[str, int]
    claim_kinds: dict[str, int]
    relationships: Page[ActorRelationshipRead]
    events: Page[TimelineEntryRead]
    claims_about: Page[ClaimAboutRead]

    @property
    def relationship_count(self) -> int:
        return sum(self.relationship_types.values())

    @property
    def event_count(self) -> int:
        return sum(self.event_types.values())

    @property
    def claim_count(self) -> int:
        return sum(self.claim_kinds.values())
