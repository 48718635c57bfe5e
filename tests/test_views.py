"""The research views and functions the migration creates, on a small world of test data.

`alembic check` cannot see views, functions or grants, so each is tested here.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, create_engine, pool, text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session

from nexusdb.db.engine import sqlalchemy_url
from nexusdb.db.roles import READER_ROLE, create_reader_role
from nexusdb.models import PRIVATE_TABLES
from tests.factories import World, make_relationship, make_world


@pytest.fixture
def world(session: Session) -> World:
    return make_world(session)


def rows(session: Session, sql: str, **params: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in session.execute(text(sql), params).mappings()]


def test_format_precise_date_is_as_precise_as_the_date(session: Session) -> None:
    found = rows(
        session,
        "SELECT format_precise_date('2024-07-31', 'day') AS day,"
        " format_precise_date('2022-02-01', 'month') AS month,"
        " format_precise_date('2014-01-01', 'year') AS year,"
        " format_precise_date('2010-01-01', 'decade') AS decade,"
        " format_precise_date('1900-01-01', 'century') AS century,"
        " format_period('2022-01-01', 'year', NULL, NULL, true) AS ongoing,"
        " format_period('2014-01-01', 'year', NULL, NULL, false) AS open_end,"
        " format_period('2024-07-31', 'day', '2024-07-31', 'day', false) AS one_day",
    )
    assert found == [
        {
            "day": "2024-07-31",
            "month": "2022-02",
            "year": "2014",
            "decade": "2010s",
            "century": "20th century",
            "ongoing": "2022 \N{EN DASH} ongoing",
            "open_end": "2014 \N{EN DASH} ?",
            "one_day": "2024-07-31",
        }
    ]


def test_claim_overview_names_source_claimant_and_evidence(session: Session, world: World) -> None:
    found = rows(
        session,
        "SELECT claim_key, credibility, credibility_label, quote, paragraph, source_key,"
        " claimant_key, is_author_voice, about, evidence"
        " FROM claim_overview ORDER BY claim_key",
    )
    assert found == [
        {
            "claim_key": "hezbollah-disarmed",
            "credibility": "6",
            "credibility_label": "truth cannot be judged",
            "quote": "Hezbollah would be disarmed by the end of the year",
            "paragraph": 3,
            "source_key": "test-article",
            "claimant_key": "an-israeli-minister",
            "is_author_voice": False,
            "about": ["hezbollah"],
            "evidence": [
                {
                    "kind": "relationship",
                    "key": "an-israeli-minister-threatens-hezbollah",
                    "stance": "supports",
                }
            ],
        },
        {
            "claim_key": "iran-supplied-russia",
            "credibility": "2",
            "credibility_label": "probably true",
            "quote": "Iran supplied Russia with Shahed drones and Fath-360 missiles",
            "paragraph": 2,
            "source_key": "test-article",
            "claimant_key": "test-author",
            "is_author_voice": True,
            "about": ["iran", "russia"],
            "evidence": [
                {
                    "kind": "relationship",
                    "key": "iran-supplies-arms-to-russia",
                    "stance": "supports",
                },
                {
                    "kind": "relationship_materiel",
                    "key": "iran-supplies-arms-to-russia",
                    "detail": "shahed-136",
                    "stance": "supports",
                },
            ],
        },
        {
            "claim_key": "war-in-ukraine",
            "credibility": "3",
            "credibility_label": "possibly true",
            "quote": "its war in Ukraine",
            "paragraph": 2,
            "source_key": "test-article",
            "claimant_key": "test-author",
            "is_author_voice": True,
            "about": ["russia", "ukraine"],
            "evidence": [
                {"kind": "event", "key": "invasion-of-ukraine", "stance": "supports"},
                {
                    "kind": "participant",
                    "key": "invasion-of-ukraine",
                    "detail": "russia:initiator",
                    "stance": "supports",
                },
                {
                    "kind": "participant",
                    "key": "invasion-of-ukraine",
                    "detail": "ukraine:target",
                    "stance": "supports",
                },
                {"kind": "relationship", "key": "russia-opposes-ukraine", "stance": "supports"},
            ],
        },
    ]


def test_relationship_graph_reads_both_ends(session: Session, world: World) -> None:
    found = rows(
        session,
        "SELECT relationship_key, subject_name, label, inverse_label, object_name, period,"
        " start_display, end_display, is_ongoing, evidence_count, materiel"
        " FROM relationship_graph ORDER BY relationship_key",
    )
    assert found[1:] == [
        {
            "relationship_key": "iran-supplies-arms-to-russia",
            "subject_name": "Iran",
            "label": "supplies arms to",
            "inverse_label": "receives arms from",
            "object_name": "Russia",
            "period": "2022 \N{EN DASH} ongoing",
            "start_display": "2022",
            "end_display": None,
            "is_ongoing": True,
            "evidence_count": 1,
            "materiel": ["shahed-136"],
        },
        {
            "relationship_key": "russia-opposes-ukraine",
            "subject_name": "Russia",
            "label": "opposes",
            "inverse_label": "is opposed by",
            "object_name": "Ukraine",
            "period": "2014 \N{EN DASH} 2021",
            "start_display": "2014",
            "end_display": "2021",
            "is_ongoing": False,
            "evidence_count": 1,
            "materiel": [],
        },
    ]


def test_event_timeline_orders_by_date_with_participants(session: Session, world: World) -> None:
    found = rows(
        session,
        "SELECT event_key, type, start_display, period, participants, evidence_count"
        " FROM event_timeline",
    )
    assert found == [
        {
            "event_key": "invasion-of-ukraine",
            "type": "invasion",
            "start_display": "2022-02",
            "period": "2022-02 \N{EN DASH} ?",
            "participants": ["russia:initiator", "ukraine:target"],
            "evidence_count": 1,
        }
    ]


def test_actor_profile_gathers_everything_about_an_actor(session: Session, world: World) -> None:
    found = rows(
        session,
        "SELECT actor_key, kind, aliases, external_ids, relationship_count, relationships,"
        " events, claims_about FROM actor_profile WHERE actor_key = 'russia'",
    )
    assert found == [
        {
            "actor_key": "russia",
            "kind": "state",
            "aliases": [],
            "external_ids": {},
            "relationship_count": 2,
            "relationships": [
                {
                    "direction": "outgoing",
                    "type": "opposes",
                    "label": "opposes",
                    "other_key": "ukraine",
                    "other_name": "Ukraine",
                    "start": "2014",
                    "end": "2021",
                    "period": "2014 \u2013 2021",
                },
                {
                    "direction": "incoming",
                    "type": "supplies_arms_to",
                    "label": "receives arms from",
                    "other_key": "iran",
                    "other_name": "Iran",
                    "start": "2022",
                    "end": None,
                    "period": "2022 \u2013 ongoing",
                },
            ],
            "events": ["invasion-of-ukraine"],
            "claims_about": ["iran-supplied-russia", "war-in-ukraine"],
        }
    ]


def test_unsupported_fact_lists_what_no_claim_backs(session: Session, world: World) -> None:
    assert rows(session, "SELECT * FROM unsupported_fact") == []
    session.execute(text("DELETE FROM relationship_evidence"))
    assert rows(session, "SELECT * FROM unsupported_fact ORDER BY fact_key") == [
        {"fact_kind": "relationship", "fact_key": key, "detail": None}
        for key in (
            "an-israeli-minister-threatens-hezbollah",
            "iran-supplies-arms-to-russia",
            "russia-opposes-ukraine",
        )
    ]


def neighbourhood(session: Session, call: str) -> list[tuple[str, int, list[str]]]:
    sql = f"SELECT actor_key, distance, path FROM {call}"
    return [(row.actor_key, row.distance, row.path) for row in session.execute(text(sql))]


def test_neighbourhood_walks_both_directions(session: Session, world: World) -> None:
    assert neighbourhood(session, "actor_neighbourhood('russia')") == [
        ("russia", 0, ["russia"]),
        ("iran", 1, ["russia", "iran"]),
        ("ukraine", 1, ["russia", "ukraine"]),
    ]
    assert neighbourhood(session, "actor_neighbourhood('iran')")[-1] == (
        "ukraine",
        2,
        ["iran", "russia", "ukraine"],
    )
    assert neighbourhood(session, "actor_neighbourhood('iran', max_depth => 1)") == [
        ("iran", 0, ["iran"]),
        ("russia", 1, ["iran", "russia"]),
    ]


def test_neighbourhood_filters_types_dates_and_rows(session: Session, world: World) -> None:
    by_type = "actor_neighbourhood('iran', relationship_types => ARRAY['supplies_arms_to'])"
    assert [key for key, *_ in neighbourhood(session, by_type)] == ["iran", "russia"]
    # Russia opposed Ukraine 2014-2021: the whole of 2021, and not in 2023.
    in_2021 = "actor_neighbourhood('russia', as_of => '2021-12-31')"
    assert [key for key, *_ in neighbourhood(session, in_2021)] == ["russia", "ukraine"]
    in_2023 = "actor_neighbourhood('russia', as_of => '2023-06-01')"
    assert [key for key, *_ in neighbourhood(session, in_2023)] == ["russia", "iran"]
    capped = "actor_neighbourhood('iran', max_rows => 2)"
    assert [key for key, *_ in neighbourhood(session, capped)] == ["iran", "russia"]
    assert neighbourhood(session, "actor_neighbourhood('no-such-actor')") == []


def test_neighbourhood_skips_anonymous_actors_unless_asked(session: Session, world: World) -> None:
    assert neighbourhood(session, "actor_neighbourhood('hezbollah')") == [
        ("hezbollah", 0, ["hezbollah"])
    ]
    with_anonymous = "actor_neighbourhood('hezbollah', include_anonymous => true)"
    assert [key for key, *_ in neighbourhood(session, with_anonymous)] == [
        "hezbollah",
        "an-israeli-minister",
    ]


def test_neighbourhood_is_safe_on_cycles(session: Session, world: World) -> None:
    make_relationship(
        session, world.ukraine, "regards_as_threat", world.iran, evidence=(world.war,)
    )
    assert neighbourhood(session, "actor_neighbourhood('iran', max_depth => 5)") == [
        ("iran", 0, ["iran"]),
        ("russia", 1, ["iran", "russia"]),
        ("ukraine", 1, ["iran", "ukraine"]),
    ]


def test_search_text_ranks_claims_events_and_paragraphs(session: Session, world: World) -> None:
    found = rows(session, "SELECT kind, key, title, snippet FROM search_text('ukraine invasion')")
    assert found == [
        {
            "kind": "event",
            "key": "invasion-of-ukraine",
            "title": "Invasion of ukraine",
            "snippet": "«Invasion» of «ukraine»",
        }
    ]
    paragraphs = rows(session, "SELECT kind, key, title, snippet FROM search_text('disarmed')")
    assert [(hit["kind"], hit["key"], hit["title"]) for hit in paragraphs] == [
        ("claim", "hezbollah-disarmed", "Statement of hezbollah-disarmed."),
        ("source", "test-article", "Test article test-article, paragraph 3"),
    ]
    assert "«disarmed»" in paragraphs[1]["snippet"]


def test_find_actor_forgives_spelling(session: Session, world: World) -> None:
    def best(name: str) -> tuple[str, str]:
        row = session.execute(
            text("SELECT key, matched_name FROM find_actor(:name) LIMIT 1"), {"name": name}
        ).one()
        return row.key, row.matched_name

    assert best("Hizbullah") == ("hezbollah", "Hizbullah")
    assert best("Hezbolah") == ("hezbollah", "Hezbollah")
    assert best("HÉZBOLLAH") == ("hezbollah", "Hezbollah")
    assert best("russia") == ("russia", "russia")
    assert rows(session, "SELECT * FROM find_actor('Zzyzx')") == []


def plan(connection: Connection, sql: str) -> str:
    """The plan with sequential scans and whole sorts priced out, as on a large table: on
    the test's near-empty tables the planner may otherwise read any index, or none."""
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    connection.execute(text("SET LOCAL enable_sort = off"))
    return "\n".join(connection.scalars(text(f"EXPLAIN {sql}")))


