"""Events with their place, parent event and participants, and the timeline."""

from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    func,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import aliased

from nexusdb.errors import NexusError
from nexusdb.models import (
    Actor,
    ActorEvent,
    Claim,
    Event,
    EventEvidence,
    EventParticipant,
    EventType,
    Factuality,
    Place,
    Source,
)
from nexusdb.models.summary import UNKNOWN_START_SORT_DATE
from nexusdb.repositories.actors import timeline_row
from nexusdb.repositories.base import (
    Repository,
    RowOf,
    check_codes,
    function_page,
    id_of,
    json_list,
)
from nexusdb.schemas.dates import PreciseDate
from nexusdb.schemas.read import EventRead, Page, TimelineEntry, TimelineEntryRead

# What a timeline shows unless asked for everything: what happened, not what was
# planned, predicted, imagined or denied.
HAPPENED = ("occurred", "ongoing")


def _precise(value: date | PreciseDate) -> PreciseDate:
    """A plain date is a day."""
    return value if isinstance(value, PreciseDate) else PreciseDate(value, "day")


def in_period(
    *, since: date | PreciseDate | None, until: date | PreciseDate | None
) -> list[ColumnElement[bool]]:
    """Events that overlap [since, until], every date taken as its whole period.

    `until` 2024 is the end of 2024; an event dated "2024-11" has not ended before
    2024-11-20; one with no end lasts its start's period, unless it is ongoing; with a
    date filter, an event whose start is unknown is left out. A range that ends before it
    starts is refused rather than matching nothing.
    """
    if since is not None and until is not None and _precise(since).value >= _precise(until).upper():
        raise NexusError(f"{since} is after {until}: no event can match")
    conditions: list[ColumnElement[bool]] = []
    if since is not None:
        last_known = func.coalesce(Event.end_date, Event.start_date)
        last_precision = func.coalesce(Event.end_precision, Event.start_precision)
        conditions.append(
            or_(
                Event.is_ongoing,
                func.precise_date_upper(last_known, last_precision) > _precise(since).value,
            )
        )
    if until is not None:
        end = _precise(until)
        conditions.append(Event.start_date < func.precise_date_upper(end.value, end.precision))
    return conditions


def _event_rows() -> Select[*tuple[Any, ...]]:
    """Every event as `EventRead`'s fields, its participants in one JSON array ordered as
    Python orders their (actor key, role): a page of events is one statement and one row
    per event, not an ORM object per event, place, participant and actor."""
    parent = aliased(Event)
    participant = func.json_build_object("actor_key", Actor.key, "role", EventParticipant.role)
    participants = (
        select(json_list(participant, Actor.key.collate("C"), EventParticipant.role.collate("C")))
        .select_from(EventParticipant)
        .join(Actor, Actor.id == EventParticipant.actor_id)
        .where(EventParticipant.event_id == Event.id)
        .scalar_subquery()
    )
    return (
        select(
            Event.key,
            Event.event_type.label("type"),
            Event.title,
            Event.summary,
            Event.factuality,
            Event.start_date,
            Event.start_precision,
            Event.end_date,
            Event.end_precision,
            Event.is_ongoing,
            Place.key.label("place_key"),
            parent.key.label("parent_event_key"),
            participants.label("participants"),
        )
        .outerjoin(Place, Place.id == Event.place_id)
        .outerjoin(parent, parent.id == Event.parent_event_id)
    )


def _after_in_time(start: date | None, key: str) -> ColumnElement[bool]:
    """Events that come after the event `key`, which starts at `start`, in time order."""
    if start is None:
        return and_(Event.start_date.is_(None), Event.key > key)
    return or_(tuple_(Event.start_date, Event.key) > (start, key), Event.start_date.is_(None))


# Built once: a statement is immutable, and building it (the alias above all) costs more
# than running it does for a page.
EVENT_ROWS = _event_rows()


def event_read(row: RowOf) -> EventRead:
    return EventRead.model_validate(row._mapping)


class PlaceRepository(Repository[Place]):
    model = Place
    noun = "place"


