"""Running a researcher's SQL so that it can read everything and change nothing.

The query runs on a session of its own that *logs in* as the reader role (`nexus_reader`),
never on a session of the user nexusdb connects as. A role switched to inside a session
(`SET ROLE`) is no boundary: the query itself can switch back (`RESET ROLE` in a DO block,
`set_config('role', 'none', ...)`) and act with that user's rights, private tables and
`COPY ... TO PROGRAM` included. Logged in as the reader, `RESET ROLE` lands on the reader.
Where the reader cannot log in, `sql` refuses and says why.

`SET TRANSACTION READ ONLY` alone is not enough either: a string of several statements can
`COMMIT` and go on writing. So the query goes over the extended protocol, which PostgreSQL
refuses to hold more than one command, inside a read-only transaction with a statement
timeout, always rolled back, and the role is checked to be nothing more than a reader.

Rows are streamed as they arrive (libpq's chunked or single-row mode), never all held in
memory, so the output of a query is bounded by the disk it goes to, not by RAM.
"""

from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import capabilities, errors, pq, sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from nexusdb.db.roles import refuse_risky, role_risks
from nexusdb.errors import NexusError
from nexusdb.models.token import PRIVATE_TABLES

# Every table in the schema but the API's private ones, and whether the reader role may
# read it: a role created after this database was migrated has no grants here yet.
UNREADABLE_TABLES = """
SELECT count(*) FROM pg_tables
WHERE schemaname = 'public'
  AND tablename <> ALL(%(private)s::text[])
  AND NOT has_table_privilege(%(role)s, format('%%I.%%I', schemaname, tablename), 'SELECT')
"""

# Rows fetched from the server at a time (libpq 17 and newer; older ones fetch row by row).
CHUNK_ROWS = 1_000


@dataclass(frozen=True)
class QueryRows:
    """A query's column names and its rows, read from the server while they are iterated."""

    columns: list[str]
    rows: Iterator[tuple[Any, ...]]


def reader_ready(url: str, role: str) -> bool:
    """True when `role` exists, may log in, and may read every table of this database."""
    with psycopg.connect(url) as conn:
        found = role_risks(conn, role)
        if found is None or not found[1]:
            return False
        row = conn.execute(
            UNREADABLE_TABLES, {"role": role, "private": list(PRIVATE_TABLES)}
        ).fetchone()
    return row is not None and row[0] == 0


def _reason(error: psycopg.Error) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def reader_conninfo(url: str, role: str, passfile: Path | None) -> str:
    """The same server and database, logged in as `role`.

    Never with the password of `url` or PGPASSWORD (both belong to the user nexusdb connects
    as; an empty password makes libpq skip PGPASSWORD): the reader's own password, if the
    server asks for one, comes from `passfile` when it exists, else libpq's usual password
    file (PGPASSFILE, ~/.pgpass).
    """
    params = conninfo_to_dict(url)
    params.update(user=role, password="")
    if passfile is not None and passfile.is_file():
        params["passfile"] = str(passfile)
    return make_conninfo("", **params)


def _connect(url: str, role: str, passfile: Path | None) -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(reader_conninfo(url, role, passfile), autocommit=True)
    except psycopg.OperationalError as error:
        raise NexusError(
            f"refused: `sql` runs queries logged in as {role}, and the server did not let"
            f" {role} log in ({_reason(error)}); `nexusdb db create-reader --password` gives it"
            " a password, see docs/cli.md"
        ) from error


def _columns(conn: psycopg.Connection[Any], query: bytes) -> list[str]:
    """Parse `query` as one statement (unnamed) and name the columns it returns (none for a
    command such as DO)."""
    prepared = conn.pgconn.prepare(b"", query)
    if prepared.status != pq.ExecStatus.COMMAND_OK:
        raise errors.error_from_result(prepared, encoding=conn.info.encoding)
    described = conn.pgconn.describe_prepared(b"")
    if described.status != pq.ExecStatus.COMMAND_OK:
        raise errors.error_from_result(described, encoding=conn.info.encoding)
    return [
        (described.fname(index) or b"").decode(conn.info.encoding)
        for index in range(described.nfields)
    ]


def _stream(conn: psycopg.Connection[Any], query: bytes) -> Generator[tuple[Any, ...]]:
    size = CHUNK_ROWS if capabilities.has_stream_chunked() else 1
    yield from conn.cursor().stream(query, size=size)


@contextmanager
def _one_line_errors(role: str, timeout_ms: int) -> Iterator[None]:
    """What PostgreSQL says about a refused or failed query, as one line for the user."""
    try:
        yield
    except errors.ReadOnlySqlTransaction as error:
        raise NexusError(f"refused, `sql` only reads: {_reason(error)}") from error
    except errors.InsufficientPrivilege as error:
        raise NexusError(f"refused, `sql` runs as {role}: {_reason(error)}") from error
    except errors.QueryCanceled as error:
        raise NexusError(
            f"the query ran longer than {timeout_ms} ms (NEXUSDB_STATEMENT_TIMEOUT_MS)"
        ) from error
    except errors.SyntaxError as error:
        if "multiple commands" in str(error):
            raise NexusError("one SQL statement at a time, please") from error
        raise NexusError(f"SQL error: {_reason(error)}") from error
    except psycopg.Error as error:
        raise NexusError(f"SQL error: {_reason(error)}") from error


@contextmanager
def read_only_query(
    url: str, query: str, *, role: str, passfile: Path | None, timeout_ms: int
) -> Iterator[QueryRows]:
    """Run one SQL statement logged in as `role`, in a read-only transaction rolled back at
    the end; its rows stream while the caller iterates them inside the `with` block."""
    # Bytes, as psycopg types a query string that is not a literal.
    statement = query.encode()
    with (
        _connect(url, role, passfile) as conn,
        _one_line_errors(role, timeout_ms),
        conn.transaction(force_rollback=True),
    ):
        # Logged in as it, so it exists; checked again here, as this is the session that runs.
        found = role_risks(conn, role)
        refuse_risky(role, found[0] if found else [])
        conn.execute("SET TRANSACTION READ ONLY")
        conn.execute(sql.SQL("SET LOCAL statement_timeout = {}").format(sql.Literal(timeout_ms)))
        columns = _columns(conn, statement)
        if not columns:
            conn.execute(statement, prepare=True)
            yield QueryRows(columns=[], rows=iter(()))
        else:
            rows = _stream(conn, statement)
            try:
                yield QueryRows(columns=columns, rows=rows)
            finally:
                # A caller that stops early (a capped table) leaves the stream holding the
                # connection: closing it cancels the query and lets the rollback through.
                rows.close()
