"""The derived read tables and what reads them, on generated data with a hub.

The speed work (trigger-maintained counts and adjacency, keyset pages, a capped
neighbourhood that reads by weight, bounded search) must not change answers: counts equal
exact counts after every kind of write, pages return every row once in order, the cap
keeps the most evidenced neighbours, search's top 20 is the exact one where checkable.
"""

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

from nexusdb.db import migrations
from nexusdb.repositories import (
    ActorRepository,
    AmbiguousActorError,
    EventRepository,
    InvalidCursorError,
)
from nexusdb.repositories.base import RecordNotFoundError
from nexusdb.schemas.read import KeyedRead, Page
from tests.factories import make_source

# The hub has this many neighbours; each of them one more, in a chain.
SPOKES = 3000
EVENTS = 1200
CLAIMS = 4000

GENERATE = f"""
INSERT INTO actor (key, kind, name)
SELECT 'hub', 'state', 'Hub'
UNION ALL
SELECT format('spoke-%s', lpad(i::text, 4, '0')), 'armed_group', format('Spoke %s', i)
FROM generate_series(1, {SPOKES}) AS i;

-- Anonymous claimants of the source, linked to the hub by heavily evidenced relationships:
-- the walk must still skip them.
INSERT INTO actor (key, kind, name, is_anonymous, scope_source_id)
SELECT format('anonymous-%s', i), 'person', format('Someone %s', i), true, source.id
FROM generate_series(1, 5) AS i, source;

-- Hub to every spoke (four types), spoke i to spoke i+1, anonymous ones to the hub.
INSERT INTO relationship (key, subject_id, relationship_type, object_id)
SELECT format('hub-to-%s', spoke.key), hub.id,
       (ARRAY['supports', 'opposes', 'sponsors', 'threatens'])[1 + (spoke.n % 4)], spoke.id
FROM (SELECT id, key, row_number() OVER (ORDER BY key) AS n FROM actor
      WHERE key LIKE 'spoke-%') AS spoke,
     actor AS hub
WHERE hub.key = 'hub'
UNION ALL
SELECT format('%s-to-%s', a.key, b.key), a.id, 'affiliated_with', b.id
FROM actor AS a
JOIN actor AS b ON b.key = format('spoke-%s', lpad((substr(a.key, 7)::int + 1)::text, 4, '0'))
WHERE a.key LIKE 'spoke-%'
UNION ALL
SELECT format('%s-to-hub', a.key), a.id, 'threatens', hub.id
FROM actor AS a, actor AS hub
WHERE a.is_anonymous AND hub.key = 'hub';

-- Record-grounded claims about the hub and a spoke each, of every kind.
INSERT INTO claim (key, source_id, claimant_id, kind, certainty, credibility, text,
                   record_id, origin)
SELECT format('claim-%s', lpad(i::text, 5, '0')), source.id, hub.id,
       (ARRAY['fact', 'assessment', 'prediction', 'opinion', 'quotation'])[1 + i % 5],
       'asserted', '6',
       format('Statement %s about military matters', i)
       || repeat(' military', i % 3)
       -- A rare word in 40 claims, one to seven times, so that they rank differently.
       || CASE WHEN i % 100 = 0 THEN repeat(' zebrafish', 1 + i / 100 % 7) ELSE '' END,
       i::text, 'import:test'
FROM generate_series(1, {CLAIMS}) AS i, source, actor AS hub
WHERE hub.key = 'hub';

INSERT INTO claim_actor (claim_id, actor_id)
SELECT c.id, a.id FROM claim AS c, actor AS a WHERE a.key = 'hub'
UNION ALL
SELECT c.id, a.id
FROM claim AS c
JOIN actor AS a
    ON a.key = format('spoke-%s', lpad((1 + c.record_id::int % {SPOKES})::text, 4, '0'));

-- Evidence: relationship i of the hub gets (i % 7) supporting claims, and one disputing
-- claim that must not count; every anonymous link gets 50.
INSERT INTO relationship_evidence (relationship_id, claim_id, stance)
SELECT r.id, c.id, CASE WHEN k.k = 0 THEN 'disputes' ELSE 'supports' END
FROM (SELECT id, row_number() OVER (ORDER BY key) AS n FROM relationship
      WHERE key LIKE 'hub-to-%') AS r
CROSS JOIN LATERAL generate_series(0, (r.n % 7)::int) AS k (k)
JOIN claim AS c ON c.record_id = ((r.n * 7 + k.k) % {CLAIMS} + 1)::text
UNION ALL
SELECT r.id, c.id, 'supports'
FROM relationship AS r
CROSS JOIN generate_series(1, 50) AS k (k)
JOIN claim AS c ON c.record_id = k.k::text
WHERE r.key LIKE 'anonymous-%';

-- Events with repeated and unknown dates, some only planned; the hub sometimes in two
-- roles of one event.
INSERT INTO event (key, event_type, title, start_date, start_precision, date_basis,
                   factuality, origin)
SELECT format('event-%s', lpad(i::text, 5, '0')),
       (ARRAY['war', 'election', 'missile_strike'])[1 + i % 3], format('Event %s', i),
       CASE WHEN i % 10 = 0 THEN NULL ELSE date '2000-01-01' + (i % 400) * 30 END,
       CASE WHEN i % 10 = 0 THEN NULL ELSE 'day' END,
       CASE WHEN i % 10 = 0 THEN NULL ELSE 'source_text' END,
       CASE WHEN i % 7 = 0 THEN 'planned' ELSE 'occurred' END,
       'import:test'
FROM generate_series(1, {EVENTS}) AS i;

INSERT INTO event_participant (event_id, actor_id, role)
SELECT e.id, hub.id, 'initiator' FROM event AS e, actor AS hub WHERE hub.key = 'hub'
UNION ALL
SELECT e.id, hub.id, 'target' FROM event AS e, actor AS hub
WHERE hub.key = 'hub' AND e.key LIKE '%5'
UNION ALL
SELECT e.id, spoke.id, 'target'
FROM event AS e
JOIN actor AS spoke
    ON spoke.key = format('spoke-%s', lpad((1 + substr(e.key, 7)::int % 50)::text, 4, '0'));
"""

