"""From staging to the final tables, set-based: which records are new or changed, then one
INSERT ... SELECT (or UPDATE ... FROM) per table, and deletions.

A record is new when no event has its key; it changes an event of the import's own
origin when its revision is larger than the stored one (or equal with different data);
otherwise it is left alone, so a re-import changes nothing. Updated records keep their
event, claim, participant and quantity ids.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from nexusdb.ingest.resolve import HANDLE, PARTICIPANTS

QUANTITIES = (
    "jsonb_to_recordset(ch.quantities) AS q(kind text, counted text, low numeric,"
    " high numeric, qualifier text, wording text)"
)


PARTICIPANT_ROWS = f"""
        CREATE TEMPORARY TABLE import_participant ON COMMIT DROP AS
        SELECT ch.event_id, ch.claim_id, ch.is_new, a.actor_id, p.role
        FROM import_change AS ch, {PARTICIPANTS}
        JOIN import_actor AS a ON a.handle = {HANDLE}
        """
QUANTITY_ROWS = f"""
        CREATE TEMPORARY TABLE import_quantity ON COMMIT DROP AS
        SELECT ch.event_id, ch.claim_id, q.*
        FROM import_change AS ch, {QUANTITIES}
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
        SELECT ch.event_id, ch.event_key, ch.event_type, ch.title, ch.summary, ip.place_id,
               ch.start_date, ch.start_precision, ch.end_date, ch.end_precision,
               CASE WHEN ch.start_date IS NOT NULL OR ch.end_date IS NOT NULL
                    THEN 'source_text' END,
               'source_text', %(origin)s
        FROM import_change AS ch LEFT JOIN import_place AS ip ON ip.key = ch.place_key
        WHERE ch.is_new
        """
UPDATE_EVENTS = """
        UPDATE event AS e
        SET event_type = ch.event_type, title = ch.title, summary = ch.summary,
            place_id = ip.place_id, start_date = ch.start_date,
            start_precision = ch.start_precision, end_date = ch.end_date,
            end_precision = ch.end_precision,
            date_basis = CASE WHEN ch.start_date IS NOT NULL OR ch.end_date IS NOT NULL
                              THEN 'source_text' END,
            updated_at = now()
        FROM import_change AS ch LEFT JOIN import_place AS ip ON ip.key = ch.place_key
        WHERE e.id = ch.event_id AND NOT ch.is_new
        """
INSERT_CLAIMS = """
        INSERT INTO claim (id, key, source_id, claimant_id, kind, certainty, text, record_id,
                           record_data, retrieved_at, origin)
        SELECT claim_id, event_key, %(source_id)s, %(publisher_id)s, 'fact', 'asserted',
               claim_text, record_id, record_data, now(), %(origin)s
        FROM import_change WHERE is_new
        """
UPDATE_CLAIMS = """
        UPDATE claim AS c
        SET source_id = %(source_id)s, text = ch.claim_text, record_data = ch.record_data,
            retrieved_at = now(), updated_at = now()
        FROM import_change AS ch
        WHERE c.id = ch.claim_id AND NOT ch.is_new
        """
INSERT_EVENT_EVIDENCE = """
        INSERT INTO event_evidence (event_id, claim_id)
        SELECT event_id, claim_id FROM import_change WHERE is_new
        """
INSERT_PARTICIPANTS = """
        WITH added AS (
            INSERT INTO event_participant (event_id, actor_id, role)
            SELECT event_id, actor_id, role FROM import_participant
            ON CONFLICT DO NOTHING
            RETURNING id, event_id
        )
        INSERT INTO event_participant_evidence (participant_id, claim_id)
        SELECT added.id, ch.claim_id FROM added JOIN import_change AS ch USING (event_id)
        """
UPSERT_QUANTITIES = """
        WITH written AS (
            INSERT INTO event_quantity (event_id, kind, counted, low, high, qualifier, unit,
                                        wording)
            SELECT event_id, kind, counted, low, high, qualifier, 'people', wording
            FROM import_quantity
            ON CONFLICT (event_id, kind, counted) DO UPDATE
            SET low = excluded.low, high = excluded.high, qualifier = excluded.qualifier,
                wording = excluded.wording
            RETURNING id, event_id
        )
        INSERT INTO event_quantity_evidence (quantity_id, claim_id)
        SELECT written.id, ch.claim_id FROM written JOIN import_change AS ch USING (event_id)
        ON CONFLICT DO NOTHING
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
        SELECT r.*, coalesce(e.id, gen_random_uuid()) AS event_id,
               coalesce(c.id, gen_random_uuid()) AS claim_id,
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
        {"origin": origin},
    )
    conn.execute("ANALYZE import_change (event_key, event_id, is_new, place_key)")
    created = count(conn, "SELECT count(*) FROM import_change WHERE is_new")
    return LoadCounts(
        created=created, updated=count(conn, "SELECT count(*) FROM import_change") - created
    )


