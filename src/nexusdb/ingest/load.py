"""From staging to the final tables, set-based: which records are new or changed, then one
INSERT ... SELECT (or UPDATE ... FROM) per table, and deletions.

A record is new when no event has its key; it changes an event of the import's own
origin when its revision is larger than the stored one (or equal with different data);
otherwise it is left alone, so a re-import changes nothing. Updated records keep their
event, claim, participant and quantity ids.
"""

import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from nexusdb.db import bulk
from nexusdb.ingest.resolve import HANDLE, PARTICIPANTS

ID_KINDS = ("event", "claim", "participant", "quantity")


def new_id(counter: str, kind: str) -> str:
    """SQL for a new id that sorts in the import's order: a UUID version 7 (RFC 9562).

    The time of the statement (id_params) in milliseconds, then `counter` (a row number in
    file order) where version 7 puts its random bits, then random bits of the import's own
    per `kind` (imports run one at a time, so two rarely share a millisecond, and then
    still differ in those random bits).
    Rows written in file order then append to every index led by their id instead of
    landing at random places in it: a large load touches each index page once, and the
    indexes of a large table need not fit in memory. Random v4 ids (gen_random_uuid)
    scattered a million-record load over every page of every such index.
    """
    hex12 = f"lpad(to_hex({counter}), 12, '0')"
    return (
        f"(%(id_ms)s || '7' || substr({hex12}, 1, 3) || '8' || substr({hex12}, 4)"
        f" || %(id_{kind})s)::uuid"
    )


def id_params() -> dict[str, str]:
    """The parameters of new_id(): 12 hex digits of the time, 6 random ones per kind."""
    params = {"id_ms": f"{time.time_ns() // 1_000_000:012x}"}
    params |= {f"id_{kind}": secrets.token_hex(3) for kind in ID_KINDS}
    return params


PARTICIPANT_ROWS = f"""
        CREATE TEMPORARY TABLE import_participant ON COMMIT DROP AS
        SELECT named.event_id, named.claim_id, named.is_new, named.actor_id, named.role,
               coalesce(ep.id, {new_id("named.n", "participant")}) AS id,
               ep.id IS NULL AS added
        FROM (SELECT ch.event_id, ch.claim_id, ch.is_new, a.actor_id, p.role,
                     row_number() OVER (ORDER BY min(ch.line), a.actor_id, p.role) AS n
              FROM import_change AS ch JOIN {PARTICIPANTS}
              JOIN import_actor AS a ON a.handle = {HANDLE}
              GROUP BY ch.event_id, ch.claim_id, ch.is_new, a.actor_id, p.role) AS named
        LEFT JOIN event_participant AS ep
          ON NOT named.is_new AND ep.event_id = named.event_id
         AND ep.actor_id = named.actor_id AND ep.role = named.role
        ORDER BY named.n
        """
QUANTITY_NUMBER = "row_number() OVER (ORDER BY q.line, q.kind, q.counted)"
QUANTITY_ROWS = f"""
        CREATE TEMPORARY TABLE import_quantity ON COMMIT DROP AS
        SELECT ch.event_id, ch.claim_id, q.kind, q.counted, q.low, q.high, q.qualifier,
               q.wording,
               coalesce(eq.id, {new_id(QUANTITY_NUMBER, "quantity")}) AS id,
               eq.id IS NULL AS added
        FROM import_change AS ch
        JOIN import_record_quantity AS q ON q.line = ch.line
        LEFT JOIN event_quantity AS eq
          ON NOT ch.is_new AND eq.event_id = ch.event_id AND eq.kind = q.kind
         AND eq.counted = q.counted
        ORDER BY q.line, q.kind, q.counted
        """
DELETE_STALE_PARTICIPANTS = """
        DELETE FROM event_participant AS ep
        USING import_change AS ch
        WHERE ep.event_id = ch.event_id AND NOT ch.is_new
          AND NOT EXISTS (SELECT FROM import_participant AS ip
                          WHERE ip.event_id = ep.event_id AND ip.actor_id = ep.actor_id
                            AND ip.role = ep.role)
        """
