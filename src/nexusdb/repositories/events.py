"""Events with their place, parent event and participants."""

from datetime import date

from sqlalchemy import Select, func, or_
from sqlalchemy.orm import joinedload, selectinload

from nexusdb.models import Actor, Event, EventParticipant
from nexusdb.repositories.base import Repository, id_of
from nexusdb.schemas.read import EventRead, Page, Participant


def event_read(event: Event) -> EventRead:
    return EventRead(
        key=event.key,
        type=event.event_type,
        title=event.title,
        summary=event.summary,
        factuality=event.factuality,
        start_date=event.start_date,
        start_precision=event.start_precision,
        end_date=event.end_date,
        end_precision=event.end_precision,
        is_ongoing=event.is_ongoing,
        place_key=event.place.key if event.place else None,
        parent_event_key=event.parent.key if event.parent else None,
        participants=[
            Participant(actor_key=participant.actor.key, role=participant.role)
            for participant in sorted(event.participants, key=lambda p: (p.actor.key, p.role))
        ],
    )


class EventRepository(Repository[Event]):
    model = Event
    noun = "event"

    def loaded(self) -> Select[Event]:
        return self.base_statement().options(
            joinedload(Event.place),
            joinedload(Event.parent),
            selectinload(Event.participants).joinedload(EventParticipant.actor),
        )

    def get(self, key: str) -> EventRead:
        return event_read(self.one(self.loaded(), key=key))

    def find(
        self,
        *,
        type: str | None = None,
        factuality: str | None = None,
        actor: str | None = None,
        since: date | None = None,
        until: date | None = None,
        after: str | None = None,
        limit: int = 50,
    ) -> Page[EventRead]:
        """Events by type, factuality, a participant's key, and overlapping [since, until].

        With a date filter, an event whose start is unknown is left out; one with no end
        lasts its start's period, unless it is ongoing.
        """
        statement = self.loaded()
        if type is not None:
            statement = statement.where(Event.event_type == type)
        if factuality is not None:
            statement = statement.where(Event.factuality == factuality)
        if actor is not None:
            statement = statement.where(
                Event.participants.any(EventParticipant.actor_id == id_of(Actor, actor))
            )
        if since is not None:
            last_known = func.coalesce(Event.end_date, Event.start_date)
            last_precision = func.coalesce(Event.end_precision, Event.start_precision)
            statement = statement.where(
                or_(Event.is_ongoing, func.precise_date_upper(last_known, last_precision) > since)
            )
        if until is not None:
            statement = statement.where(Event.start_date <= until)
        return self.page(statement, event_read, after=after, limit=limit)
