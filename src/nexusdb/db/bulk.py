"""Bulk loads: take a table's foreign keys and plain indexes away, load, put them back.

docs/scaling.md: a foreign key checks each inserted row with a query of its own, and each
secondary index (above all the GIN on a `search_vector`) is updated row by row. For a
load that is large next to the table it is cheaper to drop them, load, rebuild every
index in one sorted pass, and re-add every foreign key `NOT VALID` followed by `VALIDATE
CONSTRAINT` (one anti-join over the table). Both come back from the catalog's own
definitions, so names, `DEFERRABLE` and `ON DELETE` are exactly what head defines, and a
row the per-row check would have refused fails the validation. Primary keys, unique and
exclusion constraints, CHECKs and generated columns are never touched: they work
throughout. The importer (one transaction) and the synthetic benchmark loader (a commit
per step) share this.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

FOREIGN_KEYS = (
    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
    " FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)"
    " ORDER BY 1, 2"
)
# Plain secondary indexes: not unique and not behind a constraint (primary key, unique,
# exclusion), so nothing depends on them for correctness while they are gone.
PLAIN_INDEXES = (
    "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index AS i"
    " WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisunique"
    " AND NOT EXISTS (SELECT FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)"
    " ORDER BY 1"
)


@dataclass
class Deferred:
    """What a bulk load took away from its tables, to be put back before it ends."""

    tables: list[str]
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)  # table, name, def
    indexes: list[str] = field(default_factory=list)  # CREATE INDEX statements


def defer(
    conn: psycopg.Connection[Any], tables: Sequence[str], *, indexes: bool = True
) -> Deferred:
    """Drop the tables' foreign keys (and, with `indexes`, their plain secondary indexes)."""
    deferred = Deferred(list(tables))
    deferred.foreign_keys = [
        (table, name, definition)
        for table, name, definition in conn.execute(FOREIGN_KEYS, [list(tables)]).fetchall()
    ]
    for table, name, _ in deferred.foreign_keys:
        conn.execute(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                sql.Identifier(table), sql.Identifier(name)
            )
        )
    if indexes:
        found = conn.execute(PLAIN_INDEXES, [list(tables)]).fetchall()
        for name, _ in found:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
        deferred.indexes = [definition for _, definition in found]
    return deferred


def rebuild_indexes(
    conn: psycopg.Connection[Any], deferred: Deferred, *, each: Callable[[], None] | None = None
) -> None:
    """Build every dropped index again (each a sorted build over the whole table)."""
    for definition in deferred.indexes:
        conn.execute(definition)
        if each:
            each()


def validate_foreign_keys(
    conn: psycopg.Connection[Any], deferred: Deferred, *, each: Callable[[], None] | None = None
) -> None:
    """Re-add every dropped foreign key NOT VALID, then validate it: one anti-join each.

    A row that breaks a key raises psycopg.errors.ForeignKeyViolation.
    """
    for table, name, definition in deferred.foreign_keys:
        conn.execute(
            sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {} NOT VALID").format(
                sql.Identifier(table), sql.Identifier(name), sql.SQL(definition)
            )
        )
        conn.execute(
            sql.SQL("ALTER TABLE {} VALIDATE CONSTRAINT {}").format(
                sql.Identifier(table), sql.Identifier(name)
            )
        )
        if each:
            each()