# What the derived tables must hold, computed from the curated tables the slow way.
EXACT_COUNTS = """
SELECT ends.actor_id, 'relationship_type' AS facet, r.relationship_type AS category,
       count(*) AS n
FROM relationship AS r
CROSS JOIN LATERAL (VALUES (r.subject_id), (r.object_id)) AS ends (actor_id)
GROUP BY 1, 2, 3
UNION ALL
SELECT p.actor_id, 'event_type', e.event_type, count(DISTINCT e.id)
FROM event_participant AS p JOIN event AS e ON e.id = p.event_id
GROUP BY 1, 2, 3
UNION ALL
SELECT p.actor_id, 'event_year', coalesce(extract(year FROM e.start_date)::text, 'unknown'),
       count(DISTINCT e.id)
FROM event_participant AS p JOIN event AS e ON e.id = p.event_id
GROUP BY 1, 2, 3
UNION ALL
SELECT ca.actor_id, 'claim_kind', c.kind, count(*)
FROM claim_actor AS ca JOIN claim AS c ON c.id = ca.claim_id
GROUP BY 1, 2, 3
"""

EXACT_ADJACENCY = """
SELECT ends.actor_id, ends.neighbour_id, neighbour.is_anonymous, neighbour.key,
       neighbour.name, neighbour.kind, count(*)::int,
       coalesce(sum((SELECT count(*) FROM relationship_evidence AS ev
                     WHERE ev.relationship_id = r.id AND ev.stance = 'supports')), 0)::int
FROM relationship AS r
CROSS JOIN LATERAL (VALUES (r.subject_id, r.object_id), (r.object_id, r.subject_id))
    AS ends (actor_id, neighbour_id)
JOIN actor AS neighbour ON neighbour.id = ends.neighbour_id
GROUP BY 1, 2, 3, 4, 5, 6
"""

