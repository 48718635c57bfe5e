"""The command line as a user drives it: help, output formats, exit codes, one-line errors."""

import csv
import io
import json
import subprocess
from pathlib import Path

import psycopg
import pytest

from nexusdb.api.launch import NEXUSDB
from tests.cli_support import command_paths, invoke, scalar
from tests.support import REPOSITORY, using_database


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_every_command_has_help_with_an_example(path: list[str]) -> None:
    result = invoke(*path, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_every_command_is_documented(path: list[str]) -> None:
    reference = (REPOSITORY / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"### `nexusdb {' '.join(path)}`" in reference


def test_sql_prints_csv(seeded: str) -> None:
    result = invoke(
        "sql",
        "SELECT key, kind FROM actor WHERE key IN ('iran', 'russia') ORDER BY key",
        "--format",
        "csv",
    )
    assert result.exit_code == 0
    assert result.stdout == "key,kind\niran,state\nrussia,state\n"


def test_sql_prints_json(seeded: str) -> None:
    result = invoke("sql", "SELECT count(*) AS actors FROM actor", "-f", "json")
    assert json.loads(result.stdout) == [{"actors": scalar(seeded, "SELECT count(*) FROM actor")}]


def test_sql_json_of_no_rows_is_an_empty_list(seeded: str) -> None:
    result = invoke("sql", "SELECT key FROM actor WHERE false", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == []
    assert invoke("sql", "SELECT key FROM actor WHERE false", "-f", "csv").stdout == "key\n"


def test_sql_writes_rows_as_they_arrive(seeded: str) -> None:
    # Row 1,501 fails; the rows that came before it are already written, as a stream does.
    result = invoke(
        "sql", "SELECT 1 / (1501 - g) AS n FROM generate_series(1, 3000) g", "-f", "csv"
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: SQL error: division by zero"
    lines = result.stdout.splitlines()
    assert lines[0] == "n"
    assert 1_000 <= len(lines) - 1 < 1_500


def test_sql_table_shows_the_first_rows_and_says_so(seeded: str) -> None:
    result = invoke("sql", "SELECT g AS n FROM generate_series(1, 1005) g")
    assert result.exit_code == 0, result.stderr
    shown = [line.strip("│ ") for line in result.stdout.splitlines() if line.startswith("│")]
    assert shown[0] == "1"
    assert shown[-1] == "1000"
    assert result.stderr.strip() == (
        "showing the first 1000 rows; --format csv or json writes them all"
    )
    complete = invoke("sql", "SELECT g AS n FROM generate_series(1, 1000) g")
    assert complete.stderr == ""


def test_sql_reads_a_file(seeded: str, tmp_path: Path) -> None:
    query = tmp_path / "kinds.sql"
    query.write_text("SELECT code FROM actor_kind WHERE code = 'state'", encoding="utf-8")
    assert invoke("sql", str(query), "-f", "csv").stdout == "code\nstate\n"


def test_sql_longer_than_a_file_name_is_a_query(seeded: str) -> None:
    # Taken for a path, a query of more than 255 bytes made stat() fail with a traceback.
    padding = " ".join(f"AND {n} = {n}" for n in range(40))
    query = f"SELECT code FROM actor_kind WHERE code = 'state' {padding}"
    assert len(query.encode()) > 255
    result = invoke("sql", query, "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "code\nstate\n"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("DELETE FROM claim_actor", "refused, `sql` only reads"),
        ("COMMIT; DELETE FROM claim_actor", "one SQL statement at a time"),
        ("SELECT 1; DELETE FROM claim_actor", "one SQL statement at a time"),
        ("COPY actor_kind TO PROGRAM 'true'", "refused, `sql` runs as nexus_reader"),
        ("WITH gone AS (DELETE FROM claim_actor RETURNING 1) SELECT * FROM gone", "only reads"),
        ("SELECT set_config('transaction_read_only', 'off', true)", "read-write mode"),
        ("SELECT set_config('role', 'postgres', true)", 'permission denied to set role "postgres"'),
        ("SELECT pg_read_file('PG_VERSION')", "permission denied for function pg_read_file"),
        ("SELEC 1", 'syntax error at or near "SELEC"'),
    ],
)
def test_sql_changes_nothing(fresh: str, query: str, message: str) -> None:
    with_rows = "INSERT INTO actor (key, kind, name) VALUES ('kept', 'state', 'Kept')"
    with psycopg.connect(fresh, autocommit=True) as conn:
        conn.execute(with_rows)
    result = invoke("sql", query)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert scalar(fresh, "SELECT count(*) FROM actor") == 1


def test_sql_logs_in_as_the_reader(seeded: str) -> None:
    result = invoke("sql", "SELECT session_user, current_user", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1] == "nexus_reader,nexus_reader"


def test_sql_statement_timeout(seeded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEXUSDB_STATEMENT_TIMEOUT_MS", "100")
    with using_database(monkeypatch, seeded):
        result = invoke("sql", "SELECT pg_sleep(2)")
    assert result.exit_code == 1
    assert "longer than 100 ms" in result.stderr


def test_sql_missing_file_is_one_line(seeded: str) -> None:
    result = invoke("sql", "no-such-query.sql")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no SQL file no-such-query.sql"


def test_unreachable_database_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    with using_database(monkeypatch, "postgresql://postgres@127.0.0.1:1/nexusdb"):
        result = invoke("stats")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot reach the database at")
    assert len(result.stderr.strip().splitlines()) == 1


def test_actor_by_alias(seeded: str) -> None:
    result = invoke("actor", "Hizbullah", "-f", "json")
    assert result.exit_code == 0
    [profile] = json.loads(result.stdout)
    assert profile["actor_key"] == "hezbollah"
    assert "Hizbullah" in profile["aliases"]
    assert {"other_key": "iran", "label": "is sponsored by"}.items() <= next(
        edge for edge in profile["relationships"] if edge["other_key"] == "iran"
    ).items()


def test_actor_table_shows_the_profile(seeded: str) -> None:
    result = invoke("actor", "iran")
    assert result.exit_code == 0
    assert "Islamic Republic of Iran" in result.stdout


def test_a_typo_with_one_close_match_shows_that_actor(seeded: str) -> None:
    result = invoke("actor", "Hezbolah", "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["actor_key"] == "hezbollah"
    assert "the one close match is hezbollah" in result.stderr


def test_an_ambiguous_name_suggests_the_close_matches(seeded: str) -> None:
    result = invoke("actor", "Trum")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: no actor 'Trum'; did you mean: donald-trump, trump-first-administration,"
        " trump-second-administration?"
    )


def test_a_name_like_no_actor_is_one_line(seeded: str) -> None:
    result = invoke("actor", "xyzzy")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no actor 'xyzzy'"


def test_search_marks_the_words(seeded: str) -> None:
    result = invoke("search", "drone", "-f", "json")
    hits = json.loads(result.stdout)
    assert hits
    assert all("«" in hit["snippet"] for hit in hits)
    assert "iran-strikes-israel-april-2024" in {hit["key"] for hit in hits}


def test_timeline_filters_by_actor_and_dates(seeded: str) -> None:
    result = invoke(
        "timeline", "--actor", "hezbollah", "--from", "2024-09", "--to", "2024", "-f", "csv"
    )
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows
    assert all("hezbollah:" in row["participants"] for row in rows)
    assert "assassination-of-hassan-nasrallah" in {row["event"] for row in rows}


def test_timeline_bad_date_is_usage_error(seeded: str) -> None:
    result = invoke("timeline", "--from", "2024-13-45")
    assert result.exit_code == 2


def test_graph_lists_the_neighbourhood(seeded: str) -> None:
    result = invoke("graph", "russia", "--depth", "1", "-f", "json")
    rows = json.loads(result.stdout)
    assert rows[0] == {
        "actor": "russia",
        "name": "Russia",
        "kind": "state",
        "distance": 0,
        "path": "russia",
    }
    assert {"actor": "iran", "distance": 1, "path": "russia → iran"}.items() <= next(
        row for row in rows if row["actor"] == "iran"
    ).items()


def test_stats_counts_rows(seeded: str) -> None:
    result = invoke("stats", "-f", "json")
    counts = {row["table"]: row["rows"] for row in json.loads(result.stdout)}
    assert counts["actor"] == scalar(seeded, "SELECT count(*) FROM actor")
    assert counts["alembic_version"] == 1


def test_real_subprocess_sql_and_psql(seeded: str) -> None:
    env = {"DATABASE_URL": seeded, "PATH": "/usr/bin:/bin"}
    sql = subprocess.run(
        [NEXUSDB, "sql", "SELECT name FROM actor WHERE key = 'iran'", "-f", "csv"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert sql.stdout == "name\nIran\n"
    psql = subprocess.run(
        [NEXUSDB, "psql", "--", "-tA", "-c", "SELECT count(*) FROM actor"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert psql.stdout.strip() == str(scalar(seeded, "SELECT count(*) FROM actor"))


def test_timeline_takes_each_date_as_its_whole_period(seeded: str) -> None:
    result = invoke("timeline", "--from", "2024-11-20", "-f", "json")
    events = {row["event"] for row in json.loads(result.stdout)}
    # Dated "2024-11" (month precision): not over before the 20th.
    assert "lanza-statement-on-ukraine-peace" in events
    # Dated 2024-11-05 (day precision): over.
    assert "us-presidential-election-2024" not in events
