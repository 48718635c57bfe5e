"""`nexusdb db ...`: the schema commands, backups that restore to the same rows, and the
embedded server's lifecycle (on a data directory of its own, never the shared one)."""

from pathlib import Path

import pytest

from nexusdb.db import embedded, migrations
from nexusdb.db.stats import row_counts
from tests.cli_support import invoke
from tests.support import Databases, using_database


def test_current_is_head(seeded: str) -> None:
    result = invoke("db", "current")
    assert result.stdout.strip() == migrations.head_revision()


def test_history_ends_at_head(seeded: str) -> None:
    lines = invoke("db", "history").stdout.strip().splitlines()
    assert lines[-1].startswith(f"{migrations.head_revision()} (head)")


def test_url_is_the_database_url(seeded: str) -> None:
    assert invoke("db", "url").stdout.strip() == seeded


def test_dump_restores_to_the_same_rows(
    seeded: str, databases: Databases, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    dump_file = tmp_path / "nexus.dump"
    result = invoke("db", "dump", str(dump_file))
    assert result.exit_code == 0
    assert dump_file.stat().st_size > 0
    empty = databases.create("restore")
    with using_database(monkeypatch, empty):
        result = invoke("db", "restore", str(dump_file))
        assert result.exit_code == 0, result.stderr
        assert row_counts(empty) == row_counts(seeded)
        again = invoke("db", "restore", str(dump_file))
        assert again.exit_code == 1
        assert "the database is not empty" in again.stderr
        clean = invoke("db", "restore", "--clean", str(dump_file))
        assert clean.exit_code == 0, clean.stderr
        assert row_counts(empty) == row_counts(seeded)


def test_restore_refuses_what_is_not_a_dump(seeded: str, tmp_path: Path) -> None:
    missing = invoke("db", "restore", str(tmp_path / "none.dump"))
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"Error: no dump file {tmp_path / 'none.dump'}"
    not_a_dump = tmp_path / "notes.txt"
    not_a_dump.write_text("hello", encoding="utf-8")
    result = invoke("db", "restore", str(not_a_dump))
    assert result.exit_code == 1
    assert "is not a nexusdb dump" in result.stderr


def test_embedded_server_starts_and_stops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEXUSDB_DATA_DIR", str(tmp_path / "data"))
    with using_database(monkeypatch, None):
        try:
            assert "stopped" in invoke("db", "status").stdout
            assert invoke("db", "start").exit_code == 0
            assert "running (pid" in invoke("db", "status").stdout
            assert invoke("db", "stop").exit_code == 0
            assert "stopped" in invoke("db", "status").stdout
            assert "was not running" in invoke("db", "stop").stderr
        finally:
            embedded.stop(tmp_path / "data")
