"""Every table, row by row, as JSONL (one `{"table": ..., "row": ...}` per line) or CSV files.

PostgreSQL writes the rows itself (`to_jsonb`, `COPY ... CSV`), so values keep their exact
database form. Tables come in foreign-key order, rows in primary-key order, all from one
snapshot, so an export can be loaded back table by table and diffs cleanly.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

import nexusdb.models  # noqa: F401 - registers every table in Base.metadata
from nexusdb.db.base import Base
from nexusdb.db.stats import public_tables
from nexusdb.models.token import PRIVATE_TABLES

# Columns that hold a source's words, and the expression that keeps them only when the
# source allows redistribution.
WITHHELD = {
    ("source_segment", "text"): sql.SQL(
        "CASE WHEN (SELECT may_redistribute FROM source WHERE source.id = t.source_id)"
        " THEN t.text END"
    ),
}

# With `withhold_quotes`, a claim's quote from such a source goes too, and every quoted
# claim carries the quote's length and SHA-256 (of its UTF-8 bytes) beside its span: a
# holder of the licensed text can check each claim against its own copy, a reader of the
# export cannot rebuild the text from the quotes.
WITHHELD_QUOTES = {
    **WITHHELD,
    ("claim", "quote"): sql.SQL(
        "CASE WHEN (SELECT may_redistribute FROM source WHERE source.id = t.source_id)"
        " THEN t.quote END"
    ),
}
QUOTE_CHECKS = {
    "claim": sql.SQL(
        "char_length(t.quote) AS quote_length,"
        " encode(sha256(convert_to(t.quote, 'UTF8')), 'hex') AS quote_sha256"
    ),
}

# A subgraph export holds the graph itself: the actors around one actor, and the
# relationships among them.
SUBGRAPH_FILTERS = {
    "actor": sql.SQL("t.key = ANY(%(actor_keys)s)"),
    "relationship": sql.SQL(
        "t.subject_id IN (SELECT id FROM actor WHERE key = ANY(%(actor_keys)s))"
        " AND t.object_id IN (SELECT id FROM actor WHERE key = ANY(%(actor_keys)s))"
    ),
}

# Generated columns are left out: they cannot be loaded back, and a search vector
# would give away the text it was computed from.
COLUMNS = """
SELECT column_name FROM information_schema.columns
WHERE table_schema = 'public' AND table_name = %s AND is_generated = 'NEVER'
ORDER BY ordinal_position
"""
PRIMARY_KEY = """
SELECT a.attname FROM pg_index i
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
WHERE i.indrelid = format('public.%%I', %s::text)::regclass AND i.indisprimary
ORDER BY array_position(i.indkey::int2[], a.attnum)
"""


def _dependency_order() -> dict[str, int]:
    """Where each table comes when parents precede children; the schema version first."""
    order = {"alembic_version": 0}
    for position, table in enumerate(Base.metadata.sorted_tables, start=1):
        order[table.name] = position
    return order


def table_names(conn: psycopg.Connection, *, subgraph: bool = False) -> list[str]:
    """The public tables but the API's private ones (tokens, stored responses), parents
    before children; tables the models do not know come last."""
    order = _dependency_order()
    names = SUBGRAPH_FILTERS if subgraph else set(public_tables(conn)) - set(PRIVATE_TABLES)
    return sorted(names, key=lambda name: (order.get(name, len(order)), name))


def _select(
    conn: psycopg.Connection, table: str, *, subgraph: bool, withhold_quotes: bool
) -> sql.Composed:
    """SELECT every column of `table` in primary-key order, with withheld text as NULL;
    for a subgraph, only the rows inside it (the query then takes `actor_keys`)."""
    columns = [name for (name,) in conn.execute(COLUMNS, [table])]
    key = [name for (name,) in conn.execute(PRIMARY_KEY, [table])] or columns
    withheld = WITHHELD_QUOTES if withhold_quotes else WITHHELD
    fields: list[sql.Composable] = [
        sql.SQL("{} AS {}").format(withheld[(table, column)], sql.Identifier(column))
        if (table, column) in withheld
        else sql.SQL("t.{}").format(sql.Identifier(column))
        for column in columns
    ]
    if withhold_quotes and table in QUOTE_CHECKS:
        fields.append(QUOTE_CHECKS[table])
    return sql.SQL("SELECT {fields} FROM {table} t WHERE {rows} ORDER BY {key}").format(
        fields=sql.SQL(", ").join(fields),
        table=sql.Identifier(table),
        rows=SUBGRAPH_FILTERS[table] if subgraph else sql.SQL("true"),
        key=sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(name)) for name in key),
    )


@contextmanager
def snapshot(url: str) -> Iterator[psycopg.Connection]:
    """A connection whose reads all see one consistent state of the database."""
    with psycopg.connect(url, autocommit=True) as conn, conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield conn


OnTable = Callable[[str], None]


def write_jsonl(
    url: str,
    path: Path,
    *,
    on_table: OnTable,
    actor_keys: list[str] | None = None,
    withhold_quotes: bool = False,
) -> None:
    """One line per row, `{"table": NAME, "row": {COLUMN: VALUE, ...}}`, for every table
    (or, given `actor_keys`, for those actors and the relationships among them)."""
    subgraph = actor_keys is not None
    with snapshot(url) as conn, path.open("w", encoding="utf-8") as out:
        for table in table_names(conn, subgraph=subgraph):
            rows = sql.SQL("SELECT to_jsonb(r)::text FROM ({}) r").format(
                _select(conn, table, subgraph=subgraph, withhold_quotes=withhold_quotes)
            )
            prefix = f'{{"table": "{table}", "row": '
            with conn.cursor(name=f"export_{table}") as cursor:
                cursor.itersize = 5_000
                for (row,) in cursor.execute(rows, {"actor_keys": actor_keys}):
                    out.write(f"{prefix}{row}}}\n")
            on_table(table)


def write_csv(
    url: str,
    directory: Path,
    *,
    on_table: OnTable,
    actor_keys: list[str] | None = None,
    withhold_quotes: bool = False,
) -> None:
    """One `TABLE.csv` per table in `directory`, as PostgreSQL's `COPY ... CSV HEADER` writes
    (or, given `actor_keys`, `actor.csv` and `relationship.csv` for that subgraph)."""
    directory.mkdir(parents=True, exist_ok=True)
    subgraph = actor_keys is not None
    with snapshot(url) as conn:
        for table in table_names(conn, subgraph=subgraph):
            copy = sql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv, HEADER)").format(
                _select(conn, table, subgraph=subgraph, withhold_quotes=withhold_quotes)
            )
            with (
                (directory / f"{table}.csv").open("wb") as out,
                conn.cursor() as cursor,
                cursor.copy(copy, {"actor_keys": actor_keys}) as data,
            ):
                for chunk in data:
                    out.write(chunk)
            on_table(table)
