"""Full-text search over claims, events and source paragraphs (the migration's
search_text()), best match first, in pages.

search_text() ranks at most `candidates` matches per table and returns the best
`max_rows`; a page asks it for the rows up to the end of that page and keeps those after
the previous page's last hit. The cursor names that hit and how many hits came before it,
so a page starts after the hit itself, not after a count of rows: a hit added meanwhile
ahead of it is not returned twice, and none is skipped.

A hit is named by what identifies it and orders it, never by its whole title (a claim's
title is its statement, of any length): its rank, kind and key, and for a source
paragraph the last part of its title ("paragraph 12"). Keys are unique within claims and
within events; a source's paragraphs share its key and differ, and sort, only by that
part of their titles (`<source title>, paragraph <n>`).
"""

import json

from sqlalchemy import text
from sqlalchemy.orm import Session

from nexusdb.repositories.base import InvalidCursorError
from nexusdb.schemas.read import Page, SearchHitRead

# Matches ranked per table (search_text's default): a page past them is the last one.
CANDIDATES = 500

SEARCH = text(
    "SELECT kind, key, title, rank, snippet FROM search_text(:query, :max_rows, :candidates)"
)


def _identity(hit: SearchHitRead) -> tuple[str, str, str]:
    """Kind, key, and for a source paragraph "paragraph <n>" (empty for the others)."""
    paragraph = hit.title.rpartition(", ")[2] if hit.kind == "source" else ""
    return (hit.kind, hit.key, paragraph)


def _order(hit: SearchHitRead) -> tuple[float, str, str, str]:
    return (-hit.rank, *_identity(hit))


def _cursor(seen: int, hit: SearchHitRead) -> str:
    return json.dumps([seen, hit.rank, *_identity(hit)], ensure_ascii=False)


def _parse(after: str) -> tuple[int, tuple[float, str, str, str]]:
    try:
        # A cursor can be any length: nesting deep enough stops the parser with a RecursionError.
        seen, rank, kind, key, paragraph = json.loads(after)
        if not (isinstance(seen, int) and seen >= 1 and isinstance(rank, int | float)):
            raise ValueError
        if not all(isinstance(part, str) for part in (kind, key, paragraph)):
            raise ValueError
    except (ValueError, TypeError, RecursionError):
        raise InvalidCursorError(f"not a cursor of search_text: {after!r}") from None
    return seen, (-float(rank), kind, key, paragraph)


class SearchRepository:
    """Never commits: the caller owns the transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def search(
        self, query: str, *, after: str | None = None, limit: int = 20
    ) -> Page[SearchHitRead]:
        """Hits for `query` (web-search syntax: "a phrase", or, -word), best first, with
        snippets marking the matched words « and »."""
        if limit < 1:
            raise InvalidCursorError(f"a page holds at least one row, not {limit}")
        seen, last = _parse(after) if after is not None else (0, None)
        window = seen + limit + 1
        found = [
            SearchHitRead(**row)
            for row in self.session.execute(
                SEARCH, {"query": query, "max_rows": window, "candidates": CANDIDATES}
            ).mappings()
        ]
        rest = found if last is None else self._after(found, last)
        items = rest[:limit]
        if len(rest) <= limit and len(found) < window:
            return Page(items=items, next_after=None)
        # More after this page, or a full window that hits added ahead of the cursor may
        # have pushed some past its end: the next page looks again, further on.
        if not items:
            assert after is not None
            return Page(items=[], next_after=json.dumps([window, *json.loads(after)[1:]]))
        position = found.index(items[-1]) + 1
        return Page(items=items, next_after=_cursor(position, items[-1]))

    @staticmethod
    def _after(
        found: list[SearchHitRead], last: tuple[float, str, str, str]
    ) -> list[SearchHitRead]:
        """The hits after the previous page's last one: found by identity where it is still
        there, else by its place in the order."""
        for index, hit in enumerate(found):
            if _identity(hit) == last[1:]:
                return found[index + 1 :]
        return [hit for hit in found if _order(hit) > last]
