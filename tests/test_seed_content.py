"""The seeded article: loaded whole, faithfully, and every fact traced to a quote."""

import hashlib

import pytest
from sqlalchemy import Engine, text

from tests.support import SEEDS

ARTICLE = SEEDS / "000_5e7efc4d26c7660b.txt"


def scalar(engine: Engine, sql: str) -> object:
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar_one()


def column(engine: Engine, sql: str) -> list[object]:
    with engine.connect() as connection:
        return list(connection.execute(text(sql)).scalars())


def test_the_article_file_is_kept_byte_exact() -> None:
    raw = ARTICLE.read_bytes()
    assert len(raw) == 9847
    assert len(raw.decode("utf-8")) == 9799
    assert hashlib.sha256(raw).hexdigest().startswith("c6b21636")


def test_the_article_is_a_source_with_its_metadata(seeded_engine: Engine) -> None:
    with seeded_engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT s.title, s.kind, s.published_date::text, s.published_precision,"
                " s.content_sha256, p.key AS publisher, a.key AS author, s.may_redistribute"
                " FROM source s JOIN actor p ON p.id = s.publisher_id"
                " JOIN source_author sa ON sa.source_id = s.id JOIN actor a ON a.id = sa.actor_id"
                " WHERE s.key = 'security-lense-iran-russia-nexus'"
            )
        ).one()
    assert tuple(row) == (
        "The Iran-Russia Security Nexus Under Trump's Second Term",
        "article",
        "2024-11-21",
        "day",
        hashlib.sha256(ARTICLE.read_bytes()).hexdigest(),
        "security-lense",
        "asif-aziz",
        False,
    )


def test_segments_are_the_text_at_their_offsets(seeded_engine: Engine) -> None:
    article = ARTICLE.read_text(encoding="utf-8")
    with seeded_engine.connect() as connection:
        segments = connection.execute(
            text(
                "SELECT start_offset, end_offset, text FROM source_segment"
                " ORDER BY source_id, ordinal"
            )
        ).all()
    assert len(segments) == 37
    for start, end, segment_text in segments:
        assert article[start:end] == segment_text


@pytest.mark.parametrize(
    ("table", "floor"),
    [("actor", 30), ("event", 15), ("relationship", 20), ("claim", 60)],
)
def test_content_is_above_the_floors(seeded_engine: Engine, table: str, floor: int) -> None:
    count = scalar(seeded_engine, f"SELECT count(*) FROM {table}")
    assert isinstance(count, int)
    assert count >= floor


def test_every_paragraph_of_the_article_is_covered_by_a_claim(seeded_engine: Engine) -> None:
    uncovered = column(
        seeded_engine,
        "SELECT s.ordinal FROM source_segment s WHERE s.kind = 'paragraph'"
        " AND NOT EXISTS (SELECT 1 FROM claim c WHERE c.segment_id = s.id) ORDER BY s.ordinal",
    )
    assert uncovered == []
    assert (
        scalar(seeded_engine, "SELECT count(*) FROM source_segment WHERE kind = 'paragraph'") == 21
    )


def test_every_quote_is_the_source_text_at_its_span(seeded_engine: Engine) -> None:
    article = ARTICLE.read_text(encoding="utf-8")
    with seeded_engine.connect() as connection:
        claims = connection.execute(text("SELECT span_start, span_end, quote FROM claim")).all()
    assert claims
    for start, end, quote in claims:
        assert article[start:end] == quote


@pytest.mark.parametrize(
    ("target", "evidence", "column_name"),
    [
        ("event", "event_evidence", "event_id"),
        ("relationship", "relationship_evidence", "relationship_id"),
        ("event_participant", "event_participant_evidence", "participant_id"),
        ("event_quantity", "event_quantity_evidence", "quantity_id"),
        ("event_materiel", "event_materiel_evidence", "event_materiel_id"),
        ("relationship_materiel", "relationship_materiel_evidence", "relationship_materiel_id"),
    ],
)
def test_nothing_lacks_evidence(
    seeded_engine: Engine, target: str, evidence: str, column_name: str
) -> None:
    unsupported = scalar(
        seeded_engine,
        f"SELECT count(*) FROM {target} t"
        f" WHERE NOT EXISTS (SELECT 1 FROM {evidence} e WHERE e.{column_name} = t.id)",
    )
    assert unsupported == 0


