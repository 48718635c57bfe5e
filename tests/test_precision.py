"""Precision (issue 13): the database says what its source says, outside knowledge is a
claim of a named source, and the source's own view can be asked for.

Three layers: the seed validator's rules (each one fed the old content's mistake), the
database's rules (nesting, reference format, defaults, overstated relationships), and the
seeded content itself (the issue's done-when checks).
"""

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from nexusdb.cli import app
from nexusdb.db import migrations
from nexusdb.db.base import REFERENCE_PATTERN
from tests.cli_support import error_line
from tests.factories import make_event, make_relationship, make_world
from tests.support import SEEDS, Databases, make_engine
from tests.test_seeding import by_key, edit_yaml

runner = CliRunner()
ARTICLE = "security-lense-iran-russia-nexus"
PUBLISHED = "2024-11-21"
PREVIOUS_HEAD = "b1f7b8c2951b"


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


def first_participant(records: list[dict[str, object]], key: str) -> dict[str, object]:
    participants = by_key(records, key)["participants"]
    assert isinstance(participants, list)
    return dict(participants[0])


def set_participant(key: str, **fields: object) -> object:
    def change(records: list[dict[str, object]]) -> None:
        participants = by_key(records, key)["participants"]
        assert isinstance(participants, list)
        participants[0].update(fields)

    return change


def unsupported(
    key: str, part: str, index: int, claim: str, stance: str
) -> tuple[str, object, list[str]]:
    """An OLD_MISTAKES case: a participant, quantity or materiel link of event `key` cites
    `claim` with `stance` alone, so no claim supports it."""

    def change(records: list[dict[str, object]]) -> None:
        rows = by_key(records, key)[part]
        assert isinstance(rows, list)
        rows[index]["evidence"] = [{"claim": claim, "stance": stance}]

    where = [f"entry '{key}'", f"field '{part}[{index}].evidence'", "no claim supports it"]
    return ("events.yaml", change, where)


# -- the seed validator -------------------------------------------------------------------