EXACT_ROWS = {
    "actor_event": """
        SELECT DISTINCT p.event_id, p.actor_id, e.key, e.event_type, e.start_date,
               coalesce(e.start_date, '9999-12-31')
        FROM event_participant AS p JOIN event AS e ON e.id = p.event_id""",
    "actor_claim": """
        SELECT ca.claim_id, ca.actor_id, c.key, c.kind
        FROM claim_actor AS ca JOIN claim AS c ON c.id = ca.claim_id""",
}


def rows(connection: Connection, sql: str, **params: Any) -> set[tuple[Any, ...]]:
    return {tuple(row) for row in connection.execute(text(sql), params)}


def assert_derived_tables_are_exact(connection: Connection) -> None:
    assert rows(connection, "SELECT actor_id, facet, category, n FROM actor_count") == rows(
        connection, EXACT_COUNTS
    )
    assert rows(
        connection,
        "SELECT actor_id, neighbour_id, neighbour_is_anonymous, neighbour_key, neighbour_name,"
        " neighbour_kind, relationship_count, weight FROM actor_adjacency",
    ) == rows(connection, EXACT_ADJACENCY)
    for table, exact in EXACT_ROWS.items():
        assert rows(connection, f"SELECT * FROM {table}") == rows(connection, exact)


@pytest.fixture
def hub(session: Session) -> Session:
    make_source(session)
    session.execute(text(GENERATE))
    # The shared database's tables hold the dead pages of earlier tests' rolled-back rows,
    # and once autovacuum has passed they say 0 rows over those pages: planned from that,
    # refresh_read_summaries() joins these thousands of rows by nested loops for many
    # minutes. These tests check what the summaries hold, not plans; SET LOCAL ends with
    # the test's transaction (ANALYZE would leave its row counts to later tests' plans).
    session.execute(text("SET LOCAL enable_nestloop = off"))
    return session


def test_generated_data_has_a_hub(hub: Session) -> None:
    degree = hub.execute(
        text("SELECT relationship_count FROM actor_profile WHERE actor_key = 'hub'")
    ).scalar_one()
    assert degree == SPOKES + 5