# Tables an import writes in bulk; for a large load their foreign keys are dropped and
# re-added NOT VALID + VALIDATE: one anti-join per key instead of a trigger per row.
BULK_TABLES = (
    "event",
    "claim",
    "event_evidence",
    "event_participant",
    "event_participant_evidence",
    "event_quantity",
    "event_quantity_evidence",
)
# From this many changed records on, checking keys once per table beats once per row.
BULK_THRESHOLD = 5_000


def load(conn: psycopg.Connection[Any], *, origin: str, source_id: Any, publisher_id: Any) -> None:
    """Write events, claims, participants, quantities and their evidence from import_change."""
    params = {"origin": origin, "source_id": source_id, "publisher_id": publisher_id}
    # What the changed records say, unpacked; then what an update no longer says goes.
    for statement in (
        PARTICIPANT_ROWS,
        QUANTITY_ROWS,
        DELETE_STALE_PARTICIPANTS,
        DELETE_STALE_QUANTITIES,
    ):
        conn.execute(statement)
    bulk = count(conn, "SELECT count(*) FROM import_change") >= BULK_THRESHOLD
    with foreign_keys_checked_once(conn, BULK_TABLES) if bulk else nullcontext():
        for statement in (
            INSERT_EVENTS,
            UPDATE_EVENTS,
            INSERT_CLAIMS,
            UPDATE_CLAIMS,
            INSERT_EVENT_EVIDENCE,
            INSERT_PARTICIPANTS,
            UPSERT_QUANTITIES,
        ):
            conn.execute(statement, params)


@contextmanager
def foreign_keys_checked_once(
    conn: psycopg.Connection[Any], tables: Sequence[str]
) -> Iterator[None]:
    """Drop the tables' foreign keys for the load, then re-add and validate each at once.

    The definitions are read from the catalog, so the keys come back exactly as head
    defines them (names, DEFERRABLE, ON DELETE). Validation scans each table once; a row
    the per-row check would have refused fails the import, before commit.
    """
    keys = conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
        " FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])"
        " ORDER BY 1, 2",
        (list(tables),),
    ).fetchall()
    for table, name, _ in keys:
        conn.execute(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                sql.Identifier(table), sql.Identifier(name)
            )
        )
    yield
    for table, name, definition in keys:
        conn.execute(
            sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {} NOT VALID").format(
                sql.Identifier(table), sql.Identifier(name), sql.SQL(definition)
            )
        )
        conn.execute(
            sql.SQL("ALTER TABLE {} VALIDATE CONSTRAINT {}").format(
                sql.Identifier(table), sql.Identifier(name)
            )
        )


def delete_records(conn: psycopg.Connection[Any], *, origin: str) -> tuple[int, int]:
    """Remove the events and claims import_deletion lists (with all their evidence).

    Returns (deleted, not found). Only rows of the import's own origin are touched.
    """
    conn.execute(
        "DELETE FROM claim AS c USING import_deletion AS d"
        " WHERE c.key = d.event_key AND c.origin = %(origin)s",
        {"origin": origin},
    )
    deleted = count(
        conn,
        """
        WITH gone AS (
            DELETE FROM event AS e USING import_deletion AS d
            WHERE e.key = d.event_key AND e.origin = %(origin)s
            RETURNING e.id
        )
        SELECT count(*) FROM gone
        """,
        {"origin": origin},
    )
    listed = count(conn, "SELECT count(DISTINCT event_key) FROM import_deletion")
    return deleted, listed - deleted
