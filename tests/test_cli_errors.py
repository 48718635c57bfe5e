"""Expected failures are one line, for every command: a database that is down, missing or
refuses the user, bad settings, a schema this nexusdb does not know, bad arguments; and
migrations that wait for each other and leave what was there before nexusdb."""

import enum
import os
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url
from typer.testing import Result

from nexusdb.api.launch import NEXUSDB
from nexusdb.db import migrations
from nexusdb.db.engine import with_database
from tests.cli_support import commands, invoke, scalar
from tests.support import SEEDS, Databases, using_database

# Commands that can do their work without a database; every other one must fail.
NEED_NO_DATABASE = {"db history", "db start", "db status", "db stop", "db url"}


def sample_arguments(path: str, tmp_path: Path) -> list[str]:
    """The command line for `path` with a plausible value for each required parameter,
    read from the command itself, so a command added later is walked too."""
    words = path.split()
    for param in commands()[path].params:
        if not param.required:
            continue
        annotation = param.type_descriptor.annotation
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            value = str(next(iter(annotation)).value)
        elif annotation is Path:
            value = str(tmp_path / "file")
        elif annotation is int:
            value = "1"
        else:
            value = "iran"
        words += [param.opts[0], value] if param.param_type_name == "option" else [value]
    return words


def assert_one_line(result: Result, *fragments: str) -> str:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


DEAD_SERVER = "postgresql://postgres@127.0.0.1:1/x"
SCENARIOS = {
    "dead server": ({"DATABASE_URL": DEAD_SERVER}, "cannot reach"),
    "missing database": ({"DATABASE_URL": "{missing_database}"}, "does not exist"),
    "unknown role": ({"DATABASE_URL": "{unknown_role}"}, "does not exist"),
    "not a url": ({"DATABASE_URL": "not a url"}, "bad setting DATABASE_URL: not a PostgreSQL"),
    "bad timeout": (
        {"DATABASE_URL": DEAD_SERVER, "NEXUSDB_STATEMENT_TIMEOUT_MS": "abc"},
        "bad setting NEXUSDB_STATEMENT_TIMEOUT_MS: Input should be a valid integer",
    ),
    "bad page cache size": (
        {"DATABASE_URL": DEAD_SERVER, "NEXUSDB_EMBEDDED_SHARED_BUFFERS": "lots"},
        "bad setting NEXUSDB_EMBEDDED_SHARED_BUFFERS: 'lots' is not a size such as 2GB",
    ),
}