def test_claimants_are_kept_apart_from_the_source(seeded_engine: Engine) -> None:
    claimants = column(
        seeded_engine,
        "SELECT DISTINCT a.key FROM claim c JOIN actor a ON a.id = c.claimant_id"
        " WHERE a.key IN ('bryan-lanza', 'israeli-minister', 'different-analysts',"
        " 'benjamin-netanyahu', 'asif-aziz') ORDER BY a.key",
    )
    assert claimants == [
        "asif-aziz",
        "benjamin-netanyahu",
        "bryan-lanza",
        "different-analysts",
        "israeli-minister",
    ]
    relayed = column(
        seeded_engine,
        "SELECT a.key FROM claim c JOIN actor a ON a.id = c.reported_via_actor_id",
    )
    assert "times-of-israel" in relayed


def test_unnamed_claimants_are_anonymous_and_scoped_to_the_article(seeded_engine: Engine) -> None:
    anonymous = column(
        seeded_engine,
        "SELECT a.key FROM actor a JOIN source s ON s.id = a.scope_source_id"
        " WHERE a.is_anonymous AND s.key = 'security-lense-iran-russia-nexus' ORDER BY a.key",
    )
    assert {"israeli-minister", "different-analysts"} <= set(anonymous)


def test_the_casualty_figure_keeps_the_articles_wording(seeded_engine: Engine) -> None:
    with seeded_engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT low, qualifier, counted, wording FROM event_quantity"
                " WHERE wording LIKE '%42 thousand%'"
            )
        ).one()
    assert (int(row.low), row.qualifier) == (42000, "more_than")
    assert "civilians" in row.counted


def test_iran_supplies_russia_with_the_named_weapons(seeded_engine: Engine) -> None:
    weapons = column(
        seeded_engine,
        "SELECT m.key FROM relationship r"
        " JOIN actor s ON s.id = r.subject_id JOIN actor o ON o.id = r.object_id"
        " JOIN relationship_materiel rm ON rm.relationship_id = r.id"
        " JOIN materiel m ON m.id = rm.materiel_id"
        " WHERE s.key = 'iran' AND o.key = 'russia' AND r.relationship_type = 'supplies_arms_to'"
        " ORDER BY m.key",
    )
    assert {"fath-360", "shahed-136"} <= set(weapons)


def test_hedged_statements_are_not_recorded_as_asserted(seeded_engine: Engine) -> None:
    hedged = column(
        seeded_engine,
        "SELECT certainty FROM claim WHERE quote LIKE 'Possibly%'"
        " OR quote LIKE '%does not seem%' OR quote LIKE '%could sideline%'",
    )
    assert hedged
    assert "asserted" not in hedged


def test_the_unsupported_fact_view_is_empty_after_seeding(seeded_engine: Engine) -> None:
    assert scalar(seeded_engine, "SELECT count(*) FROM unsupported_fact") == 0


@pytest.mark.parametrize(
    ("typed", "actor"),
    [
        ("Zelenskyy", "volodymyr-zelensky"),
        ("Hizbullah", "hezbollah"),
        ("Houthi", "houthis"),
        ("Hezbolah", "hezbollah"),
        ("Ismail Haniyeh", "ismail-haniyeh"),
        ("Islamic republic", "iran"),
    ],
)
def test_fuzzy_lookup_finds_the_articles_actors(
    seeded_engine: Engine, typed: str, actor: str
) -> None:
    with seeded_engine.connect() as connection:
        best = connection.execute(
            text("SELECT key FROM find_actor(:typed) LIMIT 1"), {"typed": typed}
        ).scalar_one()
    assert best == actor
