"""Running a researcher's SQL so that it can read everything and change nothing.

`SET TRANSACTION READ ONLY` alone is not enough: a string of several statements can
`COMMIT` and go on writing, and a superuser can `COPY ... TO PROGRAM`. So the query is
sent as a prepared statement, which PostgreSQL refuses to hold more than one command,
inside a read-only transaction with a statement timeout, always rolled back, as the role
`nexus_reader` (SELECT only).

How it becomes `nexus_reader` depends on who nexusdb connects as. An ordinary user's
session switches with SET LOCAL ROLE. A superuser's session cannot be trusted to stay
switched (the query itself could call `set_config('role', ...)`), so then the query gets
a session of its own, logged in as `nexus_reader`.
"""

from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import errors, sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from nexusdb.db.roles import READER_ROLE
from nexusdb.errors import NexusError

# Every table in the schema, and whether the reader role may read it: a role created
# after this database was migrated has no grants here yet.
UNREADABLE_TABLES = """
SELECT count(*) FROM pg_tables
WHERE schemaname = 'public'
  AND NOT has_table_privilege(%(role)s, format('%%I.%%I', schemaname, tablename), 'SELECT')
"""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def reader_can_read(url: str) -> bool:
    """True when `nexus_reader` exists, may log in, and may read every table of this database."""
    with psycopg.connect(url) as conn:
        role = conn.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", [READER_ROLE])
        can_login = role.fetchone()
        if can_login is None or not can_login[0]:
            return False
        row = conn.execute(UNREADABLE_TABLES, {"role": READER_ROLE}).fetchone()
    return row is not None and row[0] == 0


def _reason(error: psycopg.Error) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def reader_session_url(url: str) -> str:
    """The same database, logged in as `nexus_reader` (no password: it has none)."""
    params = conninfo_to_dict(url)
    params.pop("password", None)
    params["user"] = READER_ROLE
    return make_conninfo("", **params)


def _connect_as_reader(url: str) -> tuple[psycopg.Connection[Any], bool]:
    """A connection for the query, and whether it still has to SET ROLE to the reader."""
    conn = psycopg.connect(url, autocommit=True)
    superuser = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = session_user")
    row = superuser.fetchone()
    if row is None or not row[0]:
        return conn, True
    conn.close()
    try:
        return psycopg.connect(reader_session_url(url), autocommit=True), False
    except psycopg.OperationalError as error:
        raise NexusError(
            f"refused: nexusdb connects as a superuser, and the read-only role {READER_ROLE}"
            f" cannot log in to run the query on its own: {_reason(error)}"
        ) from error


def run_read_only(url: str, query: str, *, timeout_ms: int) -> QueryResult:
    """Run one SQL statement as `nexus_reader` in a read-only transaction that is rolled back."""
    conn, needs_set_role = _connect_as_reader(url)
    with conn:
        try:
            with conn.transaction(force_rollback=True):
                conn.execute("SET TRANSACTION READ ONLY")
                if needs_set_role:
                    conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(READER_ROLE)))
                conn.execute(
                    sql.SQL("SET LOCAL statement_timeout = {}").format(sql.Literal(timeout_ms))
                )
                # Bytes, as psycopg types a query string that is not a literal.
                cursor = conn.execute(query.encode(), prepare=True)
                if cursor.description is None:
                    return QueryResult(columns=[], rows=[])
                columns = [column.name for column in cursor.description]
                return QueryResult(columns=columns, rows=cursor.fetchall())
        except errors.ReadOnlySqlTransaction as error:
            raise NexusError(f"refused, `sql` only reads: {_reason(error)}") from error
        except errors.InsufficientPrivilege as error:
            raise NexusError(f"refused, `sql` runs as {READER_ROLE}: {_reason(error)}") from error
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
