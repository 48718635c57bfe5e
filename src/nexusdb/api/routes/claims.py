"""`GET /claims`, `GET /claims/{key}`."""

from typing import Annotated

from fastapi import APIRouter, Request, Response

from nexusdb.api.dependencies import ReadSession
from nexusdb.api.pages import DEFAULT_LIMIT, Cursor, Limit, PageOut, decode_cursor, page_out
from nexusdb.api.parameters import Key, code_query, key_query
from nexusdb.api.problems import PROBLEM_RESPONSES
from nexusdb.repositories import ActorRepository, ClaimRepository, SourceRepository
from nexusdb.schemas.api import ClaimDetailOut
from nexusdb.schemas.read import ClaimRead

router = APIRouter(prefix="/claims", tags=["claims"], responses=PROBLEM_RESPONSES)


@router.get("")
def list_claims(
    session: ReadSession,
    request: Request,
    response: Response,
    kind: Annotated[
        str | None, code_query("fact, assessment, prediction, opinion, quotation")
    ] = None,
    certainty: Annotated[
        str | None, code_query("asserted, probable, possible, speculative")
    ] = None,
    claimant: Annotated[str | None, key_query("The key of the actor who makes it.")] = None,
    source: Annotated[str | None, key_query("The key of the source it is read in.")] = None,
    about: Annotated[str | None, key_query("The key of an actor it is about.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> PageOut[ClaimRead]:
    """Claims in key order."""
    actors = ActorRepository(session)
    for key in (claimant, about):
        if key is not None:
            actors.require(key)
    if source is not None:
        SourceRepository(session).require(source)
    page = ClaimRepository(session).find(
        kind=kind,
        certainty=certainty,
        claimant=claimant,
        source=source,
        about=about,
        after=decode_cursor(cursor),
        limit=limit,
    )
    return page_out(page, ClaimRead.model_validate, request, response)


@router.get("/{key}")
def get_claim(session: ReadSession, key: Key) -> ClaimDetailOut:
    """One claim in full: the quote inside its paragraph (segment text and span), the
    claimant apart from the source and the relay, kind, certainty, polarity, grading, and
    what it is evidence for."""
    return ClaimDetailOut.of(ClaimRepository(session).detail(key))
