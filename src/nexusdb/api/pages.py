"""Keyset pages over HTTP: `limit`, an opaque `cursor`, and the next page's link.

A cursor wraps the repository's `after` value (the last key, or a page function's
cursor) so that clients treat it as a token and never build one; the repositories check
what it holds. No OFFSET anywhere: a page starts after the last row seen, so walking
all pages returns every row once even while rows are added.

A cursor has no length limit: it holds the last row's key, and keys have none, so any
limit would refuse the `next` link of a page that ends on a long key. A refused cursor
is echoed shortened (`problems.echoed`).
"""

import base64
import binascii
from collections.abc import Callable
from typing import Annotated, Generic, TypeVar

from fastapi import Query, Request, Response
from pydantic import BaseModel

from nexusdb.repositories import InvalidCursorError
from nexusdb.schemas.read import KeyedRead, Page

Item = TypeVar("Item")
Read = TypeVar("Read", bound=KeyedRead)

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"Rows per page (at most {MAX_LIMIT}).")
]
Cursor = Annotated[
    str | None,
    Query(description="The `next` token of the previous page; leave out for the first page."),
]


class PageOut(BaseModel, Generic[Item]):
    """One page of a listing, and the token of the next one (null on the last page)."""

    items: list[Item]
    next: str | None


def encode_cursor(after: str) -> str:
    return base64.urlsafe_b64encode(after.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    """The repository's `after` value inside a token; an InvalidCursorError if there is
    none (the problem names the token as sent)."""
    if cursor is None:
        return None
    try:
        after = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidCursorError("not base64url text") from None
    if not after or "\x00" in after:
        raise InvalidCursorError("empty, or holds a NUL character")
    return after


def page_body(page: Page[Read], shape: Callable[[Read], Item]) -> PageOut[Item]:
    """The page as the API returns it, each row shaped by `shape`."""
    token = encode_cursor(page.next_after) if page.next_after is not None else None
    return PageOut[Item](items=[shape(item) for item in page.items], next=token)


def page_out(
    page: Page[Read], shape: Callable[[Read], Item], request: Request, response: Response
) -> PageOut[Item]:
    """`page_body`, with `Link: <...>; rel="next"` when there is more."""
    body = page_body(page, shape)
    if body.next is not None:
        next_url = request.url.include_query_params(cursor=body.next)
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return body
