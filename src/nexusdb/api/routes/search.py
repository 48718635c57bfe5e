"""`GET /search`: full-text search, as `nexusdb search` runs it."""

from typing import Annotated

from fastapi import APIRouter, Request, Response

from nexusdb.api.dependencies import ReadSession
from nexusdb.api.pages import DEFAULT_LIMIT, Cursor, Limit, PageOut, decode_cursor, page_out
from nexusdb.api.parameters import text_query
from nexusdb.api.problems import PROBLEM_RESPONSES
from nexusdb.repositories import SearchRepository
from nexusdb.schemas.read import SearchHitRead

router = APIRouter(tags=["search"], responses=PROBLEM_RESPONSES)


@router.get("/search")
def search(
    session: ReadSession,
    request: Request,
    response: Response,
    q: Annotated[
        str,
        text_query(
            'Words to look for; "a phrase", `or` and -word work as on the web.', max_length=500
        ),
    ],
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> PageOut[SearchHitRead]:
    """Claims, events and source paragraphs that match, best first, with snippets in
    which « and » mark the matched words."""
    page = SearchRepository(session).search(q, after=decode_cursor(cursor), limit=limit)
    return page_out(page, SearchHitRead.model_validate, request, response)