def test_counts_are_exact_after_load_copy_update_and_delete(hub: Session) -> None:
    connection = hub.connection()
    assert_derived_tables_are_exact(connection)

    # COPY, as a bulk import writes: new participants and claim subjects.
    raw = connection.connection.driver_connection
    assert raw is not None
    ids = dict(
        connection.execute(
            text("SELECT key, id FROM actor WHERE key IN ('hub', 'spoke-0007')")
        ).all()
    )
    events = connection.execute(text("SELECT id FROM event ORDER BY key LIMIT 300")).scalars().all()
    with raw.cursor().copy("COPY event_participant (event_id, actor_id, role) FROM STDIN") as copy:
        for event_id in events:
            copy.write_row((event_id, ids["spoke-0007"], "supporter"))
            copy.write_row((event_id, ids["hub"], "beneficiary"))
    claims = (
        connection.execute(
            text(
                "SELECT id FROM claim WHERE record_id::int % 3 = 0 EXCEPT"
                " SELECT claim_id FROM claim_actor WHERE actor_id = :a"
            ),
            {"a": ids["spoke-0007"]},
        )
        .scalars()
        .all()
    )
    with raw.cursor().copy("COPY claim_actor (claim_id, actor_id) FROM STDIN") as copy:
        for claim_id in claims:
            copy.write_row((claim_id, ids["spoke-0007"]))
    assert_derived_tables_are_exact(connection)

    # Updates of every column the derived tables copy.
    connection.execute(
        text(
            "UPDATE event SET event_type = 'ceasefire', start_date = NULL, start_precision = NULL,"
            " date_basis = NULL WHERE key LIKE '%3'"
        )
    )
    connection.execute(text("UPDATE event SET key = key || '-renamed' WHERE key LIKE '%4'"))
    connection.execute(text("UPDATE claim SET kind = 'opinion' WHERE record_id::int % 7 = 0"))
    connection.execute(
        text(
            "UPDATE relationship SET relationship_type = 'sanctions'"
            " WHERE key LIKE 'hub-to-spoke-00%'"
        )
    )
    connection.execute(
        text(
            "UPDATE relationship_evidence SET stance = 'qualifies'"
            " WHERE claim_id IN (SELECT id FROM claim WHERE record_id::int % 11 = 0)"
        )
    )
    connection.execute(
        text(
            "UPDATE actor SET is_anonymous = true, scope_source_id = (SELECT id FROM source)"
            " WHERE key = 'spoke-0002'"
        )
    )
    # What the walk shows of a neighbour, on a hub (thousands of neighbours) and spokes.
    connection.execute(
        text(
            "UPDATE actor SET name = name || ' (renamed)', kind = 'alliance'"
            " WHERE key IN ('hub', 'spoke-0010')"
        )
    )
    connection.execute(text("UPDATE actor SET key = key || '-x' WHERE key LIKE 'spoke-002%'"))
    assert_derived_tables_are_exact(connection)

    # Deletes, directly and through cascades (a claim takes its evidence and subjects, an
    # event its participants).
    connection.execute(text("DELETE FROM event_participant WHERE role = 'target'"))
    connection.execute(text("DELETE FROM claim WHERE record_id::int % 5 = 0"))
    connection.execute(text("DELETE FROM event WHERE key LIKE '%1'"))
    connection.execute(text("DELETE FROM relationship WHERE key LIKE '%-to-spoke-01%'"))
    assert_derived_tables_are_exact(connection)

    # The rebuild for loads that disabled triggers gives the same tables.
    before = {
        table: rows(connection, f"SELECT * FROM {table}")
        for table in ("actor_count", "actor_event", "actor_claim", "actor_adjacency")
    }
    connection.execute(text("SELECT refresh_read_summaries()"))
    for table, found in before.items():
        assert rows(connection, f"SELECT * FROM {table}") == found


def test_counts_are_exact_after_the_seed(seeded_engine: Engine) -> None:
    with seeded_engine.connect() as connection:
        assert rows(connection, "SELECT count(*) FROM actor_count") != {(0,)}
        assert_derived_tables_are_exact(connection)


def every_page(fetch: Callable[..., Page[Any]], limit: int) -> list[KeyedRead]:
    found: list[KeyedRead] = []
    after = None
    while True:
        page = fetch(after=after, limit=limit)
        assert len(page.items) <= limit
        found.extend(page.items)
        after = page.next_after
        if after is None:
            return found


def test_pages_return_every_row_once_in_order(hub: Session) -> None:
    actors = ActorRepository(hub)
    relationships = every_page(lambda **page: actors.relationships("hub", **page), 97)
    assert [row.key for row in relationships] == [
        key
        for (key,) in hub.execute(
            text(
                "SELECT r.key FROM relationship AS r JOIN actor AS a"
                " ON a.id IN (r.subject_id, r.object_id)"
                " WHERE a.key = 'hub' ORDER BY r.relationship_type, r.key"
            )
        )
    ]
    timeline = every_page(lambda **page: actors.timeline("hub", **page), 50)
    assert [row.key for row in timeline] == list(
        hub.execute(
            text(
                "SELECT e.key FROM event AS e WHERE EXISTS (SELECT FROM event_participant AS p"
                " JOIN actor AS a ON a.id = p.actor_id WHERE p.event_id = e.id AND a.key = 'hub')"
                " ORDER BY e.start_date NULLS LAST, e.key"
            )
        ).scalars()
    )
    assert len(timeline) == EVENTS
    # The timeline filtered by the hub walks the same order from the hub's actor_event
    # rows; what happened only, unless all.
    events_of_hub = every_page(
        lambda **page: EventRepository(hub).timeline(actor="hub", include_all=True, **page), 37
    )
    assert [row.key for row in events_of_hub] == [row.key for row in timeline]
    happened = every_page(lambda **page: EventRepository(hub).timeline(actor="hub", **page), 41)
    assert [row.key for row in happened] == [
        row.key for row in events_of_hub if row.factuality != "planned"
    ]
    assert 0 < len(happened) < len(events_of_hub)
    claims = every_page(lambda **page: actors.claims_about("hub", **page), 333)
    assert [row.key for row in claims] == sorted(
        hub.execute(text("SELECT key FROM claim")).scalars()
    )
    events = every_page(EventRepository(hub).timeline_page, 64)
    assert [row.key for row in events] == list(
        hub.execute(text("SELECT key FROM event ORDER BY start_date NULLS LAST, key")).scalars()
    )

    profile = actors.profile("hub", first=5)
    assert profile.relationship_count == SPOKES + 5
    assert profile.event_count == EVENTS
    assert [row.key for row in profile.relationships.items] == [r.key for r in relationships[:5]]
    assert [row.key for row in profile.events.items] == [row.key for row in timeline[:5]]
    assert profile.events.next_after is not None
    with pytest.raises(InvalidCursorError):
        actors.timeline("hub", after="not a cursor")
    with pytest.raises(RecordNotFoundError):
        actors.relationships("no-such-actor")


