"""`nexusdb sql` logs in as the reader role: no way back to the user nexusdb connects as.

The owner here is what a managed service gives you: an ordinary user that owns the
database, keeps private data in it, and holds pg_execute_server_program. A session of
the owner's that switched to the reader with SET ROLE could switch back (issue 11);
a session that logged in as the reader cannot.
"""

import stat
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from nexusdb.config import get_settings
from nexusdb.db import migrations
from nexusdb.db.admin import create_database, drop_database
from nexusdb.db.engine import with_database
from nexusdb.db.roles import READER_ROLE, create_reader_role
from tests.cli_support import invoke, scalar
from tests.conftest import RUN_ID
from tests.support import embedded_server, make_engine, using_database

OWNER = f"nexusdb_test_{RUN_ID}_owner"
SECRET = "private notes of the owner"


def as_user(url: str, user: str) -> str:
    """The same server URL, logging in as `user` without a password."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{user}@{parts.netloc.rpartition('@')[2]}"))


def execute(url: str, *statements: str | sql.Composable) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement if isinstance(statement, sql.Composable) else statement.encode())


@pytest.fixture(scope="module")
def owner_url(server_url: str) -> Iterator[str]:
    """A database owned and migrated by an ordinary user with private data and
    pg_execute_server_program, and a member of the reader role."""
    name = f"nexusdb_test_{RUN_ID}_owned"
    execute(server_url, f"CREATE ROLE {OWNER} LOGIN IN ROLE pg_execute_server_program")
    create_database(server_url, name)
    try:
        execute(server_url, f"ALTER DATABASE {name} OWNER TO {OWNER}")
        # The administrator's part: a reader role exists on the server (idempotent).
        admin = make_engine(with_database(server_url, name))
        create_reader_role(admin)
        admin.dispose()
        # What SET ROLE needed, the way `sql` used to become the reader.
        execute(server_url, f"GRANT {READER_ROLE} TO {OWNER}")
        url = as_user(with_database(server_url, name), OWNER)
        owner = make_engine(url)
        migrations.upgrade(owner)
        owner.dispose()
        execute(
            url,
            "CREATE SCHEMA private",
            "CREATE TABLE private.secret (v text)",
            f"INSERT INTO private.secret VALUES ('{SECRET}')",
        )
        yield url
    finally:
        drop_database(server_url, name)
        execute(server_url, f"DROP ROLE {OWNER}")


@pytest.fixture
def as_owner(owner_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with using_database(monkeypatch, owner_url):
        yield owner_url


def test_the_owner_is_an_ordinary_user_who_can_run_programs(as_owner: str) -> None:
    assert scalar(as_owner, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user") is False
    assert scalar(as_owner, "SELECT pg_has_role('pg_execute_server_program', 'USAGE')") is True
    assert scalar(as_owner, "SELECT v FROM private.secret") == SECRET


def test_create_reader_as_the_owner_grants_an_existing_role(as_owner: str) -> None:
    result = invoke("db", "create-reader")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip() == f"role {READER_ROLE} can read this database"


def test_sql_logs_in_as_the_reader(as_owner: str) -> None:
    result = invoke("sql", "SELECT session_user, current_user", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"session_user,current_user\n{READER_ROLE},{READER_ROLE}\n"


def test_reset_role_lands_on_the_reader(as_owner: str) -> None:
    result = invoke("sql", "SELECT set_config('role', 'none', true), current_user", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"set_config,current_user\nnone,{READER_ROLE}\n"


def test_the_reader_reads_the_research_surface(as_owner: str) -> None:
    result = invoke("sql", "SELECT count(*) AS kinds FROM actor_kind", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"kinds\n{scalar(as_owner, 'SELECT count(*) FROM actor_kind')}\n"


def test_switching_back_does_not_reach_the_owners_private_data(as_owner: str) -> None:
    result = invoke(
        "sql",
        "SELECT set_config('role', 'none', true),"
        " query_to_xml('SELECT current_user, v FROM private.secret', true, false, '')",
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: refused, `sql` runs as {READER_ROLE}: permission denied for schema private"
    )
    assert SECRET not in result.output


def test_reset_role_does_not_reach_the_owners_programs(as_owner: str) -> None:
    marker = Path(f"/tmp/nexusdb_escape_{uuid.uuid4().hex}")
    result = invoke(
        "sql",
        f"DO $$BEGIN RESET ROLE; EXECUTE 'COPY (SELECT 1) TO PROGRAM ''id > {marker}'''; END$$",
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: refused, `sql` runs as {READER_ROLE}: ")
    assert "to COPY to or from an external program" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not marker.exists()


@pytest.fixture
def reader_named(fresh_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], str]]:
    """Points NEXUSDB_READER_ROLE at a role of the test's own, dropped afterwards."""
    role = f"nexusdb_test_{RUN_ID}_reader"

    def use() -> str:
        monkeypatch.setenv("NEXUSDB_READER_ROLE", role)
        get_settings.cache_clear()
        return role

    yield use
    execute(fresh_url, f"DROP OWNED BY {role}", f"DROP ROLE {role}")


