"""Making the database match the plan: insert what is new, update what changed, delete what
the files no longer hold; touch only rows the seed owns (origin 'seed'), never imports.

One transaction, under an advisory lock so two seeders never interleave; foreign keys are
deferred to commit so rows can be written table by table whatever refers to what.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, text, tuple_, update

from nexusdb.db.base import Base
from nexusdb.seeding.plan import Plan, Row, identity

# An arbitrary, fixed key for pg_advisory_xact_lock: "nexusdb seed".
SEED_LOCK = 0x6E657875_7364_6264 & 0x7FFFFFFFFFFFFFFF

# Tables in the order rows may refer to earlier ones, and which rows of each the seed owns.
SEED_OWNED = "origin = 'seed'"


def _children(parent: str, column: str) -> str:
    return f"{column} IN (SELECT id FROM {parent} WHERE {SEED_OWNED})"


def _grandchildren(parent: str, parent_column: str, grandparent: str, column: str) -> str:
    return f"{column} IN (SELECT id FROM {parent} WHERE {_children(grandparent, parent_column)})"


OWNED_ROWS: dict[str, str] = {
    "source": SEED_OWNED,
    "actor": SEED_OWNED,
    "source_author": _children("source", "source_id"),
    "source_citation": _children("source", "citing_source_id"),
    "source_segment": _children("source", "source_id"),
    # Imports and the API add their own names and ids to seed actors: own only the seed's.
    "actor_alias": SEED_OWNED,
    "actor_external_id": SEED_OWNED,
    "place": SEED_OWNED,
    "materiel": SEED_OWNED,
    "claim": SEED_OWNED,
    "claim_actor": _children("claim", "claim_id"),
    "claim_relation": _children("claim", "claim_id"),
    "event": SEED_OWNED,
    "event_evidence": _children("event", "event_id"),
    "event_participant": _children("event", "event_id"),
    "event_participant_evidence": _grandchildren(
        "event_participant", "event_id", "event", "participant_id"
    ),
    "event_quantity": _children("event", "event_id"),
    "event_quantity_evidence": _grandchildren("event_quantity", "event_id", "event", "quantity_id"),
    "event_materiel": _children("event", "event_id"),
    "event_materiel_evidence": _grandchildren(
        "event_materiel", "event_id", "event", "event_materiel_id"
    ),
    "relationship": SEED_OWNED,
    "relationship_evidence": _children("relationship", "relationship_id"),
    "relationship_materiel": _children("relationship", "relationship_id"),
    "relationship_materiel_evidence": _grandchildren(
        "relationship_materiel", "relationship_id", "relationship", "relationship_materiel_id"
    ),
}


@dataclass
class TableChanges:
    inserted: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.deleted


@dataclass
class SyncReport:
    tables: dict[str, TableChanges] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(changes.total for changes in self.tables.values())


def _diff(
    wanted: dict[tuple[Any, ...], Row], existing: dict[tuple[Any, ...], Row]
) -> tuple[list[Row], list[Row], list[tuple[Any, ...]]]:
    inserts = [row for key, row in wanted.items() if key not in existing]
    updates = [
        row
        for key, row in wanted.items()
        if key in existing and any(existing[key][name] != value for name, value in row.items())
    ]
    deletes = [key for key in existing if key not in wanted]
    return inserts, updates, deletes


def _existing_rows(
    connection: Connection, table: Table, columns: list[str]
) -> dict[tuple[Any, ...], Row]:
    query = select(*(table.c[name] for name in columns)).where(text(OWNED_ROWS[table.name]))
    found: dict[tuple[Any, ...], Row] = {}
    for mapping in connection.execute(query).mappings():
        row = dict(mapping)
        found[identity(table.name, row)] = row
    return found


def sync(
    connection: Connection, plan: Plan, *, progress: Callable[[str], None] = lambda _: None
) -> SyncReport:
    """Apply `plan` inside the caller's transaction; the caller commits or rolls back.

    Deletes go first, children before parents, so a renamed entry frees its unique values
    before its new row arrives; a deleted parent's children are never wanted, so cascades
    remove nothing the plan keeps. Inserts and updates follow, parents first.
    """
    connection.execute(text("SET CONSTRAINTS ALL DEFERRED"))
    report = SyncReport()
    changes: list[tuple[Table, list[Row], list[Row]]] = []
    deletions: list[tuple[Table, list[tuple[Any, ...]]]] = []
    for table_name in OWNED_ROWS:
        table = Base.metadata.tables[table_name]
        wanted = plan.rows.get(table_name, {})
        columns = (
            list(next(iter(wanted.values()))) if wanted else [c.name for c in table.primary_key]
        )
        inserts, updates, deletes = _diff(wanted, _existing_rows(connection, table, columns))
        changes.append((table, inserts, updates))
        report.tables[table_name] = TableChanges(len(inserts), len(updates), len(deletes))
        report.rows[table_name] = len(wanted)
        if deletes:
            deletions.append((table, deletes))
    for table, deletes in reversed(deletions):
        progress(f"deleting from {table.name}")
        connection.execute(delete(table).where(tuple_(*table.primary_key).in_(deletes)))
    for table, inserts, updates in changes:
        progress(f"writing {table.name}")
        if inserts:
            connection.execute(insert(table), inserts)
        for row in updates:
            _update(connection, table, row)
    return report


def _update(connection: Connection, table: Table, row: Row) -> None:
    key_columns = list(table.primary_key)
    values: dict[str, Any] = {
        name: value for name, value in row.items() if name not in table.primary_key.columns
    }
    if "updated_at" in table.c:
        values["updated_at"] = func.now()
    connection.execute(
        update(table).where(*(column == row[column.name] for column in key_columns)).values(values)
    )


def lock(connection: Connection) -> None:
    """Wait for any other seeder to finish; released when the transaction ends."""
    connection.execute(select(func.pg_advisory_xact_lock(SEED_LOCK)))