def neighbourhood(session: Session, call: str) -> list[tuple[str, int, int | None]]:
    found = session.execute(text(f"SELECT actor_key, distance, weight FROM {call}"))
    return [(row.actor_key, row.distance, row.weight) for row in found]


def test_the_cap_keeps_the_most_evidenced_neighbours(hub: Session) -> None:
    capped = neighbourhood(hub, "actor_neighbourhood('hub', 1, max_rows => 101)")
    best = hub.execute(
        text(
            f"SELECT n.key, adj.weight FROM ({EXACT_ADJACENCY})"
            " AS adj (a, b, anonymous, key, name, kind, n, weight)"
            " JOIN actor AS n ON n.id = adj.b"
            " WHERE adj.a = (SELECT id FROM actor WHERE key = 'hub') AND NOT adj.anonymous"
            " ORDER BY adj.weight DESC, adj.b LIMIT 100"
        )
    ).all()
    assert capped[0] == ("hub", 0, None)
    assert sorted(capped[1:]) == sorted((key, 1, weight) for key, weight in best)
    assert min(weight for _, _, weight in capped[1:]) == 6
    # The heavily evidenced anonymous claimants come in only when asked for.
    assert not any(key.startswith("anonymous-") for key, *_ in capped)
    with_anonymous = neighbourhood(
        hub, "actor_neighbourhood('hub', 1, include_anonymous => true, max_rows => 6)"
    )
    assert [key for key, *_ in with_anonymous] == ["hub"] + [f"anonymous-{i}" for i in range(1, 6)]
    # Two levels from a spoke: the hub first, then the hub's best neighbours fill the cap.
    walk = neighbourhood(hub, "actor_neighbourhood('spoke-0500', 2, max_rows => 40)")
    level_one = {key for key, distance, _ in walk if distance == 1}
    assert level_one == {"hub", "spoke-0499", "spoke-0501"}
    level_two = [weight for _, distance, weight in walk if distance == 2]
    assert len(walk) == 40
    assert min(level_two) == 6
    # The filtered walk (types) weighs links the same way.
    filtered = neighbourhood(
        hub,
        "actor_neighbourhood('hub', 1, relationship_types => ARRAY['supports'], max_rows => 11)",
    )
    exact = hub.execute(
        text(
            "SELECT n.key, count(ev.claim_id) FILTER (WHERE ev.stance = 'supports') AS weight"
            " FROM relationship AS r JOIN actor AS n ON n.id = r.object_id"
            " LEFT JOIN relationship_evidence AS ev ON ev.relationship_id = r.id"
            " WHERE r.subject_id = (SELECT id FROM actor WHERE key = 'hub')"
            " AND r.relationship_type = 'supports' GROUP BY n.key, n.id"
            " ORDER BY weight DESC, n.id LIMIT 10"
        )
    ).all()
    assert sorted(filtered[1:]) == sorted((key, 1, weight) for key, weight in exact)