class EventRepository(Repository[Event]):
    model = Event
    noun = "event"

    def get(self, key: str) -> EventRead:
        return event_read(self.one_row(EVENT_ROWS, key=key))

    def find(
        self,
        *,
        type: str | None = None,
        factuality: str | None = None,
        actor: str | None = None,
        place: str | None = None,
        source: str | None = None,
        since: date | PreciseDate | None = None,
        until: date | PreciseDate | None = None,
        after: str | None = None,
        limit: int = 50,
    ) -> Page[EventRead]:
        """Events by type, factuality, a participant's key, a place's key, a source whose
        claims are evidence for them, and overlapping [since, until] (see `in_period`),
        in key order."""
        statement = EVENT_ROWS
        if type is not None:
            check_codes(self.session, EventType, [type])
            statement = statement.where(Event.event_type == type)
        if factuality is not None:
            check_codes(self.session, Factuality, [factuality])
            statement = statement.where(Event.factuality == factuality)
        if actor is not None:
            statement = statement.where(
                Event.participants.any(EventParticipant.actor_id == id_of(Actor, actor))
            )
        if place is not None:
            statement = statement.where(Event.place_id == id_of(Place, place))
        if source is not None:
            evidenced = (
                select(EventEvidence.event_id)
                .join(Claim, Claim.id == EventEvidence.claim_id)
                .where(Claim.source_id == id_of(Source, source))
            )
            statement = statement.where(Event.id.in_(evidenced))
        statement = statement.where(*in_period(since=since, until=until))
        return self.row_page(statement, event_read, after=after, limit=limit)

    def timeline(
        self,
        *,
        actor: str | None = None,
        since: date | PreciseDate | None = None,
        until: date | PreciseDate | None = None,
        include_all: bool = False,
        after: str | None = None,
        limit: int = 50,
    ) -> Page[TimelineEntry]:
        """Events in time order (start, then key; unknown starts last) that overlap
        [since, until] (see `in_period`), what happened unless `include_all`.

        `after` is the key of the last event of the previous page: the next page starts
        at that event's place in the order, so rows added meanwhile are not skipped.
        """
        period = func.format_period(
            Event.start_date,
            Event.start_precision,
            Event.end_date,
            Event.end_precision,
            Event.is_ongoing,
        )
        statement = EVENT_ROWS.add_columns(period.label("period")).where(
            *in_period(since=since, until=until)
        )
        if not include_all:
            statement = statement.where(Event.factuality.in_(HAPPENED))
        # Where the previous page's last event stands in time (None: its start is unknown,
        # or no event has that key; either way the undated events, by key, come after it).
        start = None
        if after is not None:
            start = self.session.scalar(select(Event.start_date).where(Event.key == after))
        if actor is None:
            statement = statement.order_by(Event.start_date.asc().nulls_last(), Event.key)
            if after is not None:
                statement = statement.where(_after_in_time(start, after))
        else:
            # The same order, read from the actor's rows of actor_event in its index: a
            # page reads as many rows as it keeps (and those its filters skip), however
            # many events the actor has, instead of sorting all of a hub's.
            statement = (
                statement.join(ActorEvent, ActorEvent.event_id == Event.id)
                .where(ActorEvent.actor_id == id_of(Actor, actor))
                .order_by(ActorEvent.sort_date, ActorEvent.event_key)
            )
            if after is not None:
                sort_date = UNKNOWN_START_SORT_DATE if start is None else start
                statement = statement.where(
                    tuple_(ActorEvent.sort_date, ActorEvent.event_key) > (sort_date, after)
                )
        found = self.session.execute(statement.limit(limit + 1)).all()
        items = [TimelineEntry.model_validate(row._mapping) for row in found[:limit]]
        return Page(items=items, next_after=items[-1].key if len(found) > limit else None)

    def timeline_page(
        self, *, after: str | None = None, limit: int = 50
    ) -> Page[TimelineEntryRead]:
        """Every event in event_timeline's order (start, unknown starts last, then key)."""
        page, _ = function_page(
            self.session, "timeline", {}, timeline_row, after=after, limit=limit
        )
        return page
