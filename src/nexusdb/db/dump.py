"""Whole-database backups with pg_dump and pg_restore, in pg_dump's custom format.

A dump is a full backup: it holds the sources' text, which may be copyrighted; to share
data, use `nexusdb export`, which leaves out text that may not be redistributed.
Ownership and grants are left out, so a dump restores under any user, on any server of
the same major version; `nexusdb db create-reader` grants the read-only role again.
"""

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import psycopg

from nexusdb.db.stats import public_tables
from nexusdb.db.tools import ClientConnection, client_connection, find_program, server_major
from nexusdb.errors import NexusError

# What pg_dump and pg_restore say, with --verbose, as they reach each table's rows.
TABLE_DONE = re.compile(r'(?:dumping contents of|processing data for) table "([^"]+)"')
DUMPED_FROM = re.compile(r"Dumped from database version: (\d+)")

OnTable = Callable[[str], None]


def _run(arguments: list[str], connection: ClientConnection, on_table: OnTable) -> None:
    """Run a client program, reporting each table it reaches; its first error becomes ours."""
    with subprocess.Popen(
        arguments,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=connection.env,
    ) as process:
        assert process.stderr is not None
        messages = []
        for line in process.stderr:
            if match := TABLE_DONE.search(line):
                on_table(match.group(1))
            else:
                messages.append(line.strip())
    if process.returncode != 0:
        errors = [message for message in messages if "error:" in message] or messages
        program = Path(arguments[0]).name
        raise NexusError(f"{program} failed: {errors[0] if errors else 'no message'}")


def table_count(url: str) -> int:
    """How many tables the database holds: sizes a progress bar, tells an empty database."""
    with psycopg.connect(url) as conn:
        return len(public_tables(conn))


def dump(url: str, path: Path, *, on_table: OnTable) -> None:
    """Write the database at `url` to `path` (pg_dump's custom format)."""
    if not path.parent.is_dir():
        raise NexusError(f"cannot write {path}: no directory {path.parent}")
    pg_dump = find_program("pg_dump", server_major(url))
    connection = client_connection(url)
    _run(
        [
            str(pg_dump.path),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--verbose",
            f"--file={path}",
            f"--dbname={connection.conninfo}",
        ],
        connection,
        on_table,
    )


def dumped_from_major(path: Path, server_version: int) -> int:
    """The major version of the server a dump file was taken from (from its header)."""
    pg_restore = find_program("pg_restore", server_version)
    listing = subprocess.run(
        [str(pg_restore.path), "--list", str(path)], capture_output=True, text=True
    )
    match = DUMPED_FROM.search(listing.stdout)
    if listing.returncode != 0 or match is None:
        reason = listing.stderr.strip().splitlines()[0] if listing.stderr.strip() else ""
        raise NexusError(f"{path} is not a nexusdb dump (pg_dump custom format): {reason}")
    return int(match.group(1))


def restore(url: str, path: Path, *, clean: bool, on_table: OnTable) -> None:
    """Restore `path` into the database at `url` in one transaction: all of it or nothing.

    The database must be empty unless `clean` asks to drop what the dump holds first.
    """
    if not path.is_file():
        raise NexusError(f"no dump file {path}")
    version = server_major(url)
    source_version = dumped_from_major(path, version)
    if source_version != version:
        raise NexusError(
            f"{path} was dumped from PostgreSQL {source_version}; restore it into a "
            f"PostgreSQL {source_version} server, not {version}"
        )
    if not clean and table_count(url) > 0:
        raise NexusError(
            "the database is not empty: restore into an empty one, or pass --clean to "
            "replace what the dump holds"
        )
    pg_restore = find_program("pg_restore", version)
    connection = client_connection(url)
    _run(
        [
            str(pg_restore.path),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--verbose",
            *(["--clean", "--if-exists"] if clean else []),
            f"--dbname={connection.conninfo}",
            str(path),
        ],
        connection,
        on_table,
    )