@pytest.mark.parametrize("path", sorted(commands()))
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_every_command_fails_in_one_line(
    scenario: str,
    path: str,
    server_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A command must fail fast and cleanly when the database is not there: a command that
    would serve or wait forever should check the database first."""
    settings, expected = SCENARIOS[scenario]
    urls = {
        "missing_database": with_database(server_url, "nexusdb_no_such_database"),
        "unknown_role": make_url(server_url)
        .set(username="nexusdb_no_such_role")
        .render_as_string(hide_password=False),
    }
    monkeypatch.setenv("NEXUSDB_DATA_DIR", str(tmp_path / "data"))  # never the suite's server
    for name, value in settings.items():
        monkeypatch.setenv(name, value.format(**urls))
    with using_database(monkeypatch, os.environ["DATABASE_URL"]):
        result = invoke(*sample_arguments(path, tmp_path))
    if path in NEED_NO_DATABASE and result.exit_code == 0:
        return
    line = assert_one_line(result)
    # A command that reads a file may refuse the missing sample file before connecting.
    if str(tmp_path / "file") not in line:
        assert result.exit_code == 1, result.output
        assert expected in line


def test_the_walk_reaches_the_commands_the_issue_named() -> None:
    named = {"search", "actor", "timeline", "graph", "sql", "export", "db dump", "db restore"}
    assert named | {"stats", "seed", "db upgrade"} <= set(commands())


@pytest.mark.parametrize(
    ("arguments", "code", "fragment"),
    [
        (["search", "drones", "--limit", "99999999999"], 2, "Invalid value for '--limit'"),
        (["graph", "russia", "--limit", "99999999999"], 2, "Invalid value for '--limit'"),
        (["timeline", "--from", "2025", "--to", "2024"], 1, "2025 is after 2024: no event"),
        (["timeline", "--from", "2024-13", "--to", "2024"], 2, "impossible date '2024-13'"),
        (["graph", "russia", "--type", "picnics_with"], 1, "unknown relationship type 'picnics_"),
        (["actor", "Ir\udcffan"], 1, "argument 2 is not UTF-8 text: Ir\\xffan"),
        (["search", "drone\x00; DELETE"], 1, "argument 2 contains a NUL character"),
        (["sql", "SELECT 1\x00; DELETE FROM actor"], 1, "argument 2 contains a NUL character"),
        (["db", "upgrade", "nosuchrevision"], 1, "Can't locate revision identified by"),
    ],
)
def test_bad_arguments_are_refused_in_one_line(
    seeded: str, arguments: list[str], code: int, fragment: str
) -> None:
    result = invoke(*arguments)
    assert result.exit_code == code
    assert_one_line(result, fragment)


def test_a_range_within_one_period_is_not_inverted(seeded: str) -> None:
    assert invoke("timeline", "--from", "2024-12", "--to", "2024").exit_code == 0


def test_a_sql_file_with_a_nul_is_refused_not_cut_short(fresh: str, tmp_path: Path) -> None:
    query = tmp_path / "cut.sql"
    query.write_bytes(b"SELECT 1\x00; DELETE FROM actor")
    assert_one_line(invoke("sql", str(query)), f"{query} contains a NUL character")
    query.write_bytes(b"SELECT '\xff'")
    assert_one_line(invoke("sql", str(query)), f"{query} is not UTF-8 text: byte 0xff at 8")


def test_non_utf8_bytes_from_a_shell_are_one_line(seeded: str) -> None:
    result = subprocess.run(
        [NEXUSDB, "actor", b"Ir\xffan"],
        capture_output=True,
        env={"DATABASE_URL": seeded, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    assert result.returncode == 1
    assert result.stderr.decode().strip() == "Error: argument 2 is not UTF-8 text: Ir\\xffan"
    piped = subprocess.run(
        [NEXUSDB, "sql", "-"],
        input=b"SELECT 'Ir\xffan'",
        capture_output=True,
        env={"DATABASE_URL": seeded, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    assert piped.returncode == 1
    assert piped.stderr.decode().strip() == (
        "Error: standard input is not UTF-8 text: SELECT 'Ir\\xffan'"
    )


def test_a_revision_this_nexusdb_does_not_know_is_named(fresh: str) -> None:
    with psycopg.connect(fresh, autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0123456789ab'")
    for arguments in (
        ["db", "upgrade"],
        ["db", "downgrade", "base", "--yes"],
        ["db", "current"],
        ["seed", "--path", str(SEEDS)],
    ):
        result = invoke(*arguments)
        assert result.exit_code == 1
        line = assert_one_line(result, "revision 0123456789ab, which this nexusdb does not know")
        assert "run `nexusdb db upgrade`" not in line
    assert scalar(fresh, "SELECT version_num FROM alembic_version") == "0123456789ab"


def waiting_for_locks(conn: psycopg.Connection) -> int:
    row = conn.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    ).fetchone()
    assert row is not None
    return int(row[0])


def test_two_upgrades_at_once_take_turns(databases: Databases) -> None:
    url = databases.create("race")
    env = {"DATABASE_URL": url, "PATH": os.environ["PATH"]}
    with psycopg.connect(url, autocommit=True) as holder:
        # Hold the migration lock until both have reached it, so they start together.
        holder.execute("SELECT pg_advisory_lock(%s)", [migrations.MIGRATION_LOCK])
        racers = [
            subprocess.Popen([NEXUSDB, "db", "upgrade"], env=env, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        deadline = time.monotonic() + 120
        while waiting_for_locks(holder) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert waiting_for_locks(holder) == 2
        holder.execute("SELECT pg_advisory_unlock(%s)", [migrations.MIGRATION_LOCK])
        outcomes = sorted((racer.wait(), racer.communicate()[1].strip()) for racer in racers)
    head = migrations.head_revision()
    assert outcomes == [
        (0, f"already at {head}: nothing to do"),
        (0, f"schema upgraded from base to {head}"),
    ]


def extensions(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {name for (name,) in conn.execute("SELECT extname FROM pg_extension")}


def test_downgrade_to_base_asks_and_leaves_extensions_that_were_there(
    databases: Databases, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = databases.create("extensions")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION pg_trgm")
    with using_database(monkeypatch, url):
        assert invoke("db", "upgrade").exit_code == 0
        assert extensions(url) == {"plpgsql", "pg_trgm", "btree_gist", "unaccent"}
        refused = invoke("db", "downgrade", "base")
        assert refused.exit_code == 1
        assert_one_line(refused, "pass --yes")
        assert scalar(url, "SELECT version_num FROM alembic_version") == migrations.head_revision()
        result = invoke("db", "downgrade", "base", "--yes")
        assert result.exit_code == 0, result.output
    assert extensions(url) == {"plpgsql", "pg_trgm"}


def test_a_downgrade_blocked_by_an_outside_dependency_is_one_line(fresh: str) -> None:
    with psycopg.connect(fresh, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA outside; CREATE TABLE outside.note (t text)")
        conn.execute("CREATE INDEX note_t ON outside.note USING gist (t gist_text_ops)")
    result = invoke("db", "downgrade", "base", "--yes")
    assert result.exit_code == 1
    assert_one_line(
        result,
        "cannot drop extension btree_gist because other objects depend on it",
        "index outside.note_t depends on operator class gist_text_ops",
    )
    assert scalar(fresh, "SELECT version_num FROM alembic_version") == migrations.head_revision()
