"""`nexusdb import acled`: realistic export files in, grounded events out, and nothing else."""

import csv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from nexusdb.ingest import load
from nexusdb.ingest.acled import Acled
from nexusdb.ingest.run import run_import
from nexusdb.schemas.seed import SourceFields
from nexusdb.seeding.loader import seed
from nexusdb.writing import write_source
from tests.cli_support import error_line, invoke, scalar
from tests.import_files import ACLED_RECORDS, acled_row, write_acled
from tests.support import SEEDS, make_engine
from tests.test_read_summaries import assert_derived_tables_are_exact

COUNTED_TABLES = (
    "event",
    "claim",
    "event_evidence",
    "event_participant",
    "event_participant_evidence",
    "event_quantity",
    "event_quantity_evidence",
    "actor",
    "actor_alias",
    "place",
    "source",
)


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            for table in COUNTED_TABLES
        }


def rows(url: str, query: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(query.encode()).fetchall()


def everything(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables an import writes, in a stable order."""
    return {table: rows(url, f"SELECT * FROM {table} ORDER BY 1, 2") for table in COUNTED_TABLES}


@pytest.fixture
def acled_file(tmp_path: Path) -> Path:
    return write_acled(tmp_path / "acled_v1.csv")


def test_an_export_becomes_events_actors_places_and_claims(fresh: str, acled_file: Path) -> None:
    result = invoke("import", "acled", str(acled_file))
    assert result.exit_code == 0, result.output
    assert counts(fresh) == {
        "event": 6,
        "claim": 6,
        "event_evidence": 6,
        # 4 + 4 + 1 + 1 + 2 + 2 named actors, associated actors included.
        "event_participant": 14,
        "event_participant_evidence": 14,
        "event_quantity": 6,
        "event_quantity_evidence": 6,
        # Ten distinct names, and ACLED itself as the claimant.
        "actor": 11,
        "actor_alias": 10,
        # Pokrovsk (three records), Kharkiv, Aleppo's old city, Nabatieh.
        "place": 4,
        "source": 1,
    }
    assert scalar(fresh, "SELECT count(*) FROM unsupported_fact") == 0
    assert "records read" in result.output
    assert "new actors" in result.output


def test_all_three_time_precisions_keep_an_honest_interval(fresh: str, acled_file: Path) -> None:
    invoke("import", "acled", str(acled_file))
    dates = rows(
        fresh,
        "SELECT key, start_date::text, start_precision, end_date::text, end_precision"
        " FROM event WHERE key LIKE 'acled-ukr90010_' ORDER BY key",
    )
    assert dates == [
        ("acled-ukr900101", "2024-10-03", "day", "2024-10-03", "day"),
        # "05 October 2024", within a week: the week around the coded day.
        ("acled-ukr900102", "2024-10-02", "day", "2024-10-08", "day"),
        # Within a month: September 2024, not a made-up 15th.
        ("acled-ukr900103", "2024-09-01", "month", "2024-09-01", "month"),
        ("acled-ukr900104", "2024-10-04", "day", "2024-10-04", "day"),
    ]


def test_records_keep_their_roles_lists_figures_and_raw_data(fresh: str, acled_file: Path) -> None:
    invoke("import", "acled", str(acled_file))
    participants = rows(
        fresh,
        "SELECT a.name, p.role, a.kind FROM event_participant AS p"
        " JOIN actor AS a ON a.id = p.actor_id JOIN event AS e ON e.id = p.event_id"
        " WHERE e.key = 'acled-ukr900102' ORDER BY p.role, a.name",
    )
    assert participants == [
        ("Military Forces of Russia (2000-)", "initiator", "military"),
        ("Children (Ukraine)", "supporter", "population_group"),
        ("Women (Ukraine)", "supporter", "population_group"),
        ("Civilians (Ukraine)", "target", "population_group"),
    ]
    claim = rows(
        fresh,
        "SELECT c.record_id, c.record_data->>'notes', s.kind, a.key, e.event_type,"
        " q.low, q.high, q.kind FROM claim AS c JOIN source AS s ON s.id = c.source_id"
        " JOIN actor AS a ON a.id = c.claimant_id JOIN event AS e ON e.key = c.key"
        " JOIN event_quantity AS q ON q.event_id = e.id WHERE c.key = 'acled-ukr900102'",
    )
    assert claim == [
        (
            "UKR900102",
            ACLED_RECORDS[1]["notes"],
            "dataset",
            "acled",
            "shelling",
            2,
            2,
            "deaths",
        )
    ]
    places = rows(
        fresh,
        "SELECT p.name, p.kind, p.latitude, p.location_precision FROM event AS e"
        " JOIN place AS p ON p.id = e.place_id WHERE e.key IN ('acled-syr77001', 'acled-ukr900103')"
        " ORDER BY e.key",
    )
    assert places == [
        ("Ḥalab \u2013 al-Madīna", "city", 36.2021, "exact"),
        ("Kharkiv", "city", 49.9935, "near"),
    ]


def test_the_same_name_in_two_rows_and_two_imports_is_one_actor(
    fresh: str, acled_file: Path, tmp_path: Path
) -> None:
    invoke("import", "acled", str(acled_file))
    later = write_acled(tmp_path / "acled_v2.csv", [acled_row("UKR900200", fatalities="4")])
    assert invoke("import", "acled", str(later)).exit_code == 0
    russia = rows(
        fresh,
        "SELECT a.key, count(*) FROM actor AS a JOIN event_participant AS p ON p.actor_id = a.id"
        " WHERE a.name = 'Military Forces of Russia (2000-)' GROUP BY a.key",
    )
    assert len(russia) == 1
    assert russia[0][1] == 5
    aliases = rows(
        fresh,
        "SELECT name, origin FROM actor_alias WHERE name = 'Military Forces of Russia (2000-)'",
    )
    assert aliases == [("Military Forces of Russia (2000-)", "import:acled")]


def test_reimporting_the_same_file_changes_nothing_and_says_so(
    fresh: str, acled_file: Path
) -> None:
    invoke("import", "acled", str(acled_file))
    before = everything(fresh)
    result = invoke("import", "acled", str(acled_file))
    assert result.exit_code == 0
    assert "no changes" in result.output
    assert everything(fresh) == before


def test_a_newer_timestamp_updates_the_record_in_place(
    fresh: str, acled_file: Path, tmp_path: Path
) -> None:
    invoke("import", "acled", str(acled_file))
    ids = "SELECT e.id, c.id, q.id FROM event AS e JOIN claim AS c ON c.key = e.key"
    ids += " JOIN event_quantity AS q ON q.event_id = e.id WHERE e.key = 'acled-ukr900101'"
    before = rows(fresh, ids)
    changed = acled_row(
        "UKR900101",
        fatalities="7",
        actor2="Military Forces of Ukraine (2019-) National Guard",
        notes="Updated: seven killed.",
        timestamp="1729000000",
    )
    stale = acled_row("UKR900104", fatalities="99", timestamp="1700000000")
    update = write_acled(tmp_path / "update.csv", [changed, stale])
    result = invoke("import", "acled", str(update))
    assert result.exit_code == 0, result.output
    assert rows(fresh, ids) == before
    assert rows(
        fresh,
        "SELECT e.summary, q.low, c.record_data->>'timestamp' FROM event AS e"
        " JOIN claim AS c ON c.key = e.key JOIN event_quantity AS q ON q.event_id = e.id"
        " WHERE e.key = 'acled-ukr900101'",
    ) == [("Updated: seven killed.", 7, "1729000000")]
    targets = rows(
        fresh,
        "SELECT a.name FROM event_participant AS p JOIN actor AS a ON a.id = p.actor_id"
        " JOIN event AS e ON e.id = p.event_id WHERE e.key = 'acled-ukr900101'"
        " AND p.role = 'target'",
    )
    assert targets == [("Military Forces of Ukraine (2019-) National Guard",)]
    # An older timestamp is not an update; records absent from the file are left alone.
    assert rows(fresh, "SELECT low FROM event_quantity WHERE wording = 'fatalities: 99'") == []
    assert counts(fresh)["event"] == 6
    assert scalar(fresh, "SELECT count(*) FROM unsupported_fact") == 0


def test_deletions_remove_exactly_their_records_and_evidence(
    fresh: str, acled_file: Path, tmp_path: Path
) -> None:
    invoke("import", "acled", str(acled_file))
    before = counts(fresh)
    deletions = tmp_path / "deleted.csv"
    deletions.write_text(
        "event_id_cnty,deleted_timestamp\nUKR900102,1730000000\nNOT999,1730000000\n",
        encoding="utf-8",
    )
    result = invoke("import", "acled", str(acled_file), "--deletions", str(deletions))
    assert result.exit_code == 0, result.output
    after = counts(fresh)
    assert {table: before[table] - after[table] for table in COUNTED_TABLES} == {
        "event": 1,
        "claim": 1,
        "event_evidence": 1,
        "event_participant": 4,
        "event_participant_evidence": 4,
        "event_quantity": 1,
        "event_quantity_evidence": 1,
        "actor": 0,
        "actor_alias": 0,
        "place": 0,
        "source": 0,
    }
    assert scalar(fresh, "SELECT count(*) FROM event WHERE key = 'acled-ukr900102'") == 0
    assert scalar(fresh, "SELECT count(*) FROM unsupported_fact") == 0
    assert "1 listed deletions were not in the database" in result.output


def test_a_deletion_time_is_checked_like_a_timestamp(fresh: str, acled_file: Path) -> None:
    deletions = acled_file.with_name("deleted.csv")
    deletions.write_text(
        "event_id_cnty,deleted_timestamp\nUKR900101,1730000000\nUKR900102,not-a-time\n",
        encoding="utf-8",
    )
    result = invoke("import", "acled", str(acled_file), "--deletions", str(deletions))
    assert error_line(result) == (
        "Error: deleted.csv:3: UKR900102: deleted_timestamp 'not-a-time' is not a whole number"
    )
    assert counts(fresh)["event"] == 0


def test_a_deletion_wins_over_a_record_not_newer_than_it(fresh: str, tmp_path: Path) -> None:
    records = [
        acled_row("UKR1", timestamp="1728000000"),
        acled_row("UKR2", timestamp="1730000000"),  # as old as its deletion
        acled_row("UKR3", timestamp="1731000000"),  # newer than its deletion
    ]
    path = write_acled(tmp_path / "acled.csv", records)
    deletions = tmp_path / "deleted.csv"
    deletions.write_text(
        "event_id_cnty,deleted_timestamp\nUKR2,1730000000\nUKR3,1730000000\n", encoding="utf-8"
    )
    result = invoke("import", "acled", str(path), "--deletions", str(deletions))
    assert result.exit_code == 0, result.output
    assert rows(fresh, "SELECT record_id FROM claim ORDER BY 1") == [("UKR1",), ("UKR3",)]
    before = everything(fresh)
    again = invoke("import", "acled", str(path), "--deletions", str(deletions))
    assert again.output.startswith("no changes: ")
    assert everything(fresh) == before
    # A deletion older than the stored record leaves it; one as new removes it.
    deletions.write_text(
        "event_id_cnty,deleted_timestamp\nUKR1,1720000000\nUKR3,1731000000\n", encoding="utf-8"
    )
    later = write_acled(tmp_path / "later.csv", [acled_row("UKR4")])
    assert invoke("import", "acled", str(later), "--deletions", str(deletions)).exit_code == 0
    assert rows(fresh, "SELECT record_id FROM claim ORDER BY 1") == [("UKR1",), ("UKR4",)]


def test_a_bad_record_changes_nothing_and_names_file_line_id_and_field(
    fresh: str, tmp_path: Path
) -> None:
    records = [*ACLED_RECORDS[:3], acled_row("UKR900999", event_date="2024-13-40")]
    bad = write_acled(tmp_path / "acled_v1.csv", records)
    before = everything(fresh)
    result = invoke("import", "acled", str(bad))
    assert result.exit_code == 1
    # Record 2's notes span two lines, so the fourth record starts on line 6.
    assert result.output.strip() == (
        "Error: acled_v1.csv:6: UKR900999: event_date '2024-13-40' is not a date"
    )
    assert everything(fresh) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"time_precision": "4"}, "UKR900999: time_precision '4' is not 1, 2 or 3"),
        ({"sub_event_type": "Picnic"}, "sub_event_type 'Picnic' is not an ACLED sub-event type"),
        ({"iso": "9999"}, "iso '9999' is not an ISO 3166 numeric code"),
        ({"latitude": "91.5"}, "latitude '91.5' is outside -90..90"),
        ({"fatalities": "many"}, "fatalities 'many' is not a whole number"),
        ({"actor1": ""}, "actor1 is empty"),
        ({"event_id_cnty": " "}, "event_id_cnty is empty"),
    ],
)
def test_each_field_is_checked(
    fresh: str, tmp_path: Path, change: dict[str, str], message: str
) -> None:
    bad = write_acled(tmp_path / "acled.csv", [acled_row("UKR900999", **change)])
    result = invoke("import", "acled", str(bad))
    assert result.exit_code == 1
    assert result.output.startswith("Error: acled.csv:2: ")
    assert message in result.output


def test_a_file_missing_a_required_column_is_refused_before_reading(
    fresh: str, tmp_path: Path
) -> None:
    path = tmp_path / "short.csv"
    path.write_text("event_id_cnty,event_date,actor1\nUKR1,2024-10-03,X\n", encoding="utf-8")
    result = invoke("import", "acled", str(path))
    assert result.exit_code == 1
    assert result.output.startswith("Error: short.csv: missing required columns: year, ")
    assert "timestamp" in result.output
    assert counts(fresh)["event"] == 0


def test_encoding_errors_and_truncated_lines_are_bad_input(fresh: str, tmp_path: Path) -> None:
    latin1 = write_acled(tmp_path / "latin1.csv", ACLED_RECORDS[:2])
    latin1.write_bytes(latin1.read_bytes().replace(b"Pokrovsk", "Pokr\xf6vsk".encode("latin-1"), 1))
    result = invoke("import", "acled", str(latin1))
    assert result.exit_code == 1
    assert "latin1.csv:2: UKR900101: encoding line 2 is not UTF-8 (byte 0xf6" in result.output
    truncated = write_acled(tmp_path / "truncated.csv", ACLED_RECORDS[:2])
    truncated.write_bytes(truncated.read_bytes()[:-60])
    result = invoke("import", "acled", str(truncated))
    assert result.exit_code == 1
    assert result.output.startswith("Error: truncated.csv:3: ")
    assert "not valid CSV" in result.output or "truncated" in result.output
    assert counts(fresh)["event"] == 0


def test_skip_invalid_loads_the_good_records_and_writes_the_rejects(
    fresh: str, tmp_path: Path
) -> None:
    records = [
        *ACLED_RECORDS,
        acled_row("UKR900999", event_date="2024-13-40"),
        acled_row("UKR900101"),  # the first record again
    ]
    path = write_acled(tmp_path / "acled.csv", records)
    rejects = tmp_path / "rejects.csv"
    result = invoke("import", "acled", str(path), "--skip-invalid", str(rejects))
    assert result.exit_code == 0, result.output
    assert counts(fresh)["event"] == 6
    with rejects.open(encoding="utf-8", newline="") as handle:
        written = [
            (r["line"], r["record_id"], r["field"], r["reason"]) for r in csv.DictReader(handle)
        ]
    assert written == [
        ("9", "UKR900999", "event_date", "event_date '2024-13-40' is not a date"),
        ("10", "UKR900101", "event_id_cnty", "event_id_cnty repeats the record of line 2"),
    ]
    assert "2 rejected records written to" in result.output


def test_a_release_key_taken_by_a_source_that_is_no_dataset_is_refused(
    fresh: str, acled_file: Path
) -> None:
    """Record-grounded claims need a dataset source: the import does not hang them on a
    news report that happens to have the release's key."""
    engine = make_engine(fresh)
    seed(engine, SEEDS)
    with Session(engine) as session, session.begin():
        report = SourceFields(key="acled", kind="news_report", title="A report on ACLED")
        write_source(session, report, "ACLED counts events.\n")
    engine.dispose()
    before = everything(fresh)
    result = invoke("import", "acled", str(acled_file))
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: cannot import acled: source 'acled' is a news_report, not a dataset: it has"
        " no records; its claims quote its text ('quote')"
    )
    assert everything(fresh) == before


def test_seed_and_import_never_touch_each_others_rows(fresh: str, acled_file: Path) -> None:
    engine = make_engine(fresh)
    seed(engine, SEEDS)
    seed_rows = "SELECT * FROM {} WHERE origin = 'seed' ORDER BY id"
    seeded = {t: rows(fresh, seed_rows.format(t)) for t in ("actor", "place", "event", "claim")}
    assert invoke("import", "acled", str(acled_file)).exit_code == 0
    assert {t: rows(fresh, seed_rows.format(t)) for t in seeded} == seeded
    # Hezbollah is the article's actor, not a second one; it gains ACLED's name as an alias.
    hezbollah = rows(
        fresh,
        "SELECT a.key, a.origin FROM event_participant AS p JOIN actor AS a ON a.id = p.actor_id"
        " JOIN event AS e ON e.id = p.event_id WHERE e.key = 'acled-lbn5501' AND p.role = 'target'",
    )
    assert hezbollah == [("hezbollah", "seed")]
    imported = everything(fresh)
    seed(engine, SEEDS)
    engine.dispose()
    assert everything(fresh) == imported
    assert scalar(fresh, "SELECT count(*) FROM unsupported_fact") == 0


def test_a_bulk_load_checks_its_keys_once_and_restores_them_and_its_indexes(
    fresh: str, acled_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated"
    keys += " FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2"
    indexes = "SELECT tablename, indexname, indexdef FROM pg_indexes"
    indexes += " WHERE schemaname = 'public' ORDER BY 1, 2"
    before = rows(fresh, keys)
    indexes_before = rows(fresh, indexes)
    monkeypatch.setattr(load, "BULK_THRESHOLD", 1)
    monkeypatch.setattr(load, "BULK_SHARE", 1_000_000)
    result = invoke("import", "acled", str(acled_file))
    assert result.exit_code == 0, result.output
    assert rows(fresh, keys) == before
    # The plain indexes dropped for the load are back, exactly as head defines them.
    assert rows(fresh, indexes) == indexes_before
    assert counts(fresh)["event_participant_evidence"] == 14
    assert scalar(fresh, "SELECT count(*) FROM unsupported_fact") == 0


def test_a_bulk_load_leaves_the_read_summaries_exact(
    fresh: str, acled_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bulk load writes actor_event and actor_count itself, its triggers off: on top of
    # the seed's counts, then an update that moves a target and adds a record.
    engine = make_engine(fresh)
    seed(engine, SEEDS)
    monkeypatch.setattr(load, "BULK_THRESHOLD", 1)
    monkeypatch.setattr(load, "BULK_SHARE", 1_000_000)
    assert invoke("import", "acled", str(acled_file)).exit_code == 0
    hezbollah_2023 = (
        "SELECT n FROM actor_count JOIN actor ON actor.id = actor_count.actor_id"
        " WHERE actor.key = 'hezbollah' AND facet = 'event_year' AND category = '2023'"
    )
    with engine.connect() as connection:
        assert_derived_tables_are_exact(connection)
        before = connection.execute(text(hezbollah_2023)).scalar_one()
    update = write_acled(
        tmp_path / "update.csv",
        [
            acled_row("UKR900101", actor2="Hezbollah", timestamp="1729000000"),
            acled_row("UKR900300", event_date="2023-01-05", actor2="Hezbollah"),
        ],
    )
    result = invoke("import", "acled", str(update))
    assert result.exit_code == 0, result.output
    with engine.connect() as connection:
        assert_derived_tables_are_exact(connection)
        assert connection.execute(text(hezbollah_2023)).scalar_one() == before + 1
    engine.dispose()
    triggers = "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'"
    assert scalar(fresh, triggers) == 0


def test_two_imports_at_once_never_duplicate(fresh: str, acled_file: Path) -> None:
    engine = make_engine(fresh)
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(lambda _: run_import(engine, Acled(), acled_file), range(2)))
    engine.dispose()
    # One import waited for the other's lock, then found everything already there.
    assert sorted(report.created for report in reports) == [0, 6]
    assert counts(fresh)["actor"] == 11
    assert counts(fresh)["event"] == 6
