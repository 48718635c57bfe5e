"""`nexusdb db ...`: the schema commands, backups that restore to the same rows, and the
embedded server's lifecycle (on a data directory of its own, never the shared one)."""

import os
from pathlib import Path

import psycopg
import pytest

from nexusdb.db import embedded, migrations
from nexusdb.db.stats import row_counts
from nexusdb.errors import DatabaseUnavailableError
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


def shared_buffers(url: str) -> str:
    with psycopg.connect(url) as conn:
        return str(conn.execute("SHOW shared_buffers").fetchone()[0])  # type: ignore[index]


def test_embedded_server_runs_with_the_configured_shared_buffers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("NEXUSDB_DATA_DIR", str(data_dir))
    monkeypatch.setenv("NEXUSDB_EMBEDDED_SHARED_BUFFERS", "192MB")
    with using_database(monkeypatch, None):
        try:
            assert invoke("db", "start").exit_code == 0
            url = embedded.status(data_dir).server_url
            assert url is not None
            assert shared_buffers(url) == "192MB"
            # Running, it keeps its size and its clients: another one applies at its next start.
            with psycopg.connect(url) as client:
                assert embedded.start(data_dir, "160MB") == url
                assert client.execute("SELECT 1").fetchone() == (1,)
            assert shared_buffers(url) == "192MB"
            embedded.stop(data_dir)
            url = embedded.start(data_dir, "160MB")
            assert shared_buffers(url) == "160MB"
            # A size the machine cannot give is refused, and the server keeps its own.
            embedded.stop(data_dir)
            with pytest.raises(DatabaseUnavailableError, match="1TB is more than half of"):
                embedded.start(data_dir, "1TB")
            assert shared_buffers(url) == "160MB"
            embedded.stop(data_dir)
            assert shared_buffers(embedded.start(data_dir, "160MB")) == "160MB"
            # Unset: 2GB, or a quarter of a smaller machine's memory.
            embedded.stop(data_dir)
            url = embedded.start(data_dir, None)
            memory_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
            with psycopg.connect(url) as conn:
                size = conn.execute("SELECT pg_size_bytes(current_setting('shared_buffers'))")
                assert size.fetchone() == (min(2048, memory_mb // 4) * 2**20,)
        finally:
            embedded.stop(data_dir)