# Each case puts back one of the old content's mistakes (issue 13's patterns).
OLD_MISTAKES = {
    "free-text date reference": (
        "events.yaml",
        lambda r: by_key(r, "us-presidential-election-2024").__setitem__(
            "date_basis_ref", "common knowledge"
        ),
        [
            "entry 'us-presidential-election-2024'",
            "field 'date_basis_ref'",
            "'common knowledge' is not a reference anyone can check",
        ],
    ),
    "free-text basis reference": (
        "places.yaml",
        lambda r: by_key(r, "tehran").__setitem__("basis_ref", "common knowledge"),
        ["entry 'tehran'", "field 'basis_ref'", "not a reference anyone can check"],
    ),
    "reference to a source that does not exist": (
        "relationships.yaml",
        lambda r: by_key(r, "haniyeh-leader-of-hamas").__setitem__(
            "date_basis_ref", "source:what-everyone-knows"
        ),
        ["entry 'haniyeh-leader-of-hamas'", "unknown source key 'what-everyone-knows'"],
    ),
    "occurred after publication": (
        "events.yaml",
        lambda r: by_key(r, "trump-return-to-white-house").__setitem__("factuality", "occurred"),
        [
            "entry 'trump-return-to-white-house'",
            "field 'factuality'",
            "starts 2025-01-20, after 'security-lense-iran-russia-nexus' was published",
            "it is 'expected'",
        ],
    ),
    "a date the source gives after publication": (
        "events.yaml",
        lambda r: by_key(r, "israel-hezbollah-war").__setitem__("date_basis", "source_text"),
        [
            "entry 'israel-hezbollah-war'",
            "field 'end'",
            "2024-11-27 is after 'security-lense-iran-russia-nexus' was published (2024-11-21)",
        ],
    ),
    "a relationship's date the source gives after publication": (
        "relationships.yaml",
        lambda r: by_key(r, "israel-at-war-with-hezbollah").update(
            date_basis="inferred", date_basis_ref=None
        ),
        ["entry 'israel-at-war-with-hezbollah'", "field 'end'", "cannot state it"],
    ),
    "outside participant without a reference": (
        "events.yaml",
        set_participant("assassination-of-ismail-haniyeh", basis="external", basis_ref=None),
        ["events.yaml", "participants", "basis 'external' needs a basis_ref"],
    ),
    "participant with a free-text reference": (
        "events.yaml",
        set_participant("assassination-of-ismail-haniyeh", basis_ref="the news"),
        [
            "entry 'assassination-of-ismail-haniyeh'",
            "field 'participants[0].basis_ref'",
            "'the news' is not a reference",
        ],
    ),
    "quantity with an unknown basis": (
        "events.yaml",
        lambda r: by_key(r, "israel-hamas-war")["quantities"][0].__setitem__("basis", "rumour"),
        ["entry 'israel-hamas-war'", "field 'quantities[0].basis'", "unknown basis 'rumour'"],
    ),
    "relationship surer than its claims": (
        "relationships.yaml",
        lambda r: by_key(r, "trump-opposes-iran").update(
            certainty="asserted", evidence=["question-trump-mindset-on-iran"]
        ),
        [
            "entry 'trump-opposes-iran'",
            "field 'certainty'",
            "'asserted' is stronger than the strongest claim it cites ('speculative':"
            " 'question-trump-mindset-on-iran')",
        ],
    ),
    "relationship that no claim supports": (
        "relationships.yaml",
        lambda r: by_key(r, "hezbollah-threatens-israel").__setitem__(
            "evidence", [{"claim": "hezbollah-still-serious-threat", "stance": "qualifies"}]
        ),
        ["entry 'hezbollah-threatens-israel'", "field 'evidence'", "no claim supports it"],
    ),
    "event that no claim supports": (
        "events.yaml",
        lambda r: by_key(r, "israel-hamas-war").__setitem__(
            "evidence", [{"claim": "war-engulfed-42-thousand", "stance": "disputes"}]
        ),
        ["entry 'israel-hamas-war'", "field 'evidence'", "no claim supports it"],
    ),
    "participant that no claim supports": unsupported(
        "israel-hamas-war", "participants", 1, "israel-hamas-war-set-region-on-fire", "qualifies"
    ),
    "quantity that no claim supports": unsupported(
        "israel-hamas-war", "quantities", 0, "war-engulfed-42-thousand", "disputes"
    ),
    "materiel link that no claim supports": unsupported(
        "pager-detonations", "materiel", 0, "pager-detonations", "qualifies"
    ),
    "child event before its parent": (
        "events.yaml",
        lambda r: by_key(r, "division-of-europe").__setitem__("parent", "cold-war"),
        [
            "entry 'division-of-europe'",
            "field 'parent'",
            "1945 to 1949 does not lie within parent 'cold-war' (1947 to 1991-12-26)",
        ],
    ),
    "ongoing child of an ended parent": (
        "events.yaml",
        lambda r: by_key(r, "red-sea-crisis").__setitem__("parent", "israel-hezbollah-war"),
        ["entry 'red-sea-crisis'", "does not lie within parent 'israel-hezbollah-war'"],
    ),
}


@pytest.mark.parametrize("case", sorted(OLD_MISTAKES))
def test_the_validator_refuses_the_old_contents_mistakes_in_one_line(
    case: str, fresh: str, seeds_copy: Path
) -> None:
    file_name, change, expected = OLD_MISTAKES[case]
    edit_yaml(seeds_copy / file_name, change)
    line = error_line(runner.invoke(app, ["seed", "--check", "--path", str(seeds_copy)]))
    for fragment in expected:
        assert fragment in line


def test_a_child_within_its_parent_allowing_for_precision_is_accepted(
    fresh: str, seeds_copy: Path
) -> None:
    # "2023" may be after the parent's 2023-10-07 start, so it fits.
    edit_yaml(
        seeds_copy / "events.yaml",
        lambda r: by_key(r, "red-sea-crisis").__setitem__("start", "2023"),
    )
    result = runner.invoke(app, ["seed", "--check", "--path", str(seeds_copy)])
    assert result.exit_code == 0, result.output


# -- the database's rules -----------------------------------------------------------------


def refused(session: Session, match: str, statement: str, **values: object) -> None:
    with pytest.raises(DBAPIError, match=match), session.begin_nested():
        session.execute(text(statement), values)


