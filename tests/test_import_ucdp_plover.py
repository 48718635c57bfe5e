"""`nexusdb import ucdp` and `nexusdb import plover`, on the same machinery as ACLED."""

import json
from pathlib import Path

from nexusdb.seeding.loader import seed
from tests.cli_support import invoke, scalar
from tests.import_files import (
    PLOVER_RECORDS,
    UCDP_COLUMNS,
    UCDP_RECORDS,
    ucdp_row,
    write_plover,
    write_ucdp,
)
from tests.support import SEEDS, make_engine
from tests.test_import_acled import counts, everything, rows


def test_a_ged_release_becomes_events_with_sides_and_death_counts(
    fresh: str, tmp_path: Path
) -> None:
    path = write_ucdp(tmp_path / "GEDEvent_v24_1.csv")
    result = invoke("import", "ucdp", str(path))
    assert result.exit_code == 0, result.output
    assert counts(fresh) == {
        "event": 3,
        "claim": 3,
        "event_evidence": 3,
        "event_participant": 6,
        "event_participant_evidence": 6,
        # Best with its bounds, and each side's, civilians' and unknown deaths.
        "event_quantity": 15,
        "event_quantity_evidence": 15,
        # Russia's government in two records is one actor; UCDP itself is the claimant.
        "actor": 6,
        "actor_alias": 5,
        "place": 3,
        "source": 1,
    }
    assert scalar(fresh, "SELECT count(*) FROM unsupported_fact") == 0
    figures = rows(
        fresh,
        "SELECT q.counted, q.low, q.high, q.qualifier FROM event_quantity AS q"
        " JOIN event AS e ON e.id = q.event_id WHERE e.key = 'ucdp-430002' ORDER BY q.counted",
    )
    assert figures == [
        ("civilians", 5, 5, "exact"),
        ("people", 4, 8, "between"),
        ("side A: Government of Russia (Soviet Union)", 0, 0, "exact"),
        ("side B: Civilians", 0, 0, "exact"),
        ("unknown", 0, 0, "exact"),
    ]
    event = rows(
        fresh,
        "SELECT e.event_type, e.start_date::text, e.end_date::text, p.location_precision, s.key"
        " FROM event AS e JOIN place AS p ON p.id = e.place_id JOIN claim AS c ON c.key = e.key"
        " JOIN source AS s ON s.id = c.source_id WHERE e.key = 'ucdp-430002'",
    )
    assert event == [("one_sided_violence", "2023-06-01", "2023-06-07", "admin1", "ucdp-ged-24-1")]


def test_a_newer_release_supersedes_and_an_older_one_does_not(fresh: str, tmp_path: Path) -> None:
    invoke("import", "ucdp", str(write_ucdp(tmp_path / "ged241.csv")))
    event_id = scalar(fresh, "SELECT id FROM event WHERE key = 'ucdp-430001'")
    revised = [ucdp_row("430001", best="25", high="31", low="24"), *UCDP_RECORDS[1:]]
    newer = write_ucdp(tmp_path / "ged251.csv", revised)
    result = invoke("import", "ucdp", str(newer), "--version", "25.1")
    assert result.exit_code == 0, result.output
    assert scalar(fresh, "SELECT id FROM event WHERE key = 'ucdp-430001'") == event_id
    assert rows(
        fresh,
        "SELECT q.low, q.high, s.key FROM event_quantity AS q JOIN event AS e ON e.id = q.event_id"
        " JOIN claim AS c ON c.key = e.key JOIN source AS s ON s.id = c.source_id"
        " WHERE e.key = 'ucdp-430001' AND q.counted = 'people'",
    ) == [(24, 31, "ucdp-ged-25-1")]
    before = everything(fresh)
    older = invoke("import", "ucdp", str(tmp_path / "ged241.csv"))
    assert "no changes" in older.output
    assert everything(fresh) == before


def test_a_ged_file_missing_a_required_column_is_refused(fresh: str, tmp_path: Path) -> None:
    path = tmp_path / "ged241.csv"
    header = [column for column in UCDP_COLUMNS if column not in ("best", "date_end")]
    path.write_text(",".join(header) + "\n", encoding="utf-8")
    result = invoke("import", "ucdp", str(path))
    assert result.exit_code == 1
    assert result.output.strip() == "Error: ged241.csv: missing required columns: date_end, best"


def test_a_bad_ged_record_names_its_line_and_field(fresh: str, tmp_path: Path) -> None:
    path = write_ucdp(tmp_path / "ged241.csv", [*UCDP_RECORDS, ucdp_row("430009", best="50")])
    result = invoke("import", "ucdp", str(path))
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: ged241.csv:5: 430009: best 50 is not between low 22 and high 30"
    )
    assert counts(fresh)["event"] == 0