def search(session: Session, query: str, candidates: str) -> list[tuple[str, str, float]]:
    found = session.execute(
        text(f"SELECT kind, key, rank FROM search_text(:query, 20, {candidates})"),
        {"query": query},
    )
    return [tuple(row) for row in found]  # type: ignore[misc]


def test_search_is_exact_for_rare_words_and_bounded_for_common_ones(hub: Session) -> None:
    # 40 matches, fewer than the candidates: the top 20 is the exact one.
    rare = search(hub, "zebrafish", "50")
    assert len(rare) == 20
    assert rare == search(hub, "zebrafish", "NULL")
    assert len({rank for *_, rank in rare}) > 1
    common = search(hub, "military", "50")
    assert len(common) == 20
    assert {kind for kind, *_ in common} == {"claim"}


def test_a_common_words_candidates_are_its_newest_matches(hub: Session) -> None:
    # "military" is in every claim: its 50 candidates are the 50 most recently recorded
    # claims (created_at, then id), not the first 50 in storage order. Make 50 scattered
    # ones, most of them with the word once (a low rank), the newest.
    hub.execute(
        text(
            "UPDATE claim SET created_at = created_at + interval '1 day'"
            " WHERE record_id::int % 80 = 7"
        )
    )
    newest = {
        key for (key,) in hub.execute(text("SELECT key FROM claim WHERE record_id::int % 80 = 7"))
    }
    assert len(newest) == 50
    found = search(hub, "military", "50")
    exact_among_newest = hub.execute(
        text(
            "SELECT 'claim', key, ts_rank(search_vector, to_search_query('military')) AS rank"
            " FROM claim WHERE record_id::int % 80 = 7"
            " ORDER BY rank DESC, key, text LIMIT 20"
        )
    ).all()
    assert found == [tuple(row) for row in exact_among_newest]
    assert {key for _, key, _ in found} <= newest
    # Everything ranked, the best claims are elsewhere: the bound changed the answer.
    assert search(hub, "military", "NULL") != found


def create_find_actor_before(session: Session) -> None:
    """find_actor as it was before it probed with raised thresholds, as `find_actor_before`:
    every name at least pg_trgm.word_similarity_threshold alike, ranked in full."""
    script = ScriptDirectory.from_config(migrations.alembic_config())
    before = script.get_revision("acdb9dfa1dc8").module.FIND_ACTOR
    session.execute(text(before.replace("find_actor", "find_actor_before")))


FOUND = "SELECT key, similarity FROM find_actor(:name, :max_rows)"
# Every match, ranked in full: exact key, exact name, similarity, key.
RANKED = "SELECT key, similarity FROM find_actor_before(:name, NULL)"


def assert_top_of_ranking(session: Session, name: str, max_rows: int) -> bool:
    """find_actor's list is a top `max_rows` of the full ranking: the same similarity at
    every place, every actor above the last place listed in order, and at the last place
    actors tied there, in the ranking's order (exact names, then key). True if the tie
    held more actors than the list had room for.
    """
    params = {"name": name, "max_rows": max_rows}
    found = [tuple(row) for row in session.execute(text(FOUND), params)]
    ranked = [tuple(row) for row in session.execute(text(RANKED), params)]
    assert [similarity for _, similarity in found] == [
        similarity for _, similarity in ranked[:max_rows]
    ], params
    assert set(found) <= set(ranked), params
    if not found:
        return False
    last = found[-1][1]
    above = [row for row in ranked if row[1] > last]
    assert found[: len(above)] == above, params
    tied_found = found[len(above) :]
    assert tied_found == [row for row in ranked if row in tied_found], params
    return sum(similarity == last for _, similarity in ranked) > len(tied_found)