def test_the_database_keeps_a_part_within_its_whole(session: Session) -> None:
    world = make_world(session)
    whole = make_event(
        session,
        "whole",
        evidence=(world.war,),
        start=(date(2023, 10, 7), "day"),
        end=(date(2024, 11, 27), "day"),
    )
    # Within, allowing for precision: a part dated only "2023".
    make_event(
        session, "part", evidence=(world.war,), parent=whole, start=(date(2023, 1, 1), "year")
    )
    with (
        pytest.raises(DBAPIError, match="does not lie within its parent whole"),
        session.begin_nested(),
    ):
        make_event(
            session,
            "early-part",
            evidence=(world.war,),
            parent=whole,
            start=(date(2022, 1, 1), "year"),
        )
    # Moving the whole so that its part no longer fits is refused as well.
    refused(
        session,
        "event part .* does not lie within its parent whole",
        "UPDATE event SET start_date = '2024-01-01', start_precision = 'month' WHERE key = 'whole'",
    )
    refused(
        session,
        "event_within_parent|does not lie within",
        "UPDATE event SET is_ongoing = true WHERE key = 'part'",
    )


def test_events_without_a_parent_are_not_checked(session: Session) -> None:
    world = make_world(session)
    trigger_when = session.execute(
        text(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger"
            " WHERE tgname = 'event_check_within_parent'"
        )
    ).scalar_one()
    assert "WHEN ((new.parent_event_id IS NOT NULL))" in trigger_when
    assert world.invasion.parent_event_id is None


@pytest.mark.parametrize(
    ("column", "value"),
    [("basis_ref", "common knowledge"), ("date_basis_ref", "everyone knows")],
)
def test_the_database_refuses_a_free_text_reference(
    session: Session, column: str, value: str
) -> None:
    world = make_world(session)
    refused(
        session,
        f"event_{column}_format_check",
        f"UPDATE event SET {column.removesuffix('_ref')} = 'external', {column} = :value"
        " WHERE id = :id",
        value=value,
        id=world.invasion.id,
    )


@pytest.mark.parametrize(
    "reference",
    [
        "wikidata:Q22686",
        "wikidata:Q22686#P39",
        "source:curators-background-knowledge",
        "source:acled-2024#UKR1234",
    ],
)
def test_references_a_reader_can_check_are_accepted(reference: str) -> None:
    assert re.match(REFERENCE_PATTERN, reference)


def test_participants_quantities_and_relationships_default_to_the_importers_needs(
    session: Session,
) -> None:
    world = make_world(session)
    session.expire_all()
    rows = session.execute(
        text(
            "SELECT p.basis, p.basis_ref, r.certainty FROM event_participant AS p,"
            " relationship AS r WHERE p.event_id = :event AND r.id = :relationship"
        ),
        {"event": world.invasion.id, "relationship": world.arms.id},
    ).all()
    assert set(rows) == {("source_text", None, "asserted")}


def test_overstated_relationship_lists_a_row_surer_than_its_claims(session: Session) -> None:
    world = make_world(session)
    relationship = make_relationship(
        session, world.iran, "opposes", world.ukraine, evidence=(world.war,)
    )
    session.execute(
        text("UPDATE claim SET certainty = 'possible' WHERE id = :id"), {"id": world.war.id}
    )
    listed = session.execute(
        text("SELECT * FROM overstated_relationship ORDER BY relationship_key")
    ).all()
    assert (relationship.key, "asserted", "possible", world.war.key) in [
        tuple(row) for row in listed
    ]
    session.execute(
        text("UPDATE relationship SET certainty = 'possible' WHERE id = :id"),
        {"id": relationship.id},
    )
    keys = session.execute(text("SELECT relationship_key FROM overstated_relationship")).scalars()
    assert relationship.key not in set(keys)