def test_plover_actors_resolve_to_the_articles_by_qid_iso_code_and_alias(
    fresh: str, tmp_path: Path
) -> None:
    engine = make_engine(fresh)
    seed(engine, SEEDS)
    engine.dispose()
    seeded_actors = scalar(fresh, "SELECT count(*) FROM actor")
    result = invoke("import", "plover", str(write_plover(tmp_path / "polecat.jsonl")))
    assert result.exit_code == 0, result.output
    found = rows(
        fresh,
        "SELECT e.key, p.role, a.key, a.origin FROM event_participant AS p"
        " JOIN actor AS a ON a.id = p.actor_id JOIN event AS e ON e.id = p.event_id"
        " WHERE e.origin = 'import:plover' ORDER BY e.key, p.role",
    )
    assert found == [
        ("plover-plv-20241103-0001", "initiator", "russia", "seed"),  # Q159
        ("plover-plv-20241103-0001", "target", "iran", "seed"),  # IRN, a state
        ("plover-plv-20241104-0002", "initiator", "hezbollah", "seed"),  # alias Hizballah
        ("plover-plv-20241104-0002", "target", found[3][2], "import:plover"),
        ("plover-plv-20241105-0003", "initiator", found[4][2], "import:plover"),
        ("plover-plv-20241105-0003", "target", "ukraine", "seed"),  # UKR, no name
    ]
    # The IDF and the Russian-named armed forces, and POLECAT as the claimant.
    assert scalar(fresh, "SELECT count(*) FROM actor") == seeded_actors + 3
    assert rows(
        fresh,
        "SELECT a.key, al.name, al.origin FROM actor_alias AS al JOIN actor AS a"
        " ON a.id = al.actor_id WHERE al.origin = 'import:plover' AND a.origin = 'seed'"
        " ORDER BY a.key",
    ) == [
        # Hezbollah already has "Hizballah"; Ukraine was named only by its code.
        ("iran", "Iran", "import:plover"),
        ("russia", "Russia", "import:plover"),
    ]
    assert rows(
        fresh,
        "SELECT e.event_type, p.key FROM event AS e JOIN place AS p ON p.id = e.place_id"
        " WHERE e.key = 'plover-plv-20241103-0001'",
    ) == [("cooperation", "tehran")]  # the article's Tehran: same name, within 0.1 degrees
    assert scalar(fresh, "SELECT count(*) FROM unsupported_fact") == 0
    before = everything(fresh)
    assert "no changes" in invoke("import", "plover", str(tmp_path / "polecat.jsonl")).output
    assert everything(fresh) == before


def test_every_name_of_one_qid_becomes_an_alias_once(fresh: str, tmp_path: Path) -> None:
    engine = make_engine(fresh)
    seed(engine, SEEDS)
    engine.dispose()
    names = ["Ukraine", "Ukrainian State", "Ukrajina", "Ukrainian State"]
    records: list[dict[str, object]] = [
        {
            **PLOVER_RECORDS[2],
            "id": f"plv-ua-{n}",
            "recipient": [{"name": name, "identifier_id": "Q212"}],
        }
        for n, name in enumerate(names)
    ]
    result = invoke("import", "plover", str(write_plover(tmp_path / "polecat.jsonl", records)))
    assert result.exit_code == 0, result.output
    assert rows(
        fresh,
        "SELECT DISTINCT a.key FROM event_participant AS p JOIN actor AS a ON a.id = p.actor_id"
        " JOIN event AS e ON e.id = p.event_id WHERE e.origin = 'import:plover'"
        " AND p.role = 'target'",
    ) == [("ukraine",)]
    assert rows(
        fresh,
        "SELECT al.name, al.origin FROM actor_alias AS al JOIN actor AS a ON a.id = al.actor_id"
        " WHERE a.key = 'ukraine' ORDER BY al.name",
    ) == [
        ("Ukraine", "import:plover"),
        ("Ukrainian State", "import:plover"),
        ("Ukrajina", "import:plover"),
    ]


def test_a_truncated_plover_line_is_rejected_with_its_reason(fresh: str, tmp_path: Path) -> None:
    path = write_plover(tmp_path / "polecat.jsonl")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "plv-x", "date": "2024-11-06", "event": "AID"})[:25])
    result = invoke("import", "plover", str(path))
    assert result.exit_code == 1
    assert result.output.startswith("Error: polecat.jsonl:4: plv-x: record is not JSON (")
    rejects = tmp_path / "rejects.csv"
    result = invoke("import", "plover", str(path), "--skip-invalid", str(rejects))
    assert result.exit_code == 0, result.output
    assert counts(fresh)["event"] == len(PLOVER_RECORDS)
    assert "truncated line?" in rejects.read_text(encoding="utf-8")
