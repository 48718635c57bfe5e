"""`GET /sources`, `GET /sources/{key}`."""

from typing import Annotated

from fastapi import APIRouter, Request, Response

from nexusdb.api.dependencies import ReadSession
from nexusdb.api.pages import DEFAULT_LIMIT, Cursor, Limit, PageOut, decode_cursor, page_out
from nexusdb.api.parameters import Key, code_query, key_query
from nexusdb.api.problems import PROBLEM_RESPONSES
from nexusdb.repositories import ActorRepository, SourceRepository
from nexusdb.schemas.api import SourceOut

router = APIRouter(prefix="/sources", tags=["sources"], responses=PROBLEM_RESPONSES)


@router.get("")
def list_sources(
    session: ReadSession,
    request: Request,
    response: Response,
    kind: Annotated[str | None, code_query("Source kind: article, news_report, ...")] = None,
    author: Annotated[str | None, key_query("An author's key.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> PageOut[SourceOut]:
    """Sources in key order."""
    if author is not None:
        ActorRepository(session).require(author)
    page = SourceRepository(session).find(
        kind=kind, author=author, after=decode_cursor(cursor), limit=limit
    )
    return page_out(page, SourceOut.of, request, response)


@router.get("/{key}")
def get_source(session: ReadSession, key: Key) -> SourceOut:
    """One source: its kind, publisher, authors, publication date and reliability."""
    return SourceOut.of(SourceRepository(session).get(key))