@pytest.mark.parametrize(
    ("sql", "indexes"),
    [
        # search_text's reads (it is plpgsql): a term's matches by its GIN indexes ...
        (
            "SELECT id FROM claim WHERE search_vector @@ to_search_query('hezbollah')"
            " UNION ALL SELECT id FROM event WHERE search_vector @@ to_search_query('hezbollah')"
            " UNION ALL SELECT id FROM source_segment"
            " WHERE search_vector @@ to_search_query('hezbollah')",
            ["ix_claim_search_vector", "ix_event_search_vector", "ix_source_segment_search_vector"],
        ),
        # ... and a common term's, newest first.
        (
            "(SELECT id FROM claim ORDER BY created_at DESC, id DESC LIMIT 500)"
            " UNION ALL (SELECT id FROM event ORDER BY created_at DESC, id DESC LIMIT 500)"
            " UNION ALL (SELECT seg.id FROM source AS s"
            " JOIN source_segment AS seg ON seg.source_id = s.id"
            " ORDER BY s.created_at DESC, s.id DESC, seg.ordinal LIMIT 500)",
            ["ix_claim_created_at_id", "ix_event_created_at_id", "ix_source_created_at_id"],
        ),
        # Each probe of find_actor's ranking (actor_name_matches is plpgsql).
        (
            "SELECT id FROM actor WHERE normalize_name('hezbolah') <% normalized_name"
            " UNION ALL SELECT actor_id FROM actor_alias"
            " WHERE normalize_name('hezbolah') <% normalized_name",
            ["ix_actor_name_trgm", "ix_actor_alias_name_trgm"],
        ),
        # Each step of actor_neighbourhood's walk (the walk itself is plpgsql).
        (
            "SELECT * FROM actor_neighbours(ARRAY['6f1c8e1e-3b7a-5c43-9d0e-6e65787573db']::uuid[])",
            # A btree on each end, or the exclusion constraint's GiST index for the subject.
            ["Index Cond: (subject_id = ANY", "Index Cond: (object_id = ANY"],
        ),
        (
            "SELECT * FROM actor_relationships('iran')",
            # One index scan per end; on a table this small the planner may take the
            # exclusion constraint's index for one of them.
            ["on relationship r  ", "on relationship r_1  "],
        ),
        (
            "SELECT * FROM actor_claims('iran')",
            ["ix_actor_claim_actor_id_claim_key"],
        ),
        (
            "SELECT key FROM event WHERE start_date >= '2024-01-01' ORDER BY start_date, key",
            ["ix_event_start_date_key"],
        ),
    ],
)
def test_queries_use_their_indexes(connection: Connection, sql: str, indexes: list[str]) -> None:
    found = plan(connection, sql)
    assert "Seq Scan" not in found
    for index in indexes:
        assert index in found


