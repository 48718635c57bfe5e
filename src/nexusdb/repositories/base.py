"""The generic repository: it runs statements, while domain repositories only build them.

Nothing here commits: the caller owns the session and its transaction.
"""

import uuid
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, ScalarSelect, Select, inspect, select
from sqlalchemy.orm import Session

from nexusdb.db.base import Base
from nexusdb.errors import NexusError
from nexusdb.schemas.read import Item, Page


class RecordNotFoundError(NexusError):
    """No row has the key asked for."""


M = TypeVar("M", bound=Base)


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
        """Keyset pagination in key order: at most `limit` rows whose key sorts after `after`."""
        key = key_column(self.model)
        if after is not None:
            statement = statement.where(key > after)
        found = self.session.scalars(statement.order_by(key).limit(limit + 1)).all()
        items = [read(row) for row in found[:limit]]
        return Page(items=items, next_after=items[-1].key if len(found) > limit else None)