def test_an_existing_database_upgrades_in_place(databases: Databases) -> None:
    """Rows written before this revision keep working: participants are stated by the
    source, relationships asserted, and a free-text reference stays readable until the
    next seed sync rewrites the row."""
    engine = make_engine(databases.create("precision-upgrade"))
    migrations.upgrade(engine, PREVIOUS_HEAD)
    with engine.begin() as connection:
        connection.execute(
            text(
                """
                INSERT INTO actor (key, kind, name) VALUES ('a', 'state', 'A'), ('b', 'state', 'B');
                INSERT INTO event (key, event_type, title, start_date, start_precision,
                                   date_basis, date_basis_ref)
                VALUES ('e', 'war', 'E', '2023-10-08', 'day', 'external', 'common knowledge');
                INSERT INTO event_participant (event_id, actor_id, role)
                SELECT e.id, a.id, 'initiator' FROM event e, actor a
                WHERE e.key = 'e' AND a.key = 'a';
                INSERT INTO relationship (key, subject_id, relationship_type, object_id)
                SELECT 'r', a.id, 'opposes', b.id FROM actor a, actor b
                WHERE a.key = 'a' AND b.key = 'b';
                """
            )
        )
    migrations.upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT basis, basis_ref FROM event_participant")).one() == (
            "source_text",
            None,
        )
        assert connection.execute(text("SELECT certainty FROM relationship")).scalar_one() == (
            "asserted"
        )
        assert (
            connection.execute(text("SELECT date_basis_ref FROM event")).scalar_one()
            == "common knowledge"
        )
    with (
        pytest.raises(DBAPIError, match="event_date_basis_ref_format_check"),
        engine.begin() as connection,
    ):
        connection.execute(text("UPDATE event SET title = 'E2'"))
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE event SET date_basis_ref = 'source:curators-background-knowledge',"
                " title = 'E2'"
            )
        )
    migrations.downgrade(engine, PREVIOUS_HEAD)
    with engine.connect() as connection:
        columns = set(
            connection.execute(
                text(
                    "SELECT table_name || '.' || column_name FROM information_schema.columns"
                    " WHERE table_name IN ('event_participant', 'event_quantity', 'relationship')"
                )
            ).scalars()
        )
    engine.dispose()
    assert (
        not {
            "event_participant.basis",
            "event_quantity.basis_ref",
            "relationship.certainty",
        }
        & columns
    )


# -- the seeded content (done when) -------------------------------------------------------


def rows(engine: Engine, sql: str, **values: object) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), values)]


def test_nothing_the_source_states_is_dated_after_its_publication(seeded_engine: Engine) -> None:
    late = rows(
        seeded_engine,
        "SELECT key FROM event WHERE date_basis <> 'external'"
        "   AND (start_date > :published OR end_date > :published)"
        " UNION ALL SELECT key FROM relationship WHERE date_basis <> 'external'"
        "   AND (start_date > :published OR end_date > :published)"
        " UNION ALL SELECT key FROM event WHERE factuality IN ('occurred', 'ongoing')"
        "   AND start_date > :published",
        published=date.fromisoformat(PUBLISHED),
    )
    assert late == []


def test_every_outside_reference_can_be_checked(seeded_engine: Engine) -> None:
    references = rows(
        seeded_engine,
        "SELECT basis_ref FROM source UNION ALL SELECT basis_ref FROM actor"
        " UNION ALL SELECT basis_ref FROM place UNION ALL SELECT basis_ref FROM materiel"
        " UNION ALL SELECT basis_ref FROM event UNION ALL SELECT date_basis_ref FROM event"
        " UNION ALL SELECT basis_ref FROM relationship"
        " UNION ALL SELECT date_basis_ref FROM relationship"
        " UNION ALL SELECT basis_ref FROM event_participant"
        " UNION ALL SELECT basis_ref FROM event_quantity",
    )
    given = [reference for (reference,) in references if reference is not None]
    assert len(given) > 60
    assert "common knowledge" not in given
    assert all(re.match(REFERENCE_PATTERN, str(reference)) for reference in given)
    background = rows(
        seeded_engine,
        "SELECT s.kind, s.published_date::text, s.reliability, a.key FROM source s"
        " JOIN source_author sa ON sa.source_id = s.id JOIN actor a ON a.id = sa.actor_id"
        " WHERE s.key = 'curators-background-knowledge'",
    )
    assert background == [("background", "2026-12-02", "C", "nexusdb-curators")]


def test_every_participant_and_quantity_has_a_basis(seeded_engine: Engine) -> None:
    counts = rows(
        seeded_engine,
        "SELECT basis, count(*) FROM (SELECT basis FROM event_participant"
        " UNION ALL SELECT basis FROM event_quantity) AS parts GROUP BY basis ORDER BY basis",
    )
    assert {basis for basis, _ in counts} == {"external", "inferred", "source_text"}
    assert rows(
        seeded_engine,
        "SELECT count(*) FROM event_participant WHERE basis = 'external' AND basis_ref IS NULL",
    ) == [(0,)]