# Names built like a large import's: a made-up word and a common ending, so that a typed
# name shares most of its trigrams with thousands of others, many of them equally alike.
CROWDED_NAMES = """
INSERT INTO actor (key, kind, name)
SELECT format('named-%s', i), 'armed_group',
       initcap(syllable[1 + i % 17] || syllable[1 + i / 17 % 19] || syllable[1 + i / 323 % 5])
       || (ARRAY[' Liberation Front', ' Petroleum Company', ' Brigades', ''])[1 + i % 4]
FROM generate_series(1, 6000) AS i,
     LATERAL (SELECT string_to_array(
         'ka ra vo ni sha tel mar dun is ob lor zen ba qu fir ost el mir gal', ' '))
         AS s (syllable);

INSERT INTO actor_alias (actor_id, name, language, kind)
SELECT id, upper(left(name, 3)) || ' Front', 'en', 'abbreviation'
FROM actor WHERE key LIKE 'named-%' AND key LIKE '%7';
"""


def test_find_actor_lists_a_top_of_the_full_ranking(session: Session) -> None:
    session.execute(text(CROWDED_NAMES))
    create_find_actor_before(session)
    names = session.execute(
        text("SELECT name FROM actor WHERE key LIKE 'named-%' ORDER BY key LIMIT 60")
    ).scalars()
    typed = [
        *(name[:4] + name[5:] for name in names),  # a letter dropped, as benchmarks type
        "Liberation Front",
        "Petroleum Compnay",
        "Kara",
        "KAR Front",
        "named-17",
        "Zzyzx",
    ]
    crowded = tie_cut = 0
    for name, max_rows in itertools.product(typed, (1, 10, 50)):
        tie_cut += assert_top_of_ranking(session, name, max_rows)
        listed = session.execute(text(FOUND), {"name": name, "max_rows": max_rows}).all()
        crowded += len(listed) == max_rows
    # Most typed names met more alike names than the list holds, and more than the first
    # probe's sample of 64: the second probe was exercised, and so was a tie at the last
    # place larger than the room left for it.
    assert crowded > len(typed) * 3 // 2
    assert tie_cut > len(typed) // 2
    alike = "SELECT count(*) FROM actor WHERE 'petroleum compnay' <% normalize_name(name)"
    assert session.execute(text(alike)).scalar_one() > 1000


def test_find_actor_reads_its_sample_through_the_trigram_index(session: Session) -> None:
    """With statistics on the stored normal form, the planner expects a common ending's
    first 64 matches early in a sequential scan; every probe must still use the index.
    Each probe is planned for any typed name (a generic plan, the name a parameter), so a
    call does not pay to estimate its name against the column's statistics."""
    session.execute(text(CROWDED_NAMES))
    session.execute(text("ANALYZE actor"))
    plans: list[str] = []
    driver = session.connection().connection.driver_connection
    assert driver is not None
    driver.add_notice_handler(lambda notice: plans.append(notice.message_primary or ""))
    session.execute(text("LOAD 'auto_explain'"))
    for setting in ("log_min_duration = 0", "log_nested_statements = on"):
        session.execute(text(f"SET LOCAL auto_explain.{setting}"))
    session.execute(text("SET LOCAL client_min_messages = log"))
    session.execute(text(FOUND), {"name": "Karavo Liberation Frnt", "max_rows": 10}).all()
    session.execute(text("SET LOCAL client_min_messages = notice"))
    probes = [plan for plan in plans if "<% a.normalized_name" in plan]
    assert len(probes) == 2
    assert all("Bitmap Index Scan on ix_actor_name_trgm" in plan for plan in probes)
    assert not any("Seq Scan on actor " in plan for plan in probes)
    assert not any("karavo liberation frnt" in plan for plan in probes)


def test_find_actor_keeps_the_callers_threshold(session: Session) -> None:
    session.execute(text(CROWDED_NAMES))
    create_find_actor_before(session)
    session.execute(text("SET LOCAL pg_trgm.word_similarity_threshold = 0.8"))
    assert_top_of_ranking(session, "Karavo Liberation Frnt", 10)
    found = session.execute(text(FOUND), {"name": "Karavo Liberation Frnt", "max_rows": 10})
    assert all(similarity >= 0.8 for _, similarity in found)
    assert session.execute(text("SHOW pg_trgm.word_similarity_threshold")).scalar_one() == "0.8"


