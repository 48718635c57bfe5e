"""What every benchmark shares: a throwaway database on the chosen server, timing, output.

Results are tables on stdout; progress goes to stderr so a run can be piped to a file.
"""

import math
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import psycopg
from rich.console import Console
from sqlalchemy import create_engine, pool

from nexusdb.config import get_settings
from nexusdb.db import embedded, migrations
from nexusdb.db.admin import create_database, drop_database
from nexusdb.db.engine import redact, sqlalchemy_url, with_database

results = Console(width=140)
progress = Console(stderr=True)

# A call slower than this is stopped and counted at this value, so one pathological hub
# cannot stall a whole run; tables flag percentiles that such calls decide.
DEFAULT_TIMEOUT_MS = 10_000


def server_url() -> str:
    """DATABASE_URL's server when set, else the embedded PostgreSQL (started on demand)."""
    settings = get_settings()
    if settings.database_url:
        return settings.database_url
    return embedded.start(settings.data_dir, settings.embedded_shared_buffers)


def server_version(url: str) -> str:
    with psycopg.connect(url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]).split()[0] if row else "unknown"


def existing_database(name: str) -> str:
    """The URL of a database kept by an earlier run (`--keep`), on the same server."""
    return with_database(server_url(), name)


@contextmanager
def fresh_database(purpose: str, *, keep: bool) -> Iterator[str]:
    """A new database migrated to head by nexusdb's own migrations; dropped unless `keep`.

    Migrating with `migrations.upgrade` means the benchmark measures whatever schema,
    triggers and functions the repository's head revision defines.
    """
    server = server_url()
    name = f"nexusdb_bench_{purpose}_{os.getpid()}"
    create_database(server, name)
    url = with_database(server, name)
    try:
        engine = create_engine(sqlalchemy_url(url), poolclass=pool.NullPool)
        try:
            started = time.perf_counter()
            migrations.upgrade(engine)
            progress.print(
                f"created {name} on PostgreSQL {server_version(url)}, migrated to head "
                f"in {time.perf_counter() - started:.1f} s"
            )
        finally:
            engine.dispose()
        yield url
    finally:
        if keep:
            progress.print(f"kept database {name} ({redact(url)}); reuse it with --database {name}")
        else:
            drop_database(server, name)


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: a value that was really measured, never an interpolation."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def verdict(ok: bool) -> str:
    return "[green]PASS[/green]" if ok else "[red]FAIL[/red]"


def rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f}" if seconds > 0 else "-"
