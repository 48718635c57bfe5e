"""Staging: each record's rows go by COPY into temporary tables, never row by row.

Temporary tables are unlogged and private to the import's session and transaction
(`ON COMMIT DROP`). One wide row per record; a record's participants and figures travel
as small JSON arrays that the set-based steps unpack (`jsonb_to_recordset`).
"""

import json
from collections.abc import Iterable
from typing import Any

import psycopg

from nexusdb.ingest.records import Record

STAGING_TABLES = """
CREATE TEMPORARY TABLE import_record (
    line int NOT NULL,
    record_id text NOT NULL,
    event_key text NOT NULL,
    revision bigint[] NOT NULL,
    event_type text NOT NULL,
    title text NOT NULL,
    summary text,
    start_date date,
    start_precision text,
    end_date date,
    end_precision text,
    place_key text,
    place_name text,
    place_kind text,
    latitude double precision,
    longitude double precision,
    location_precision text,
    country_iso3 text,
    claim_text text NOT NULL,
    record_data jsonb NOT NULL,
    participants jsonb NOT NULL,
    quantities jsonb NOT NULL
) ON COMMIT DROP;
CREATE TEMPORARY TABLE import_deletion (
    line int NOT NULL,
    record_id text NOT NULL,
    event_key text NOT NULL
) ON COMMIT DROP;
"""

RECORD_COLUMNS = (
    "line, record_id, event_key, revision, event_type, title, summary, start_date,"
    " start_precision, end_date, end_precision, place_key, place_name, place_kind, latitude,"
    " longitude, location_precision, country_iso3, claim_text, record_data, participants,"
    " quantities"
)


def create_staging_tables(conn: psycopg.Connection[Any]) -> None:
    conn.execute(STAGING_TABLES)


def staged_row(line: int, record: Record) -> tuple[object, ...]:
    place = record.location
    return (
        line,
        record.record_id,
        record.event_key,
        list(record.revision),
        record.event_type,
        record.title,
        record.summary,
        record.start.value if record.start else None,
        record.start.precision if record.start else None,
        record.end.value if record.end else None,
        record.end.precision if record.end else None,
        place.key if place else None,
        place.name if place else None,
        place.kind if place else None,
        place.latitude if place else None,
        place.longitude if place else None,
        place.precision if place else None,
        place.country_iso3 if place else None,
        record.claim_text,
        record.record_json,
        json.dumps(
            [
                {"name": p.name, "role": p.role, "kind": p.kind, "qid": p.qid, "iso3": p.iso3}
                for p in record.participants
            ],
            ensure_ascii=False,
        ),
        json.dumps(
            [
                {
                    "kind": q.kind,
                    "counted": q.counted,
                    "low": None if q.low is None else str(q.low),
                    "high": None if q.high is None else str(q.high),
                    "qualifier": q.qualifier,
                    "wording": q.wording,
                }
                for q in record.quantities
            ],
            ensure_ascii=False,
        ),
    )


def copy_records(conn: psycopg.Connection[Any], rows: Iterable[tuple[object, ...]]) -> None:
    """COPY staged rows (from `staged_row`) into import_record, as they are produced."""
    with conn.cursor().copy(f"COPY import_record ({RECORD_COLUMNS}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def copy_deletions(conn: psycopg.Connection[Any], rows: Iterable[tuple[int, str, str]]) -> None:
    with conn.cursor().copy("COPY import_deletion (line, record_id, event_key) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
