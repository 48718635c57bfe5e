"""Target 1: claim ingest at head against a raw COPY of the same records, side by side.

DESIGN.md: bulk ingest, with every constraint and index in place at the end, must reach
at least 0.5x the rate of a raw COPY of the same records into one flat table. Both
paths take the same claim records (quotes that really are their paragraph's text) over
the same connection, alternately, each as one COPY and one commit. A breakdown then
switches off one mechanism at a time on `claim` (row triggers, foreign-key checks,
secondary indexes) to show where the time goes, whatever the head revision defines.
"""

import statistics
import time
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg import sql
from rich.table import Table

from benchmarks.common import fresh_database, progress, rate, results, server_version, verdict
from benchmarks.synthetic import COLUMNS, Generator, Row, Scale, batches, copy_rows

TARGET_RATIO = 0.5
FLAT = "claim_flat"
# Tables the claims refer to; loaded untimed, before the timed COPYs.
REFERENCED = ("source", "actor", "source_author", "source_segment")


def prepare(url: str, records: int, seed: int) -> list[Row]:
    """Load the actors, sources and paragraphs the claims quote; return the claim rows."""
    generator = Generator(Scale(events=(records + 1) // 2, seed=seed))
    claims: list[Row] = []
    with psycopg.connect(url) as conn:
        base = generator.make_actors()
        for table, rows in base.items():
            copy_rows(conn, table, rows)
        for batch in batches(generator):
            for table in REFERENCED:
                copy_rows(conn, table, batch[table])
            claims += batch["claim"]
        # Same column names and types as claim's COPY list; no constraint, default or index.
        conn.execute(
            sql.SQL("CREATE TABLE {} AS SELECT {} FROM claim WITH NO DATA").format(
                sql.Identifier(FLAT), sql.SQL(", ").join(map(sql.Identifier, COLUMNS["claim"]))
            )
        )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    return claims[:records]


def timed_copy(conn: psycopg.Connection[Any], table: str, claims: list[Row]) -> float:
    """Seconds for one COPY and its commit, from an empty table after a checkpoint."""
    conn.execute(sql.SQL("TRUNCATE {} CASCADE").format(sql.Identifier(table)))
    conn.commit()
    try:
        conn.execute("CHECKPOINT")
    except psycopg.errors.InsufficientPrivilege:
        conn.rollback()  # a managed server: checkpoints then land where they land
    started = time.perf_counter()
    copy_rows(conn, table, claims, columns_of="claim")
    conn.commit()
    return time.perf_counter() - started


def drop_secondary_indexes(conn: psycopg.Connection[Any]) -> None:
    names = conn.execute(
        "SELECT indexrelid::regclass::text FROM pg_index "
        "WHERE indrelid = 'claim'::regclass AND NOT indisunique"
    ).fetchall()
    for (name,) in names:
        conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))


def drop_generated_columns(conn: psycopg.Connection[Any]) -> None:
    names = conn.execute(
        "SELECT attname FROM pg_attribute "
        "WHERE attrelid = 'claim'::regclass AND attgenerated <> '' AND NOT attisdropped"
    ).fetchall()
    for (name,) in names:
        conn.execute(
            sql.SQL("ALTER TABLE claim DROP COLUMN {} CASCADE").format(sql.Identifier(name))
        )


# Each step removes one more mechanism from claim (in this throwaway database only); the
# last leaves the keys and CHECKs.
STEPS: list[tuple[str, Callable[[psycopg.Connection[Any]], object]]] = [
    ("- row triggers (quote check)", lambda c: c.execute("ALTER TABLE claim DISABLE TRIGGER USER")),
    ("- foreign-key checks", lambda c: c.execute("ALTER TABLE claim DISABLE TRIGGER ALL")),
    ("- secondary indexes (GIN, btree)", drop_secondary_indexes),
    ("- generated columns (tsvector)", drop_generated_columns),
]


def run(*, records: int, repeats: int, seed: int, keep: bool) -> None:
    with fresh_database("ingest", keep=keep) as url:
        progress.print(f"  preparing {records:,} claim records and the paragraphs they quote")
        claims = prepare(url, records, seed)
        with psycopg.connect(url) as conn:
            seconds: dict[str, list[float]] = {FLAT: [], "claim": []}
            for repeat in range(repeats):
                # Alternate which goes first, so drift on a shared machine hits both.
                for table in (FLAT, "claim") if repeat % 2 == 0 else ("claim", FLAT):
                    seconds[table].append(timed_copy(conn, table, claims))
                    progress.print(f"  run {repeat + 1}: {table} {seconds[table][-1]:.1f} s")
            flat = statistics.median(seconds[FLAT])
            head = statistics.median(seconds["claim"])
            breakdown = [("claim at head", head)]
            for label, step in STEPS:
                try:
                    step(conn)
                    conn.commit()
                except psycopg.errors.InsufficientPrivilege:
                    conn.rollback()
                    breakdown.append((f"{label}: needs a superuser, skipped", 0.0))
                    continue
                runs = [timed_copy(conn, "claim", claims) for _ in range(repeats)]
                breakdown.append((label, statistics.median(runs)))
                progress.print(f"  {label}: {breakdown[-1][1]:.1f} s")
        print_results(len(claims), flat, head, breakdown, server_version(url), repeats)


def print_results(
    count: int,
    flat: float,
    head: float,
    breakdown: list[tuple[str, float]],
    version: str,
    repeats: int,
) -> None:
    ratio = flat / head
    table = Table(
        title=f"Target 1: COPY of {count:,} claim records, median of {repeats} "
        f"(PostgreSQL {version})"
    )
    for column in ("path", "seconds", "rows/s", "vs flat", "target", "verdict"):
        table.add_column(column, justify="left" if column == "path" else "right")
    table.add_row("(a) flat table, no constraints or indexes", f"{flat:.2f}", rate(count, flat))
    table.add_row(
        "(b) claim with everything at head",
        f"{head:.2f}",
        rate(count, head),
        f"{ratio:.2f}x",
        f">= {TARGET_RATIO}x",
        verdict(ratio >= TARGET_RATIO),
    )
    results.print(table)
    steps = Table(title="Where (b)'s time goes: claim with one more mechanism off per row")
    for column in ("claim", "seconds", "rows/s", "vs flat", "saved by this step"):
        steps.add_column(column, justify="left" if column == "claim" else "right")
    previous = head
    for label, seconds in breakdown:
        if seconds == 0.0:
            steps.add_row(label, "", "", "", "")
            continue
        saved = f"{(previous - seconds) / head:.0%} of (b)" if label != "claim at head" else ""
        steps.add_row(
            label, f"{seconds:.2f}", rate(count, seconds), f"{flat / seconds:.2f}x", saved
        )
        previous = seconds
    results.print(steps)
