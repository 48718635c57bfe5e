"""What the database holds: its tables and their exact row counts."""

import psycopg
from psycopg import sql


def public_tables(conn: psycopg.Connection) -> list[str]:
    """The tables of the public schema (nexusdb's own), by name."""
    rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return sorted(name for (name,) in rows)


def row_counts(url: str) -> dict[str, int]:
    """Rows in each table, by table name: exact counts, not the planner's estimates."""
    counts = {}
    with psycopg.connect(url) as conn:
        for table in public_tables(conn):
            count = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            row = conn.execute(count).fetchone()
            counts[table] = int(row[0]) if row else 0
    return counts
