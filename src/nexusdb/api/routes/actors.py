"""`GET /actors` and one actor's profile, relationships, events, claims about it and
neighbourhood. A key that was merged into another actor answers 308 with the canonical
key's URL (the same path and query), so old links keep working."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from nexusdb.api.dependencies import ReadSession
from nexusdb.api.pages import (
    DEFAULT_LIMIT,
    Cursor,
    Limit,
    PageOut,
    decode_cursor,
    page_body,
    page_out,
)
from nexusdb.api.parameters import (
    Code,
    Key,
    code_query,
    date_query,
    parse_query_date,
    text_query,
)
from nexusdb.api.problems import PROBLEM_RESPONSES, Moved
from nexusdb.repositories import ActorRepository, RecordNotFoundError, RelationshipRepository
from nexusdb.schemas.api import ActorEventOut, ActorRelationshipOut, ReadOut
from nexusdb.schemas.read import ActorRead, ClaimAboutRead, KeyedRead, NeighbourRead, Page

Row = TypeVar("Row", bound=KeyedRead)
Item = TypeVar("Item")

router = APIRouter(
    prefix="/actors",
    tags=["actors"],
    responses={
        **PROBLEM_RESPONSES,
        308: {"description": "The key was merged into another actor: follow `Location`."},
    },
)

MAX_DEPTH = 6
# More `type` filters than a neighbourhood takes: more than any vocabulary needs.
MAX_TYPES = 50


class ActorProfileOut(ReadOut):
    """An actor, how much is linked to it (counts by type, kind and start year), and the
    first page of each list; each page's `next` continues at the list's own route."""

    actor: ActorRead
    relationship_types: dict[str, int]
    event_types: dict[str, int]
    event_years: dict[str, int]
    claim_kinds: dict[str, int]
    relationships: PageOut[ActorRelationshipOut]
    events: PageOut[ActorEventOut]
    claims_about: PageOut[ClaimAboutRead]


@contextmanager
def following_merges(session: Session, key: str, request: Request) -> Iterator[None]:
    """Turn "no actor with this key" into a 308 to the actor it was merged into."""
    try:
        yield
    except RecordNotFoundError:
        canonical = ActorRepository(session).canonical_key(key)
        if canonical is None:
            raise
        path = request.url.path.replace(f"/actors/{key}", f"/actors/{canonical}", 1)
        raise Moved(str(request.url.replace(path=path))) from None


@router.get("")
def list_actors(
    session: ReadSession,
    request: Request,
    response: Response,
    q: Annotated[
        str | None,
        text_query(
            "A key, or words in a name or alias (case and accents ignored).", max_length=200
        ),
    ] = None,
    kind: Annotated[str | None, code_query("Actor kind: state, person, ...")] = None,
    country: Annotated[
        str | None,
        Query(pattern="^[A-Z]{3}$", description="ISO 3166 alpha-3 country code (IRN)."),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> PageOut[ActorRead]:
    """Actors in key order."""
    page = ActorRepository(session).find(
        q=q, kind=kind, country_code=country, after=decode_cursor(cursor), limit=limit
    )
    return page_out(page, ActorRead.model_validate, request, response)


@router.get("/{key}")
def get_actor(session: ReadSession, request: Request, key: Key) -> ActorProfileOut:
    """An actor's profile: names and ids, counts, and the first relationships, events and
    claims about it."""
    with following_merges(session, key, request):
        profile = ActorRepository(session).profile(key)
    return ActorProfileOut(
        actor=profile.actor,
        relationship_types=profile.relationship_types,
        event_types=profile.event_types,
        event_years=profile.event_years,
        claim_kinds=profile.claim_kinds,
        relationships=page_body(profile.relationships, ActorRelationshipOut.of),
        events=page_body(profile.events, ActorEventOut.of),
        claims_about=page_body(profile.claims_about, ClaimAboutRead.model_validate),
    )


def _actor_list(
    route: str,
    read: Callable[[ActorRepository, str, str | None, int], Page[Row]],
    shape: Callable[[Row], Item],
    out: type[Item],
    description: str,
) -> None:
    """`GET /actors/{key}/<route>`: one of the actor's lists, a page at a time."""

    @router.get(
        f"/{{key}}/{route}",
        response_model=PageOut[out],  # type: ignore[valid-type]
        summary=f"Actor {route}",
        description=description,
        operation_id=f"actor_{route}",
    )
    def listing(
        session: ReadSession,
        request: Request,
        response: Response,
        key: Key,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> Any:
        with following_merges(session, key, request):
            page = read(ActorRepository(session), key, decode_cursor(cursor), limit)
        return page_out(page, shape, request, response)


_actor_list(
    "relationships",
    lambda actors, key, after, limit: actors.relationships(key, after=after, limit=limit),
    ActorRelationshipOut.of,
    ActorRelationshipOut,
    "The actor's relationships read from its side, by type then relationship key.",
)
_actor_list(
    "events",
    lambda actors, key, after, limit: actors.timeline(key, after=after, limit=limit),
    ActorEventOut.of,
    ActorEventOut,
    "The events the actor took part in, by start (unknown starts last) then key, whatever"
    " their factuality.",
)
_actor_list(
    "claims",
    lambda actors, key, after, limit: actors.claims_about(key, after=after, limit=limit),
    ClaimAboutRead.model_validate,
    ClaimAboutRead,
    "The claims about the actor, by claim key.",
)


@router.get("/{key}/neighbourhood")
def actor_neighbourhood(
    session: ReadSession,
    request: Request,
    response: Response,
    key: Key,
    depth: Annotated[
        int, Query(ge=1, le=MAX_DEPTH, description="How many relationships away.")
    ] = 2,
    type: Annotated[
        list[Code] | None,
        Query(
            max_length=MAX_TYPES,
            description="Only relationships of these types (repeat the parameter).",
        ),
    ] = None,
    at: Annotated[str | None, date_query("Only relationships that hold at this date")] = None,
    include_anonymous: Annotated[
        bool, Query(description="Also anonymous claimants (skipped by default).")
    ] = False,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> PageOut[NeighbourRead]:
    """The actors within `depth` relationships of the actor (it first, at distance 0),
    by distance then key, each with one shortest path; at most 1,000 actors, the most
    evidenced links kept at each level."""
    as_of = parse_query_date("at", at)
    if type:
        RelationshipRepository(session).check_types(type)
    with following_merges(session, key, request):
        page = ActorRepository(session).neighbourhood(
            key,
            depth=depth,
            types=type or None,
            as_of=as_of.value if as_of else None,
            include_anonymous=include_anonymous,
            after=decode_cursor(cursor),
            limit=limit,
        )
    return page_out(page, NeighbourRead.model_validate, request, response)
