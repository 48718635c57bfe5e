"""Where the database is: DATABASE_URL as psql takes it, or the embedded server."""

import pytest
from typer.testing import CliRunner

from nexusdb.cli import app
from nexusdb.config import get_settings
from nexusdb.db.engine import database_url, redact, sqlalchemy_url, with_database

runner = CliRunner()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "postgresql://postgres@127.0.0.1:5432/db",
            "postgresql+psycopg://postgres@127.0.0.1:5432/db",
        ),
        ("postgres://u:p@host/db", "postgresql+psycopg://u:p@host/db"),
        (
            "postgresql://postgres:@/nexusdb?host=/tmp/pgdata",
            "postgresql+psycopg://postgres:@/nexusdb?host=%2Ftmp%2Fpgdata",
        ),
    ],
)
def test_a_plain_libpq_url_works(given: str, expected: str) -> None:
    assert sqlalchemy_url(given) == expected


def test_another_database_on_the_same_server() -> None:
    assert with_database("postgresql://u@h:5432/a?sslmode=require", "b") == (
        "postgresql://u@h:5432/b?sslmode=require"
    )


def test_passwords_are_hidden_in_messages() -> None:
    assert redact("postgresql://user:secret@host/db") == "postgresql://user:***@host/db"


def test_database_url_wins_when_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://someone@somewhere/db")
    get_settings.cache_clear()
    try:
        assert database_url() == "postgresql://someone@somewhere/db"
    finally:
        get_settings.cache_clear()


def test_an_unreachable_database_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres:secret@127.0.0.1:1/nowhere")
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["db", "current"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "Error: cannot reach the database at postgresql://postgres:***@127.0.0.1:1/nowhere"
    )
    assert "secret" not in result.output