DELETE_STALE_QUANTITIES = """
        DELETE FROM event_quantity AS eq
        USING import_change AS ch
        WHERE eq.event_id = ch.event_id AND NOT ch.is_new
          AND NOT EXISTS (SELECT FROM import_quantity AS iq
                          WHERE iq.event_id = eq.event_id AND iq.kind = eq.kind
                            AND iq.counted = eq.counted)
        """
INSERT_EVENTS = """
        INSERT INTO event (id, key, event_type, title, summary, place_id, start_date,
                           start_precision, end_date, end_precision, date_basis, basis, origin)
        SELECT ch.event_id, r.event_key, r.event_type, r.title, r.summary, ip.place_id,
               r.start_date, r.start_precision, r.end_date, r.end_precision,
               CASE WHEN r.start_date IS NOT NULL OR r.end_date IS NOT NULL
                    THEN 'source_text' END,
               'source_text', %(origin)s
        FROM import_change AS ch JOIN import_record AS r ON r.line = ch.line
        LEFT JOIN import_place AS ip ON ip.key = r.place_key
        WHERE ch.is_new
        """
UPDATE_EVENTS = """
        UPDATE event AS e
        SET event_type = r.event_type, title = r.title, summary = r.summary,
            place_id = ip.place_id, start_date = r.start_date,
            start_precision = r.start_precision, end_date = r.end_date,
            end_precision = r.end_precision,
            date_basis = CASE WHEN r.start_date IS NOT NULL OR r.end_date IS NOT NULL
                              THEN 'source_text' END,
            updated_at = now()
        FROM import_change AS ch JOIN import_record AS r ON r.line = ch.line
        LEFT JOIN import_place AS ip ON ip.key = r.place_key
        WHERE e.id = ch.event_id AND NOT ch.is_new
        """
INSERT_CLAIMS = """
        INSERT INTO claim (id, key, source_id, claimant_id, kind, certainty, text, record_id,
                           record_data, retrieved_at, origin)
        SELECT ch.claim_id, r.event_key, %(source_id)s, %(publisher_id)s, 'fact', 'asserted',
               r.claim_text, r.record_id, r.record_data, now(), %(origin)s
        FROM import_change AS ch JOIN import_record AS r ON r.line = ch.line
        WHERE ch.is_new
        """
UPDATE_CLAIMS = """
        UPDATE claim AS c
        SET source_id = %(source_id)s, text = r.claim_text, record_data = r.record_data,
            retrieved_at = now(), updated_at = now()
        FROM import_change AS ch JOIN import_record AS r ON r.line = ch.line
        WHERE c.id = ch.claim_id AND NOT ch.is_new
        """
INSERT_EVENT_EVIDENCE = """
        INSERT INTO event_evidence (event_id, claim_id)
        SELECT event_id, claim_id FROM import_change WHERE is_new
        """
# Participants and figures with ids of their own (kept for those an update keeps), so
# their evidence is a plain INSERT ... SELECT from the same rows.
INSERT_PARTICIPANTS = """
        INSERT INTO event_participant (id, event_id, actor_id, role)
        SELECT id, event_id, actor_id, role FROM import_participant WHERE added
        """
INSERT_PARTICIPANT_EVIDENCE = """
        INSERT INTO event_participant_evidence (participant_id, claim_id)
        SELECT id, claim_id FROM import_participant WHERE added
        """
UPDATE_QUANTITIES = """
        UPDATE event_quantity AS eq
        SET low = iq.low, high = iq.high, qualifier = iq.qualifier, wording = iq.wording
        FROM import_quantity AS iq
        WHERE eq.id = iq.id AND NOT iq.added
        """
INSERT_QUANTITIES = """
        INSERT INTO event_quantity (id, event_id, kind, counted, low, high, qualifier, unit,
                                    wording)
        SELECT id, event_id, kind, counted, low, high, qualifier, 'people', wording
        FROM import_quantity WHERE added
        """
INSERT_QUANTITY_EVIDENCE = """
        INSERT INTO event_quantity_evidence (quantity_id, claim_id)
        SELECT id, claim_id FROM import_quantity WHERE added
        """