def test_find_actor_lists_exact_names_first_among_many_that_contain_them(
    session: Session,
) -> None:
    """More names contain the typed one (similarity 1) than the list and the first probe's
    sample hold; the actors named exactly so, written last, still come first."""
    session.execute(
        text(
            "INSERT INTO actor (key, kind, name) "
            "SELECT format('zorvan-%s', i), 'armed_group', format('Zorvan Brigade %s', i) "
            "FROM generate_series(1, 150) AS i"
        )
    )
    session.execute(
        text(
            "INSERT INTO actor (key, kind, name) "
            "VALUES ('zorvan-a', 'person', 'Zorvan'), ('zorvan-b', 'person', 'Zorván')"
        )
    )
    create_find_actor_before(session)
    assert assert_top_of_ranking(session, "zorvan", 5)
    found = session.execute(text(FOUND), {"name": "zorvan", "max_rows": 5}).all()
    assert [key for key, _ in found[:2]] == ["zorvan-a", "zorvan-b"]
    assert [similarity for _, similarity in found] == [1.0] * 5
    assert session.execute(text(FOUND), {"name": "zorvan", "max_rows": 0}).all() == []
    with pytest.raises(AmbiguousActorError, match="names several actors: zorvan-a, zorvan-b"):
        ActorRepository(session).resolve("Zorvan")


# A second hub sharing half the first one's spokes, with links weighed otherwise, and an
# actor next to both: its second level meets two lists longer than the cap.
SECOND_HUB = """
INSERT INTO actor (key, kind, name)
VALUES ('hub-b', 'state', 'Hub B'), ('between', 'person', 'Between');

INSERT INTO relationship (key, subject_id, relationship_type, object_id)
SELECT format('hub-b-to-%s', spoke.key), hub.id, 'opposes', spoke.id
FROM actor AS spoke, actor AS hub
WHERE hub.key = 'hub-b' AND spoke.key LIKE 'spoke-%' AND right(spoke.key, 1) IN ('1', '3', '6')
UNION ALL
SELECT format('between-to-%s', hub.key), b.id, 'supports', hub.id
FROM actor AS b, actor AS hub
WHERE b.key = 'between' AND hub.key IN ('hub', 'hub-b', 'spoke-0042');

INSERT INTO relationship_evidence (relationship_id, claim_id, stance)
SELECT r.id, c.id, 'supports'
FROM relationship AS r
CROSS JOIN LATERAL generate_series(1, 1 + abs(hashtext(r.key)) % 9) AS k (k)
JOIN claim AS c ON c.record_id = (k.k * 31 + abs(hashtext(r.key)) % 1000)::text
WHERE r.key LIKE 'hub-b-to-%' OR r.key LIKE 'between-to-%';
"""


def test_the_walk_returns_what_it_did_before_the_cut(hub: Session) -> None:
    """The level read down to the best list's cut gives the previous revision's rows."""
    hub.execute(text(SECOND_HUB))
    script = ScriptDirectory.from_config(migrations.alembic_config())
    before = script.get_revision("81c91680397b").module.ACTOR_NEIGHBOURHOOD
    hub.execute(text(before.replace("actor_neighbourhood", "actor_neighbourhood_before")))
    for call in (
        "('between', 2, max_rows => 700)",
        "('between', 2, max_rows => 2500)",
        "('between', 3, max_rows => 4000)",
        "('between', 2, max_rows => NULL)",
        "('spoke-0003', 2, max_rows => 90)",
        "('hub-b', 2, max_rows => 1500)",
        "('between', 2, include_anonymous => true, max_rows => 30)",
    ):
        now = hub.execute(text(f"SELECT * FROM actor_neighbourhood{call}")).all()
        assert now == hub.execute(text(f"SELECT * FROM actor_neighbourhood_before{call}")).all()
        assert len(now) > 1
