"""What the repositories return: plain, frozen data, with every reference spelled as a key.

Read models never hold ORM objects, so serialising one can never trigger a lazy load.
Dates keep their precision beside them (`2014` is 2014-01-01 with precision `year`).
"""

from datetime import date
from typing import Any, Generic, TypeVar

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


class NeighbourRead(KeyedRead):
    """An actor within some relationships of another (`key` is the actor's), with one
    shortest path to it and the weight of the link it was reached by (None for the start)."""

    name: str
    kind: str
    distance: int
    weight: int | None
    path: list[str]


class SearchHitRead(KeyedRead):
    """A full-text match: a claim, an event, or a source paragraph (under the source's key)."""

    kind: str
    title: str
    rank: float
    snippet: str


class SourceBrief(ReadModel):
    key: str
    kind: str
    title: str
    url: str | None
    reliability: str
    published_date: date | None
    published_precision: str | None


class ActorBrief(ReadModel):
    key: str
    kind: str
    name: str
    is_anonymous: bool


class Relay(ReadModel):
    """Who or what a claim was read through ("as reported by ..."): an actor or a source."""

    kind: str
    key: str
    name: str


class Segment(ReadModel):
    """The paragraph a quote sits in: offsets into the whole source text (0-based,
    half-open, code points) and its text."""

    ordinal: int
    start_offset: int
    end_offset: int
    text: str


class TextGrounding(ReadModel):
    """A quote in its paragraph: `span_*` in the source text, `segment_span_*` in the
    paragraph's text (so `segment.text[segment_span_start:segment_span_end] == quote`)."""

    quote: str
    span_start: int
    span_end: int
    segment_span_start: int
    segment_span_end: int
    segment: Segment


class RecordGrounding(ReadModel):
    """A dataset record a claim was imported from."""

    record_id: str
    record_field: str | None
    record_data: dict[str, Any] | None


class Grading(ReadModel):
    """NATO/Admiralty grading: the source's reliability (A-F), the claim's credibility
    (1-6), and the two as one code (`B2`); F and 6 mean "cannot be judged"."""

    reliability: str
    credibility: str
    code: str


class EvidenceRead(ReadModel):
    """Something a claim is evidence for: an event or relationship (`key` is its key), or a
    part of one (`detail`: a participant `actor:role`, a quantity's kind, a materiel key)."""

    kind: str
    key: str
    detail: str | None
    stance: str


class ClaimRelationRead(ReadModel):
    """A claim about a claim: `outgoing` when this claim `relation`s the other."""

    direction: str
    relation: str
    claim_key: str


class ClaimDetailRead(KeyedRead):
    """One claim in full: what it says, who says it (claimant) as against where it was
    read (source) and through whom (relay), how sure, its grounding, and what it backs."""

    text: str
    kind: str
    certainty: str
    polarity: str
    grading: Grading
    source: SourceBrief
    claimant: ActorBrief
    reported_via: Relay | None
    text_grounding: TextGrounding | None
    record_grounding: RecordGrounding | None
    about: list[str]
    evidence_for: list[EvidenceRead]
    relations: list[ClaimRelationRead]


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