KEEP_QUANTITY_EVIDENCE = """
        INSERT INTO event_quantity_evidence (quantity_id, claim_id)
        SELECT id, claim_id FROM import_quantity WHERE NOT added
        ON CONFLICT DO NOTHING
        """

# A bulk load keeps the read summaries itself (docs/scaling.md: actor_event and
# actor_count), with their triggers on event_participant and actor_event off for the
# load: the same rows and counts those triggers would write, from the new participants
# in one statement, instead of the triggers' general delta path (arrays of every
# participant, and a delete pass for counts that fell to zero, which inserts never make).
SUMMARY_TRIGGER_TABLES = ("event_participant", "actor_event")
ADD_TO_SUMMARIES = """
        WITH added AS (
            INSERT INTO actor_event (event_id, actor_id, event_key, event_type, start_date,
                                     sort_date)
            SELECT DISTINCT ip.event_id, ip.actor_id, e.key, e.event_type, e.start_date,
                   coalesce(e.start_date, '9999-12-31')
            FROM import_participant AS ip JOIN event AS e ON e.id = ip.event_id
            WHERE ip.added
            ORDER BY ip.event_id, ip.actor_id
            ON CONFLICT (event_id, actor_id) DO NOTHING
            RETURNING actor_id, event_type, start_date
        )
        INSERT INTO actor_count AS c (actor_id, facet, category, n)
        SELECT added.actor_id, facet.facet, facet.category, count(*)
        FROM added
        CROSS JOIN LATERAL (VALUES
            ('event_type', added.event_type),
            ('event_year', coalesce(extract(year FROM added.start_date)::int::text, 'unknown'))
        ) AS facet (facet, category)
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        ON CONFLICT (actor_id, facet, category) DO UPDATE SET n = c.n + excluded.n
        """


@dataclass
class LoadCounts:
    created: int
    updated: int


def count(conn: psycopg.Connection[Any], query: str, params: dict[str, Any] | None = None) -> int:
    row = conn.execute(query, params).fetchone()
    return int(row[0]) if row else 0


def classify(conn: psycopg.Connection[Any], *, origin: str, stored_revision_sql: str) -> LoadCounts:
    """import_change: the staged records that create or change an event, with their ids."""
    conn.execute(
        f"""
        CREATE TEMPORARY TABLE import_change ON COMMIT DROP AS
        SELECT r.line, coalesce(e.id, {new_id("r.line", "event")}) AS event_id,
               coalesce(c.id, {new_id("r.line", "claim")}) AS claim_id,
               e.id IS NULL AS is_new
        FROM import_record AS r
        LEFT JOIN event AS e ON e.key = r.event_key
        LEFT JOIN claim AS c ON c.key = r.event_key
        LEFT JOIN source AS s ON s.id = c.source_id
        WHERE e.id IS NULL
           OR (e.origin = %(origin)s AND c.origin = %(origin)s
               AND (r.revision > {stored_revision_sql}
                    OR (r.revision = {stored_revision_sql}
                        AND r.record_data IS DISTINCT FROM c.record_data)))
        """,
        {"origin": origin, **id_params()},
    )
    conn.execute("ANALYZE import_change")
    created = count(conn, "SELECT count(*) FROM import_change WHERE is_new")
    return LoadCounts(
        created=created, updated=count(conn, "SELECT count(*) FROM import_change") - created
    )


# Tables an import writes in bulk; for a large load their foreign keys and plain
# secondary indexes are dropped for the load and put back after it (nexusdb.db.bulk).
BULK_TABLES = (
    "event",
    "claim",
    "event_evidence",
    "event_participant",
    "event_participant_evidence",
    "event_quantity",
    "event_quantity_evidence",
)
# A load is bulk from this many changed records on, if they are also at least
# 1/BULK_SHARE of the events already stored: below that, rebuilding every index and
# validating every key over the whole table costs more than maintaining them per row.
BULK_THRESHOLD = 5_000
BULK_SHARE = 4