def test_create_reader_refuses_a_dangerous_existing_role(
    fresh: str, reader_named: Callable[[], str]
) -> None:
    role = reader_named()
    execute(fresh, f"CREATE ROLE {role} LOGIN BYPASSRLS IN ROLE pg_read_server_files")
    for command in (["db", "create-reader"], ["sql", "SELECT 1"]):
        result = invoke(*command)
        assert result.exit_code == 1
        assert result.stderr.strip() == (
            f"Error: refused: the role {role} exists but is not a safe read-only role"
            " (BYPASSRLS, member of pg_read_server_files); drop it or use another name"
            " (NEXUSDB_READER_ROLE)"
        )
    assert scalar(fresh, f"SELECT has_table_privilege('{role}', 'actor', 'SELECT')") is False


def test_a_reader_of_one_database_by_name(fresh: str, reader_named: Callable[[], str]) -> None:
    role = reader_named()
    result = invoke("sql", "SELECT current_user, count(*) AS actors FROM actor", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"current_user,actors\n{role},0\n"


@pytest.fixture
def password_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An embedded server of the test's own that asks nexus_reader for a password (and
    trusts everyone else), with nexusdb pointed at it through NEXUSDB_DATA_DIR."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("NEXUSDB_DATA_DIR", str(data_dir))
    with using_database(monkeypatch, None), embedded_server(data_dir, passwords_for=[READER_ROLE]):
        yield data_dir


def test_a_reader_that_needs_a_password(
    password_server: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke("db", "create-reader").exit_code == 0
    refused = invoke("sql", "SELECT current_user")
    assert refused.exit_code == 1
    assert refused.stderr.startswith(
        f"Error: refused: `sql` runs queries logged in as {READER_ROLE}, and the server did not"
        f" let {READER_ROLE} log in ("
    )
    assert len(refused.stderr.strip().splitlines()) == 1

    created = invoke("db", "create-reader", "--password")
    assert created.exit_code == 0, created.stderr
    passfile = password_server / "reader.pgpass"
    assert f"its password is in {passfile}" in created.stderr
    assert stat.S_IMODE(passfile.stat().st_mode) == 0o600
    # The owner's PGPASSWORD is not sent for the reader: the password file's is.
    monkeypatch.setenv("PGPASSWORD", "the owner's, not the reader's")
    result = invoke("sql", "SELECT current_user", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"current_user\n{READER_ROLE}\n"
    # A new password replaces the old line; the reader still logs in.
    assert invoke("db", "create-reader", "--password").exit_code == 0
    assert len(passfile.read_text(encoding="utf-8").splitlines()) == 1
    assert invoke("sql", "SELECT 1 AS one", "-f", "csv").stdout == "one\n1\n"