def test_the_article_names_no_perpetrator_of_haniyehs_assassination(
    seeded_engine: Engine,
) -> None:
    participants = rows(
        seeded_engine,
        "SELECT a.key, p.role, p.basis, p.basis_ref FROM event_participant p"
        " JOIN event e ON e.id = p.event_id JOIN actor a ON a.id = p.actor_id"
        " WHERE e.key = 'assassination-of-ismail-haniyeh' ORDER BY a.key",
    )
    assert ("israel", "initiator", "external", "source:curators-background-knowledge") in (
        participants
    )
    seen = rows(
        seeded_engine,
        "SELECT actor_key, role FROM source_view_participants(:source)"
        " WHERE event_key = 'assassination-of-ismail-haniyeh'",
        source=ARTICLE,
    )
    assert ("israel", "initiator") not in seen
    assert ("ismail-haniyeh", "victim") in seen


def test_the_figure_is_what_the_article_says_engulfed_not_deaths(seeded_engine: Engine) -> None:
    assert rows(
        seeded_engine,
        "SELECT kind, low::int, qualifier, counted, basis FROM event_quantity"
        " WHERE wording = 'more than 42 thousand civilians'",
    ) == [("affected", 42000, "more_than", "civilians engulfed", "source_text")]


def test_the_articles_view_answers_as_the_article_saw_it(seeded_engine: Engine) -> None:
    events = {
        key: (factuality, period, ongoing)
        for key, factuality, period, ongoing in rows(
            seeded_engine,
            "SELECT event_key, factuality, period, is_ongoing FROM source_view_events(:source)"
            " WHERE event_key IN ('trump-return-to-white-house', 'israel-hezbollah-war')",
            source=ARTICLE,
        )
    }
    assert events == {
        "trump-return-to-white-house": ("expected", None, False),
        "israel-hezbollah-war": ("ongoing", "2023-10-08 \N{EN DASH} ongoing", True),
    }
    relationships = rows(
        seeded_engine,
        "SELECT relationship_key, status, certainty FROM source_view_relationships(:source)"
        " WHERE relationship_key IN ('trump-leader-of-united-states-second-term',"
        " 'israel-at-war-with-hezbollah', 'biden-leader-of-united-states', 'trump-opposes-iran')"
        " ORDER BY relationship_key",
        source=ARTICLE,
    )
    assert relationships == [
        ("biden-leader-of-united-states", "ongoing", "asserted"),
        ("israel-at-war-with-hezbollah", "ongoing", "asserted"),
        ("trump-leader-of-united-states-second-term", "expected", "asserted"),
        ("trump-opposes-iran", "ongoing", "possible"),
    ]
    # Today's reading keeps the outside facts, marked as such.
    assert rows(
        seeded_engine,
        "SELECT end_date::text, date_basis, date_basis_ref FROM event"
        " WHERE key = 'israel-hezbollah-war'",
    ) == [("2024-11-27", "external", "source:curators-background-knowledge")]


def test_outside_events_are_left_out_of_the_articles_view(seeded_engine: Engine) -> None:
    seen = {
        key
        for (key,) in rows(
            seeded_engine, "SELECT event_key FROM source_view_events(:source)", source=ARTICLE
        )
    }
    assert "iran-strikes-israel-april-2024" not in seen
    assert "assassination-of-ismail-haniyeh" in seen


def test_no_relationship_is_surer_than_its_claims(seeded_engine: Engine) -> None:
    assert rows(seeded_engine, "SELECT * FROM overstated_relationship") == []


def test_recall_stays(seeded_engine: Engine) -> None:
    """Every claim, quote and relationship of the reading is still there (the audit
    removes none)."""
    counts = rows(
        seeded_engine,
        "SELECT (SELECT count(*) FROM claim), (SELECT count(DISTINCT quote) FROM claim),"
        " (SELECT count(*) FROM relationship), (SELECT count(*) FROM event)",
    )
    assert counts == [(104, 104, 56, 43)]