def is_bulk(conn: psycopg.Connection[Any], changed: int) -> bool:
    if changed < BULK_THRESHOLD:
        return False
    # The planner's row count (kept by VACUUM, ANALYZE and CREATE INDEX); -1: never counted.
    stored = count(conn, "SELECT reltuples::bigint FROM pg_class WHERE oid = 'event'::regclass")
    if stored < 0:
        stored = count(conn, "SELECT count(*) FROM event")
    return changed * BULK_SHARE >= stored


def load(
    conn: psycopg.Connection[Any],
    *,
    origin: str,
    source_id: Any,
    publisher_id: Any,
    lap: Callable[[str], None] = lambda _: None,
) -> None:
    """Write events, claims, participants, quantities and their evidence from import_change.

    `lap(step)` is called at the end of each step, for the import's timer.
    """
    params = {"origin": origin, "source_id": source_id, "publisher_id": publisher_id}
    # What the changed records say, unpacked; then what an update no longer says goes.
    for statement in (PARTICIPANT_ROWS, QUANTITY_ROWS):
        conn.execute(statement, id_params())
    for statement in (DELETE_STALE_PARTICIPANTS, DELETE_STALE_QUANTITIES):
        conn.execute(statement)
    lap("unpack participants and figures")
    deferred = None
    if is_bulk(conn, count(conn, "SELECT count(*) FROM import_change")):
        deferred = bulk.defer(conn, BULK_TABLES)
        set_user_triggers(conn, SUMMARY_TRIGGER_TABLES, enabled=False)
        lap("drop foreign keys and indexes (bulk)")
    for statement in (INSERT_EVENTS, UPDATE_EVENTS):
        conn.execute(statement, params)
    lap("insert events")
    for statement in (INSERT_CLAIMS, UPDATE_CLAIMS, INSERT_EVENT_EVIDENCE):
        conn.execute(statement, params)
    lap("insert claims")
    for statement in (INSERT_PARTICIPANTS, INSERT_PARTICIPANT_EVIDENCE):
        conn.execute(statement, params)
    if deferred:
        conn.execute(ADD_TO_SUMMARIES)
        set_user_triggers(conn, SUMMARY_TRIGGER_TABLES, enabled=True)
    lap("insert participants")
    for statement in (
        UPDATE_QUANTITIES,
        INSERT_QUANTITIES,
        INSERT_QUANTITY_EVIDENCE,
        KEEP_QUANTITY_EVIDENCE,
    ):
        conn.execute(statement, params)
    lap("insert quantities")
    if deferred:
        conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
        bulk.rebuild_indexes(conn, deferred)
        lap("rebuild indexes (bulk)")
        bulk.validate_foreign_keys(conn, deferred)
        lap("validate foreign keys (bulk)")


def set_user_triggers(
    conn: psycopg.Connection[Any], tables: Sequence[str], *, enabled: bool
) -> None:
    for table in tables:
        conn.execute(
            sql.SQL("ALTER TABLE {} {} TRIGGER USER").format(
                sql.Identifier(table), sql.SQL("ENABLE" if enabled else "DISABLE")
            )
        )


def delete_records(
    conn: psycopg.Connection[Any], *, origin: str, stored_revision_sql: str
) -> tuple[int, int]:
    """Remove the records import_deletion lists (their events and claims, with all their
    evidence): each stored under that exact id and not newer than its deletion.

    Returns (deleted, listed but not deleted). Only rows of the import's own origin are
    touched.
    """
    deleted = count(
        conn,
        f"""
        WITH gone AS (
            DELETE FROM event AS e USING import_deletion AS d, claim AS c, source AS s
            WHERE e.key = d.event_key AND e.origin = %(origin)s
              AND c.key = e.key AND c.record_id = d.record_id AND c.origin = %(origin)s
              AND s.id = c.source_id AND {stored_revision_sql} <= d.revision
            RETURNING e.key
        ), gone_claim AS (
            DELETE FROM claim AS c USING gone
            WHERE c.key = gone.key AND c.origin = %(origin)s
            RETURNING c.key
        )
        SELECT count(*) FROM gone_claim
        """,
        {"origin": origin},
    )
    listed = count(conn, "SELECT count(DISTINCT record_id) FROM import_deletion")
    return deleted, listed - deleted
