"""The seeder: idempotent, a declarative sync, safe under concurrency, and all-or-nothing."""

import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from nexusdb.cli import app
from nexusdb.seeding.loader import seed
from nexusdb.seeding.sync import SyncReport
from tests.support import SEEDS, make_engine, snapshot

runner = CliRunner()


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A copy of seeds/ that a test may edit."""
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


@pytest.fixture
def seeded_fresh(fresh: str) -> Engine:
    """A fresh database, seeded once, that the CLI also finds through DATABASE_URL."""
    engine = make_engine(fresh)
    seed(engine, SEEDS)
    return engine


def edit_yaml(path: Path, change: Any) -> None:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    records = yaml.load(path)
    change(records)
    yaml.dump(records, path)


def by_key(records: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return next(record for record in records if record["key"] == key)


def test_second_run_changes_no_row_and_no_id(seeded_fresh: Engine) -> None:
    before = snapshot(seeded_fresh)
    report = seed(seeded_fresh, SEEDS)
    assert isinstance(report, SyncReport)
    assert not report.changed
    assert snapshot(seeded_fresh) == before


def test_second_cli_run_says_there_is_nothing_to_change(seeded_fresh: Engine) -> None:
    result = runner.invoke(app, ["seed", "--path", str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert "no changes: the database already matches the seed" in result.output


def test_ids_are_derived_from_keys_so_every_database_agrees(
    seeded_fresh: Engine, seeded_engine: Engine
) -> None:
    query = text("SELECT key, id FROM actor ORDER BY key")
    with seeded_fresh.connect() as first, seeded_engine.connect() as second:
        assert first.execute(query).all() == second.execute(query).all()


def test_an_edited_entry_is_updated(seeded_fresh: Engine, seeds_copy: Path) -> None:
    edit_yaml(
        seeds_copy / "actors.yaml",
        lambda records: by_key(records, "iran").__setitem__("description", "Edited description."),
    )
    report = seed(seeded_fresh, seeds_copy)
    assert report is not None
    assert (report.tables["actor"].updated, report.tables["actor"].inserted) == (1, 0)
    with seeded_fresh.connect() as connection:
        row = connection.execute(
            text("SELECT description, updated_at > created_at FROM actor WHERE key = 'iran'")
        ).one()
    assert tuple(row) == ("Edited description.", True)


def test_a_deleted_entry_is_deleted_with_what_hangs_off_it(
    seeded_fresh: Engine, seeds_copy: Path
) -> None:
    with seeded_fresh.connect() as connection:
        victim = connection.execute(
            text(
                "SELECT r.key, count(e.claim_id) FROM relationship r"
                " JOIN relationship_evidence e ON e.relationship_id = r.id"
                " GROUP BY r.key ORDER BY r.key LIMIT 1"
            )
        ).one()
        relationships_before = connection.execute(
            text("SELECT count(*) FROM relationship")
        ).scalar_one()
    relationships = snapshot(seeded_fresh)["relationship"]
    edit_yaml(
        seeds_copy / "relationships.yaml",
        lambda records: records.remove(by_key(records, victim.key)),
    )
    report = seed(seeded_fresh, seeds_copy)
    assert report is not None
    assert report.tables["relationship"].deleted == 1
    assert report.tables["relationship_evidence"].deleted == victim.count
    with seeded_fresh.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM relationship")).scalar_one() == (
            relationships_before - 1
        )
        assert (
            connection.execute(
                text("SELECT count(*) FROM relationship WHERE key = :key"), {"key": victim.key}
            ).scalar_one()
            == 0
        )
    # The files, restored, bring it back with the same id and values.
    assert seed(seeded_fresh, SEEDS) is not None
    restored = [row[:-2] for row in snapshot(seeded_fresh)["relationship"]]  # less timestamps
    assert restored == [row[:-2] for row in relationships]


def test_a_corrected_source_text_and_its_quotes_sync_together(
    seeded_fresh: Engine, seeds_copy: Path
) -> None:
    """One more character early in the article moves every later paragraph and span."""
    article = seeds_copy / "000_5e7efc4d26c7660b.txt"
    article.write_bytes(
        article.read_bytes().replace(b"Simultaneously some", b"Simultaneously, some", 1)
    )
    replace_line(
        seeds_copy / "claims.yaml",
        'quote: "Simultaneously some Iranians',
        'quote: "Simultaneously, some Iranians',
    )
    report = seed(seeded_fresh, seeds_copy)
    assert report is not None
    assert report.tables["source_segment"].updated > 20
    with seeded_fresh.connect() as connection:
        mismatched = connection.execute(
            text(
                "SELECT count(*) FROM claim c JOIN source_segment s ON s.id = c.segment_id"
                " WHERE substr(s.text, c.span_start - s.start_offset + 1,"
                " c.span_end - c.span_start) <> c.quote"
            )
        ).scalar_one()
        moved = connection.execute(
            text("SELECT span_start FROM claim WHERE quote LIKE 'Simultaneously, some%'")
        ).scalar_one()
    assert mismatched == 0
    assert article.read_text(encoding="utf-8").index("Simultaneously, some") == moved


def test_rows_the_seed_does_not_own_are_left_alone(seeded_fresh: Engine) -> None:
    with seeded_fresh.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO actor (key, kind, name, origin)"
                " VALUES ('imported-actor', 'state', 'Imported', 'import:test')"
            )
        )
    report = seed(seeded_fresh, SEEDS)
    assert report is not None
    assert not report.changed
    with seeded_fresh.connect() as connection:
        assert (
            connection.execute(
                text("SELECT name FROM actor WHERE key = 'imported-actor'")
            ).scalar_one()
            == "Imported"
        )


def test_names_and_ids_others_add_to_seed_actors_survive_a_reseed(seeded_fresh: Engine) -> None:
    with seeded_fresh.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO actor_alias (actor_id, name, kind, origin)"
                " SELECT id, 'Military Forces of Russia (2000-)', 'alternative', 'import:acled'"
                " FROM actor WHERE key = 'russia'"
            )
        )
        connection.execute(
            text(
                "INSERT INTO actor_external_id (actor_id, scheme, value, origin)"
                " SELECT id, 'cow', '365', 'api' FROM actor WHERE key = 'russia'"
            )
        )
    report = seed(seeded_fresh, SEEDS)
    assert report is not None
    assert not report.changed
    with seeded_fresh.connect() as connection:
        kept = connection.execute(
            text(
                "SELECT origin FROM actor_alias WHERE name = 'Military Forces of Russia (2000-)'"
                " UNION ALL SELECT origin FROM actor_external_id WHERE scheme = 'cow'"
            )
        ).scalars()
        assert sorted(kept) == ["api", "import:acled"]


def test_two_seeders_at_once_end_with_one_copy_of_everything(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    reports: list[SyncReport | None] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            reports.append(seed(make_engine(fresh_url), SEEDS))
        except BaseException as error:  # handed to the main thread
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    changed = sorted(report.changed for report in reports if report is not None)
    assert changed == [False, True]
    single = make_engine(fresh_url)
    counts = {name: len(rows) for name, rows in snapshot(single).items()}
    expected = next(report for report in reports if report is not None and report.changed).rows
    for table_name, wanted in expected.items():
        assert counts[table_name] == wanted, table_name
    engine.dispose()


def replace_line(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert content.count(old) >= 1, f"{old!r} not in {path.name}"
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


def first_claim_quote(seeds: Path) -> str:
    return str(YAML(typ="safe").load(seeds / "claims.yaml")[0]["quote"])


BAD_INPUT = {
    "malformed YAML": (
        lambda seeds: (seeds / "places.yaml").write_text("- key: red-sea\n  name: [unclosed\n"),
        ["places.yaml", "malformed YAML", "line"],
    ),
    "wrong type": (
        lambda seeds: edit_yaml(
            seeds / "places.yaml", lambda r: r[0].__setitem__("latitude", "north")
        ),
        ["places.yaml", "field 'latitude'", "north"],
    ),
    "unknown reference": (
        lambda seeds: edit_yaml(
            seeds / "claims.yaml", lambda r: r[0].__setitem__("claimant", "no-such-actor")
        ),
        ["claims.yaml", "field 'claimant'", "unknown actor key 'no-such-actor'"],
    ),
    "duplicate key": (
        lambda seeds: edit_yaml(
            seeds / "actors.yaml", lambda r: r[1].__setitem__("key", r[0]["key"])
        ),
        ["actors.yaml", "field 'key'", "duplicate key"],
    ),
    "quote not in the source": (
        lambda seeds: edit_yaml(
            seeds / "claims.yaml",
            lambda r: r[0].__setitem__("quote", r[0]["quote"].replace(" ", "  ", 1)),
        ),
        ["claims.yaml", "field 'quote'", "quote not found", "nearest passage"],
    ),
    "quote from a source without text": (
        lambda seeds: edit_yaml(
            seeds / "claims.yaml", lambda r: r[0].__setitem__("source", "times-of-israel-report")
        ),
        [
            "claims.yaml",
            "field 'source'",
            "source 'times-of-israel-report' has no text to quote from; it grounds no claim"
            " until its text is added",
        ],
    ),
    "impossible date": (
        lambda seeds: edit_yaml(
            seeds / "events.yaml", lambda r: r[0].__setitem__("start", "2024-13-45")
        ),
        ["events.yaml", "field 'start'", "impossible date '2024-13-45'"],
    ),
    "unknown vocabulary code": (
        lambda seeds: edit_yaml(
            seeds / "events.yaml", lambda r: r[0].__setitem__("type", "picnic")
        ),
        ["events.yaml", "field 'type'", "unknown event type 'picnic'"],
    ),
    # Rules across entries, which the database enforces too: caught before writing so
    # the message names the entry.
    "overlapping relationship": (
        lambda seeds: edit_yaml(
            seeds / "relationships.yaml",
            lambda r: r.append({**by_key(r, "iran-supplies-arms-to-russia"), "key": "again"}),
        ),
        ["relationships.yaml", "entry 'again'", "field 'start'", "'iran-supplies-arms-to-russia'"],
    ),
    "external id on two actors": (
        lambda seeds: edit_yaml(
            seeds / "actors.yaml",
            lambda r: by_key(r, "russia")["external_ids"].append(
                dict(by_key(r, "iran")["external_ids"][0])
            ),
        ),
        ["actors.yaml", "entry 'russia'", "already identifies actor 'iran'"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_is_one_clear_line_and_changes_nothing(
    case: str, seeded_fresh: Engine, seeds_copy: Path
) -> None:
    breaks, expected = BAD_INPUT[case]
    breaks(seeds_copy)
    before = snapshot(seeded_fresh)
    result = runner.invoke(app, ["seed", "--path", str(seeds_copy)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    for fragment in expected:
        assert fragment in lines[0]
    assert "Traceback" not in result.output
    assert snapshot(seeded_fresh) == before


def test_check_validates_without_writing(fresh: str) -> None:
    engine = make_engine(fresh)
    result = runner.invoke(app, ["seed", "--check", "--path", str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert "valid, nothing written" in result.output
    assert all(rows == [] for name, rows in snapshot(engine).items() if name in {"actor", "claim"})


def test_a_database_not_at_head_is_refused_with_the_fix(databases: Any) -> None:
    engine = make_engine(databases.create("empty"))
    with pytest.raises(Exception, match="run `nexusdb db upgrade`"):
        seed(engine, SEEDS)


# Evidence tables: a claim cited by none of them, nor related to another claim, can be
# removed from claims.yaml without breaking another entry.
UNCITED_CLAIM = """
SELECT c.key FROM claim c
WHERE NOT EXISTS (
    SELECT 1 FROM claim_relation r WHERE c.id IN (r.claim_id, r.related_claim_id))
  AND c.id NOT IN (
    SELECT claim_id FROM event_evidence UNION ALL SELECT claim_id FROM relationship_evidence
    UNION ALL SELECT claim_id FROM event_participant_evidence
    UNION ALL SELECT claim_id FROM event_quantity_evidence
    UNION ALL SELECT claim_id FROM event_materiel_evidence
    UNION ALL SELECT claim_id FROM relationship_materiel_evidence)
