"""Making the database match the plan: insert what is new, update what changed, delete what
the files no longer hold; touch only rows the seed owns (see `owned`), never imports' or
the API's, not even through a cascade: deleting a seed row that others' rows refer to is
refused, naming both.

One transaction, under an advisory lock so two seeders never interleave; foreign keys are
deferred to commit so rows can be written table by table whatever refers to what.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import (
    Connection,
    ForeignKey,
    Table,
    delete,
    func,
    insert,
    select,
    text,
    tuple_,
    update,
)

from nexusdb.db.base import Base
from nexusdb.errors import SeedError
from nexusdb.seeding.plan import Plan, Row, identity

# An arbitrary, fixed key for pg_advisory_xact_lock: "nexusdb seed".
SEED_LOCK = 0x6E657875_7364_6264 & 0x7FFFFFFFFFFFFFFF

# The tables the seed writes, in the order rows may refer to earlier ones.
SEED_TABLES = (
    "source",
    "actor",
    "source_author",
    "source_citation",
    "source_segment",
    "actor_alias",
    "actor_external_id",
    "place",
    "materiel",
    "claim",
    "claim_actor",
    "claim_relation",
    "event",
    "event_evidence",
    "event_participant",
    "event_participant_evidence",
    "event_quantity",
    "event_quantity_evidence",
    "event_materiel",
    "event_materiel_evidence",
    "relationship",
    "relationship_evidence",
    "relationship_materiel",
    "relationship_materiel_evidence",
)


def _references(table: Table) -> list[ForeignKey]:
    """`table`'s foreign keys to rows a seed may own, in column order."""
    return [
        foreign_key
        for column in table.columns
        for foreign_key in column.foreign_keys
        if foreign_key.column.table.name in SEED_TABLES
    ]


@cache
def owned(table_name: str) -> str:
    """A condition on `table_name`'s own columns that holds for the rows the seed owns.

    A row with an origin is the seed's when that origin is 'seed' (imports and the API add
    their own names and ids to seed actors, marked with theirs). A row without one, such
    as evidence or a participant, is the seed's only when every row it links is: evidence
    that an API claim gives a seed event belongs to the API, and a reseed leaves it.
    """
    table = Base.metadata.tables[table_name]
    if table_name not in SEED_TABLES:
        return "false"
    if "origin" in table.c:
        return "origin = 'seed'"
    conditions = []
    for reference in _references(table):
        column, parent = reference.parent, reference.column
        linked = f"{column.name} IN (SELECT {parent.name} FROM {parent.table.name}"
        linked += f" WHERE {owned(parent.table.name)})"
        conditions.append(f"({column.name} IS NULL OR {linked})" if column.nullable else linked)
    return " AND ".join(conditions)


def _seed_row_name(table_name: str, alias: str) -> str:
    """SQL naming a seed row by its key, or by the keyed row it belongs to."""
    table = Base.metadata.tables[table_name]
    if "key" in table.c:
        return f"'{table_name} ' || quote_literal({alias}.key)"
    reference = _references(table)[0]
    parent, inner = reference.column, f"{alias}_"
    return (
        f"'{table_name} of ' || (SELECT {_seed_row_name(parent.table.name, inner)}"
        f" FROM {parent.table.name} AS {inner}"
        f" WHERE {inner}.{parent.name} = {alias}.{reference.parent.name})"
    )


def _foreign_row_name(table_name: str, alias: str, *, skip: str | None = None) -> str:
    """SQL naming a row the seed does not own and its origin: `event 'x' (api)`, or for a
    link, the linked row that is not the seed's (`event_evidence of event 'x' (api)`);
    `skip` is the column through which the row was reached."""
    table = Base.metadata.tables[table_name]
    if "origin" in table.c or table_name not in SEED_TABLES:
        name = f"'{table_name}'" + (
            f" || ' ' || quote_literal({alias}.key)" if "key" in table.c else ""
        )
        origin = f"'origin ' || {alias}.origin" if "origin" in table.c else "'no origin'"
        return f"{name} || ' (' || {origin} || ')'"
    linked = []
    for number, reference in enumerate(_references(table)):
        if reference.parent.name == skip:
            continue
        parent, inner = reference.column, f"{alias}_{number}"
        linked.append(
            f"(SELECT {_foreign_row_name(parent.table.name, inner)}"
            f" FROM {parent.table.name} AS {inner}"
            f" WHERE {inner}.{parent.name} = {alias}.{reference.parent.name}"
            f" AND NOT ({owned(parent.table.name)}))"
        )
    return f"'{table_name} of ' || coalesce({', '.join(linked)})"


def _dependents(table: Table, dependent: Table, reference: ForeignKey) -> str:
    """Rows of `dependent` the seed does not own that refer, through `reference`, to rows
    of `table` in :ids: the seed row's name, the dependent's name and origin, how many."""
    column, target = reference.parent.name, reference.column.name
    dependent_name = _foreign_row_name(dependent.name, "dependent", skip=column)
    return f"""
SELECT {_seed_row_name(table.name, "deleted")}, {dependent_name}, count(*)
FROM (SELECT * FROM {dependent.name}
      WHERE {column} = ANY(:ids) AND NOT ({owned(dependent.name)})) AS dependent
JOIN {table.name} AS deleted ON deleted.{target} = dependent.{column}
GROUP BY 1, 2
ORDER BY 1, 2
"""


def _refuse_deleting_what_others_use(
    connection: Connection, deletions: list[tuple[Table, list[tuple[Any, ...]]]]
) -> None:
    """Refuse, naming them, to delete seed rows that rows the seed does not own refer to:
    a cascade would delete those rows (evidence an API event cites), and a restricting
    key would fail at commit with no entry named."""
    problems: list[str] = []
    for table, deletes in deletions:
        key_columns = [column.name for column in table.primary_key]
        for dependent in Base.metadata.sorted_tables:
            for reference in dependent.foreign_keys:
                if reference.column.table is not table:
                    continue
                ids = [key[key_columns.index(reference.column.name)] for key in deletes]
                found = connection.execute(
                    text(_dependents(table, dependent, reference)), {"ids": ids}
                )
                problems += [
                    f"{entry} is used by {who}" + (f", {rows} rows" if rows > 1 else "")
                    for entry, who, rows in found
                ]
    if problems:
        raise SeedError(
            "the seed no longer has entries that rows it does not own depend on, so nothing"
            f" was written: {'; '.join(problems)} (keep the entries, or change those rows)"
        )


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
    query = select(*(table.c[name] for name in columns)).where(text(owned(table.name)))
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
    for table_name in SEED_TABLES:
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
    progress("checking that deletions take nothing others own")
    _refuse_deleting_what_others_use(connection, deletions)
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
