"""From staging to the final tables, set-based: which records are new or changed, then one
INSERT ... SELECT (or UPDATE ... FROM) per table, and deletions.

A record is new when no event has its key; it changes an event of the import's own
origin when its revision is larger than the stored one (or equal with different data);
otherwise it is left alone, so a re-import changes nothing. Updated records keep their
event, claim, participant and quantity ids.
"""

from dataclasses import dataclass
from typing import Any

import psycopg

from nexusdb.ingest.resolve import HANDLE, PARTICIPANTS

QUANTITIES = (
    "jsonb_to_recordset(ch.quantities) AS q(kind text, counted text, low numeric,"
    " high numeric, qualifier text, wording text)"
)


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
    conn.execute("ANALYZE import_change")
    created = count(conn, "SELECT count(*) FROM import_change WHERE is_new")
    return LoadCounts(
        created=created, updated=count(conn, "SELECT count(*) FROM import_change") - created
    )


def load(conn: psycopg.Connection[Any], *, origin: str, source_id: Any, publisher_id: Any) -> None:
    """Write events, claims, participants, quantities and their evidence from import_change."""
    params = {"origin": origin, "source_id": source_id, "publisher_id": publisher_id}
    for statement in (
        """
        INSERT INTO event (id, key, event_type, title, summary, place_id, start_date,
                           start_precision, end_date, end_precision, date_basis, basis, origin)
        SELECT ch.event_id, ch.event_key, ch.event_type, ch.title, ch.summary, ip.place_id,
               ch.start_date, ch.start_precision, ch.end_date, ch.end_precision,
               CASE WHEN ch.start_date IS NOT NULL OR ch.end_date IS NOT NULL
                    THEN 'source_text' END,
               'source_text', %(origin)s
        FROM import_change AS ch LEFT JOIN import_place AS ip ON ip.key = ch.place_key
        WHERE ch.is_new
        """,
        """
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
        """,
        """
        INSERT INTO claim (id, key, source_id, claimant_id, kind, certainty, text, record_id,
                           record_data, retrieved_at, origin)
        SELECT claim_id, event_key, %(source_id)s, %(publisher_id)s, 'fact', 'asserted',
               claim_text, record_id, record_data, now(), %(origin)s
        FROM import_change WHERE is_new
        """,
        """
        UPDATE claim AS c
        SET source_id = %(source_id)s, text = ch.claim_text, record_data = ch.record_data,
            retrieved_at = now(), updated_at = now()
        FROM import_change AS ch
        WHERE c.id = ch.claim_id AND NOT ch.is_new
        """,
        """
        INSERT INTO event_evidence (event_id, claim_id)
        SELECT event_id, claim_id FROM import_change WHERE is_new
        """,
        # Participants: the records' named actors, resolved.
        f"""
        CREATE TEMPORARY TABLE import_participant ON COMMIT DROP AS
        SELECT ch.event_id, ch.claim_id, ch.is_new, a.actor_id, p.role
        FROM import_change AS ch, {PARTICIPANTS}
        JOIN import_actor AS a ON a.handle = {HANDLE}
        """,
        """
        DELETE FROM event_participant AS ep
        USING import_change AS ch
        WHERE ep.event_id = ch.event_id AND NOT ch.is_new
          AND NOT EXISTS (SELECT FROM import_participant AS ip
                          WHERE ip.event_id = ep.event_id AND ip.actor_id = ep.actor_id
                            AND ip.role = ep.role)
        """,
        """
        WITH added AS (
            INSERT INTO event_participant (event_id, actor_id, role)
            SELECT event_id, actor_id, role FROM import_participant
            ON CONFLICT DO NOTHING
            RETURNING id, event_id
        )
        INSERT INTO event_participant_evidence (participant_id, claim_id)
        SELECT added.id, ch.claim_id FROM added JOIN import_change AS ch USING (event_id)
        """,
        # Quantities: upserted in place, so their ids stay.
        f"""
        CREATE TEMPORARY TABLE import_quantity ON COMMIT DROP AS
        SELECT ch.event_id, ch.claim_id, q.*
        FROM import_change AS ch, {QUANTITIES}
        """,
        """
        DELETE FROM event_quantity AS eq
        USING import_change AS ch
        WHERE eq.event_id = ch.event_id AND NOT ch.is_new
          AND NOT EXISTS (SELECT FROM import_quantity AS iq
                          WHERE iq.event_id = eq.event_id AND iq.kind = eq.kind
                            AND iq.counted = eq.counted)
        """,
        """
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
        """,
    ):
        conn.execute(statement, params)


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
