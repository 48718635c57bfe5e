"""psql, pg_dump and pg_restore get DATABASE_URL's password in PGPASSWORD, never on their
command line, where `ps` shows it to every user of the machine (issue 11 §5)."""

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import psycopg
import pytest

from nexusdb.db.engine import with_database
from nexusdb.db.stats import row_counts
from tests.cli_support import invoke
from tests.support import embedded_server, using_database

PASSWORD = "s3cret-not-in-ps"


@pytest.fixture
def password_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """nexusdb pointed, by a DATABASE_URL with a password, at a server that asks for it."""
    with embedded_server(tmp_path / "data", superuser_password=PASSWORD) as server:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute("CREATE DATABASE passwords")
        url = with_database(server, "passwords")
        with psycopg.connect(url) as conn:
            conn.execute("CREATE TABLE note (v text)")
            conn.execute("INSERT INTO note VALUES ('kept')")
        with using_database(monkeypatch, url):
            yield url


@pytest.fixture
def command_lines(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The argument lists of the programs nexusdb starts (they still run)."""
    seen: list[list[str]] = []
    real_popen = subprocess.Popen

    def recording(arguments: list[str], *args: Any, **kwargs: Any) -> Any:
        seen.append(list(arguments))
        return real_popen(arguments, *args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", recording)
    return seen


def test_the_server_refuses_a_wrong_password(password_url: str) -> None:
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(password_url.replace(PASSWORD, "wrong")).close()


def test_dump_and_restore_keep_the_password_off_the_command_line(
    password_url: str, command_lines: list[list[str]], tmp_path: Path
) -> None:
    dump_file = tmp_path / "passwords.dump"
    dumped = invoke("db", "dump", str(dump_file))
    assert dumped.exit_code == 0, dumped.stderr
    restored = invoke("db", "restore", "--clean", str(dump_file))
    assert restored.exit_code == 0, restored.stderr
    assert row_counts(password_url)["note"] == 1
    programs = [Path(line[0]).name for line in command_lines]
    assert {"pg_dump", "pg_restore"} <= set(programs)
    assert not [line for line in command_lines if any(PASSWORD in word for word in line)]


def test_psql_gets_the_password_in_its_environment(
    password_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[tuple[list[str], dict[str, str]]] = []

    def execve(path: Any, arguments: list[str], env: dict[str, str]) -> NoReturn:
        started.append((arguments, env))
        raise SystemExit(0)

    monkeypatch.setattr(os, "execve", execve)
    invoke("psql", "--", "-tAc", "SELECT v FROM note")
    [(arguments, env)] = started
    assert not [word for word in arguments if PASSWORD in word]
    assert env["PGPASSWORD"] == PASSWORD
    # The same command line and environment log in for real.
    psql = subprocess.run(arguments, env=env, capture_output=True, text=True, check=True)
    assert psql.stdout.strip() == "kept"