@pytest.fixture
def reader_engine(fresh_url: str) -> Iterator[Any]:
    engine = create_engine(sqlalchemy_url(fresh_url), poolclass=pool.NullPool)
    create_reader_role(engine)
    yield engine
    engine.dispose()


def test_the_reader_reads_everything_and_writes_nothing(reader_engine: Any) -> None:
    """Everything but the HTTP API's tokens and stored responses, which it cannot read."""
    with reader_engine.connect() as connection:
        relations = connection.scalars(
            text(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = 'public' ORDER BY table_name"
            )
        ).all()
        connection.execute(text(f"SET ROLE {READER_ROLE}"))
        for relation in relations:
            if relation in PRIVATE_TABLES:
                with (
                    pytest.raises(ProgrammingError, match="permission denied"),
                    connection.begin_nested(),
                ):
                    connection.execute(text(f'SELECT * FROM "{relation}" LIMIT 1'))
                continue
            connection.execute(text(f'SELECT * FROM "{relation}" LIMIT 1'))
        for call in (
            "actor_neighbourhood('iran')",
            "search_text('iran')",
            "find_actor('iran')",
            "format_precise_date(current_date, 'day')",
        ):
            connection.execute(text(f"SELECT * FROM {call}"))
        for statement in (
            "INSERT INTO date_precision (code, label) VALUES ('x', 'x')",
            "UPDATE actor SET name = name",
            "DELETE FROM claim",
        ):
            with (
                pytest.raises(ProgrammingError, match="permission denied"),
                connection.begin_nested(),
            ):
                connection.execute(text(statement))
    assert {"claim_overview", "actor_profile", "unsupported_fact"} <= set(relations)
    assert set(PRIVATE_TABLES) <= set(relations)
