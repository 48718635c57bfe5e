"""The generic repository: it runs statements, while domain repositories only build them.

Nothing here commits: the caller owns the session and its transaction.
"""

import re
import uuid
from collections.abc import Callable, Collection
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    ColumnElement,
    ColumnExpressionArgument,
    ScalarSelect,
    Select,
    func,
    inspect,
    literal_column,
    select,
    text,
)
from sqlalchemy import Row as SqlRow
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from nexusdb.db.base import Base
from nexusdb.errors import NexusError
from nexusdb.models.vocabulary import Lookup
from nexusdb.schemas.read import Item, KeyedRead, Page


class RecordNotFoundError(NexusError):
    """No row has the key asked for."""


class InvalidCursorError(NexusError):
    """An `after` cursor that no page of this listing returned."""


def check_codes(session: Session, vocabulary: type[Lookup], codes: Collection[str]) -> None:
    """Refuse a filter code that is not in its vocabulary, naming the known ones, rather
    than match nothing: a misspelt code and an empty answer look alike."""
    known = set(session.scalars(select(vocabulary.code)))
    unknown = [code for code in codes if code not in known]
    if unknown:
        name = inspect(vocabulary).local_table.name.replace("_", " ")
        raise NexusError(
            f"unknown {name} {', '.join(map(repr, unknown))}; known: {', '.join(sorted(known))}"
        )


M = TypeVar("M", bound=Base)
Row = TypeVar("Row", bound=KeyedRead)
# A row of a statement of plain columns.
RowOf = SqlRow[*tuple[Any, ...]]

KEY = "[a-z0-9][a-z0-9-]*"
# What each page function's cursors look like (see docs/schema.md, "Pages").
CURSORS = {
    "actor_relationships": re.compile(f"[a-z0-9_]+:{KEY}"),
    "actor_timeline": re.compile(rf"\d{{4}}-\d{{2}}-\d{{2}}:{KEY}"),
    "timeline": re.compile(rf"\d{{4}}-\d{{2}}-\d{{2}}:{KEY}"),
    "actor_claims": re.compile(KEY),
}


def function_page(
    session: Session,
    function: str,
    arguments: dict[str, Any],
    read: Callable[[dict[str, Any]], Row],
    *,
    after: str | None,
    limit: int,
) -> tuple[Page[Row], bool]:
    """One keyset page from a page function of the migration (`actor_timeline`, ...):
    its rows read, and the next cursor. Also says whether the page is empty."""
    if limit < 1:
        raise InvalidCursorError(f"a page holds at least one row, not {limit}")
    if after is not None and not CURSORS[function].fullmatch(after):
        raise InvalidCursorError(f"not a cursor of {function}: {after!r}")
    names = ", ".join(f":{name}" for name in [*arguments, "after", "limit"])
    statement = text(f"SELECT * FROM {function}({names})")
    found = [
        dict(row)
        for row in session.execute(
            statement, {**arguments, "after": after, "limit": limit + 1}
        ).mappings()
    ]
    items = [read(row) for row in found[:limit]]
    next_after = found[limit - 1]["cursor"] if len(found) > limit else None
    return Page(items=items, next_after=next_after), not found


def json_list(
    element: ColumnExpressionArgument[Any], *order_by: ColumnExpressionArgument[Any]
) -> ColumnElement[Any]:
    """The aggregate of `element` as a JSON array in `order_by` order, `[]` for no rows:
    a row's collection read in the row's own statement."""
    return func.coalesce(
        func.json_agg(aggregate_order_by(element, *order_by)), literal_column("'[]'::json")
    )


def key_column(model: type[Base]) -> ColumnElement[Any]:
    """A curated model's stable slug: what rows are fetched by and pages are ordered by."""
    return inspect(model).columns["key"]


def id_of(model: type[Base], key: str) -> ScalarSelect[uuid.UUID]:
    """The id of the row with `key`, as a subquery, so a filter by key is one statement."""
    return select(inspect(model).columns["id"]).where(key_column(model) == key).scalar_subquery()


class Repository(Generic[M]):
    model: type[M]
    # What one row is called in messages: "no actor with key 'x'".
    noun: str

    def __init__(self, session: Session) -> None:
        self.session = session

    def base_statement(self) -> Select[M]:
        return select(self.model)

    def require(self, key: str) -> None:
        """Refuse a key no row has, as `get` would: for a filter that names a row."""
        found = self.session.scalar(
            select(key_column(self.model)).where(key_column(self.model) == key)
        )
        if found is None:
            raise RecordNotFoundError(f"no {self.noun} with key {key!r}")

    def one(self, statement: Select[M], *, key: str) -> M:
        found = self.session.scalars(statement.where(key_column(self.model) == key)).first()
        if found is None:
            raise RecordNotFoundError(f"no {self.noun} with key {key!r}")
        return found

    def page(
        self,
        statement: Select[M],
        read: Callable[[M], Item],
        *,
        after: str | None,
        limit: int,
    ) -> Page[Item]:
        """`row_page` for a statement of one ORM entity, each object read by `read`."""
        return self.row_page(statement, lambda row: read(row[0]), after=after, limit=limit)

    def row_page(
        self,
        statement: Select[*tuple[Any, ...]],
        read: Callable[[RowOf], Item],
        *,
        after: str | None,
        limit: int,
    ) -> Page[Item]:
        """Keyset pagination in key order: at most `limit` rows whose key sorts after
        `after`, each read by `read` (a row of plain columns builds no ORM object)."""
        key = key_column(self.model)
        if after is not None:
            statement = statement.where(key > after)
        found = self.session.execute(statement.order_by(key).limit(limit + 1)).all()
        items = [read(row) for row in found[:limit]]
        return Page(items=items, next_after=items[-1].key if len(found) > limit else None)

    def one_row(self, statement: Select[*tuple[Any, ...]], *, key: str) -> RowOf:
        found = self.session.execute(statement.where(key_column(self.model) == key)).first()
        if found is None:
            raise RecordNotFoundError(f"no {self.noun} with key {key!r}")
        return found
