"""`GET /relationships`, `GET /relationships/{key}`."""

from typing import Annotated

from fastapi import APIRouter, Request, Response

from nexusdb.api.dependencies import ReadSession
from nexusdb.api.pages import DEFAULT_LIMIT, Cursor, Limit, PageOut, decode_cursor, page_out
from nexusdb.api.parameters import Key, code_query, date_query, key_query, parse_query_date
from nexusdb.api.problems import PROBLEM_RESPONSES
from nexusdb.repositories import ActorRepository, RelationshipRepository
from nexusdb.schemas.api import RelationshipOut

router = APIRouter(prefix="/relationships", tags=["relationships"], responses=PROBLEM_RESPONSES)


@router.get("")
def list_relationships(
    session: ReadSession,
    request: Request,
    response: Response,
    type: Annotated[str | None, code_query("Relationship type: allied_with, ...")] = None,
    subject: Annotated[str | None, key_query("The subject actor's key.")] = None,
    object: Annotated[str | None, key_query("The object actor's key.")] = None,
    at: Annotated[str | None, date_query("Relationships that hold at some time in")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> PageOut[RelationshipOut]:
    """Relationships in key order (symmetric ones stored in one direction: ask for
    either end with `subject` or `object`)."""
    when = parse_query_date("at", at)
    relationships = RelationshipRepository(session)
    if type is not None:
        relationships.check_types([type])
    actors = ActorRepository(session)
    for key in (subject, object):
        if key is not None:
            actors.require(key)
    page = relationships.find(
        type=type,
        subject=subject,
        object=object,
        at=when,
        after=decode_cursor(cursor),
        limit=limit,
    )
    return page_out(page, RelationshipOut.of, request, response)


@router.get("/{key}")
def get_relationship(session: ReadSession, key: Key) -> RelationshipOut:
    """One relationship: its ends, type, period to its precision, and materiel."""
    return RelationshipOut.of(RelationshipRepository(session).get(key))