ORDER BY c.key
LIMIT 1
"""


def test_a_seed_claim_that_an_api_event_cites_is_not_deleted(
    seeded_fresh: Engine, seeds_copy: Path
) -> None:
    with seeded_fresh.begin() as connection:
        claim_key = connection.execute(text(UNCITED_CLAIM)).scalar_one()
        connection.execute(
            text(
                "INSERT INTO event (key, event_type, title, origin)"
                " VALUES ('api-strike', 'war', 'Reported by a user', 'api')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO event_evidence (event_id, claim_id)"
                " SELECT e.id, c.id FROM event e, claim c"
                " WHERE e.key = 'api-strike' AND c.key = :claim"
            ),
            {"claim": claim_key},
        )
    edit_yaml(
        seeds_copy / "claims.yaml", lambda records: records.remove(by_key(records, claim_key))
    )
    before = snapshot(seeded_fresh)
    result = runner.invoke(app, ["seed", "--path", str(seeds_copy)])
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error: the seed no longer has entries that rows it does not own")
    assert f"claim '{claim_key}' is used by event_evidence of event 'api-strike' (origin api)" in (
        line
    )
    assert snapshot(seeded_fresh) == before


def test_links_others_add_to_seed_rows_survive_a_reseed(seeded_fresh: Engine) -> None:
    """Links the API adds to seed rows with rows of its own (a participant, evidence from
    its claim, what its claim is about) are the API's: the seed's files do not hold them,
    and an unchanged reseed must not delete them."""
    statements = [
        "INSERT INTO actor (key, kind, name, origin)"
        " VALUES ('api-observer', 'organization', 'Observer', 'api')",
        "INSERT INTO claim (key, source_id, claimant_id, kind, certainty, text, record_id,"
        " record_data, origin)"
        " SELECT 'api-claim', s.id, a.id, 'fact', 'asserted', 'A user says so', 'r-1', '{}',"
        " 'api' FROM source s, actor a WHERE a.key = 'iran' ORDER BY s.key LIMIT 1",
        "INSERT INTO event_participant (event_id, actor_id, role)"
        " SELECT e.id, a.id, 'target' FROM event e, actor a"
        " WHERE e.key = 'abraham-accords' AND a.key = 'api-observer'",
        "INSERT INTO event_evidence (event_id, claim_id) SELECT e.id, c.id FROM event e, claim c"
        " WHERE e.key = 'abraham-accords' AND c.key = 'api-claim'",
        "INSERT INTO claim_actor (claim_id, actor_id) SELECT c.id, a.id FROM claim c, actor a"
        " WHERE c.key = 'api-claim' AND a.key = 'russia'",
    ]
    with seeded_fresh.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    before = snapshot(seeded_fresh)
    report = seed(seeded_fresh, SEEDS)
    assert report is not None
    assert not report.changed
    assert snapshot(seeded_fresh) == before
