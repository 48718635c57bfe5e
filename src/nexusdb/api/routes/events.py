"""`GET /events`, `GET /events/{key}`, and `GET /timeline` (what `nexusdb timeline` lists)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from nexusdb.api.dependencies import ReadSession
from nexusdb.api.pages import DEFAULT_LIMIT, Cursor, Limit, PageOut, decode_cursor, page_out
from nexusdb.api.parameters import Key, code_query, date_query, key_query, parse_query_date
from nexusdb.api.problems import PROBLEM_RESPONSES
from nexusdb.repositories import ActorRepository, EventRepository, SourceRepository
from nexusdb.repositories.events import PlaceRepository
from nexusdb.schemas.api import EventOut, TimelineEventOut

router = APIRouter(tags=["events"], responses=PROBLEM_RESPONSES)

From = Annotated[str | None, date_query("Events that end on or after this period", alias="from")]
Until = Annotated[str | None, date_query("Events that start by the end of this period")]


@router.get("/events")
def list_events(
    session: ReadSession,
    request: Request,
    response: Response,
    type: Annotated[str | None, code_query("Event type: attack, agreement, ...")] = None,
    date_from: From = None,
    until: Until = None,
    actor: Annotated[str | None, key_query("A participant's key.")] = None,
    place: Annotated[str | None, key_query("A place's key.")] = None,
    factuality: Annotated[
        str | None, code_query("occurred, ongoing, planned, predicted, hypothetical, denied")
    ] = None,
    source: Annotated[
        str | None, key_query("A source whose claims are evidence for the event.")
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> PageOut[EventOut]:
    """Events in key order; `from` and `until` take each date as its whole period."""
    since, to = parse_query_date("from", date_from), parse_query_date("until", until)
    if actor is not None:
        ActorRepository(session).require(actor)
    if place is not None:
        PlaceRepository(session).require(place)
    if source is not None:
        SourceRepository(session).require(source)
    page = EventRepository(session).find(
        type=type,
        factuality=factuality,
        actor=actor,
        place=place,
        source=source,
        since=since,
        until=to,
        after=decode_cursor(cursor),
        limit=limit,
    )
    return page_out(page, EventOut.of, request, response)


@router.get("/events/{key}")
def get_event(session: ReadSession, key: Key) -> EventOut:
    """One event: type, dates to their precision, factuality, place, parent, participants."""
    return EventOut.of(EventRepository(session).get(key))


@router.get("/timeline")
def timeline(
    session: ReadSession,
    request: Request,
    response: Response,
    actor: Annotated[str | None, key_query("Only events this actor (key) took part in.")] = None,
    date_from: From = None,
    until: Until = None,
    include_all: Annotated[
        bool,
        Query(
            alias="all",
            description="Also planned, predicted, hypothetical and denied events.",
        ),
    ] = False,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> PageOut[TimelineEventOut]:
    """Events in time order (start, unknown starts last, then key): what occurred unless
    `all`. The same rows as `nexusdb timeline`."""
    since, to = parse_query_date("from", date_from), parse_query_date("until", until)
    if actor is not None:
        ActorRepository(session).require(actor)
    page = EventRepository(session).timeline(
        actor=actor,
        since=since,
        until=to,
        include_all=include_all,
        after=decode_cursor(cursor),
        limit=limit,
    )
    return page_out(page, TimelineEventOut.of, request, response)
