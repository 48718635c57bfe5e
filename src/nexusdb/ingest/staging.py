"""Staging: each record's rows go by COPY into temporary tables, never row by row.

Temporary tables are private to the import's session and transaction (`ON COMMIT DROP`).
A record is one row of `import_record`, its participants and figures rows of
`import_record_participant` and `import_record_quantity` (joined by `line`), so the
set-based steps read plain columns and nothing has to be encoded as JSON and unpacked
again. Records are COPYed in batches of BATCH_RECORDS, three COPYs per batch: memory
holds one batch, whatever the size of the file.
"""

from collections.abc import Iterable, Sequence
from typing import Any

import psycopg
from psycopg import sql

from nexusdb.ingest.reading import RawRecord
from nexusdb.ingest.records import Record

STAGING_TABLES = """
CREATE TEMPORARY TABLE import_record (
    line int NOT NULL,
    -- Where the record lies in the file, in bytes, to show it should it be rejected.
    byte_start bigint NOT NULL,
    byte_end bigint NOT NULL,
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
    record_data jsonb NOT NULL
) ON COMMIT DROP;
CREATE TEMPORARY TABLE import_record_participant (
    line int NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    kind text NOT NULL,
    qid text,
    iso3 text
) ON COMMIT DROP;
CREATE TEMPORARY TABLE import_record_quantity (
    line int NOT NULL,
    kind text NOT NULL,
    counted text NOT NULL,
    low numeric,
    high numeric,
    qualifier text NOT NULL,
    wording text
) ON COMMIT DROP;
CREATE TEMPORARY TABLE import_deletion (
    line int NOT NULL,
    record_id text NOT NULL,
    event_key text NOT NULL,
    -- When the record was deleted, comparable with import_record.revision.
    revision bigint[] NOT NULL
) ON COMMIT DROP;
"""

RECORD_COLUMNS = (
    "line",
    "byte_start",
    "byte_end",
    "record_id",
    "event_key",
    "revision",
    "event_type",
    "title",
    "summary",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "place_key",
    "place_name",
    "place_kind",
    "latitude",
    "longitude",
    "location_precision",
    "country_iso3",
    "claim_text",
    "record_data",
)
PARTICIPANT_COLUMNS = ("line", "name", "role", "kind", "qid", "iso3")
QUANTITY_COLUMNS = ("line", "kind", "counted", "low", "high", "qualifier", "wording")
# Records per batch: three COPYs each, and what memory holds at most.
BATCH_RECORDS = 2_000


def create_staging_tables(conn: psycopg.Connection[Any]) -> None:
    conn.execute(STAGING_TABLES)


def copy_rows(
    conn: psycopg.Connection[Any], table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with conn.cursor().copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


class Stager:
    """Collects staged records and COPYs them a batch at a time."""

    def __init__(self, conn: psycopg.Connection[Any], *, batch: int = BATCH_RECORDS) -> None:
        self.conn = conn
        self.batch = batch
        self.records: list[tuple[object, ...]] = []
        self.participants: list[tuple[object, ...]] = []
        self.quantities: list[tuple[object, ...]] = []

    def add(self, raw: RawRecord, record: Record) -> None:
        line = raw.line
        place = record.location
        start, end = record.start, record.end
        self.records.append(
            (
                line,
                raw.start,
                raw.end,
                record.record_id,
                record.event_key,
                list(record.revision),
                record.event_type,
                record.title,
                record.summary,
                start.value if start else None,
                start.precision if start else None,
                end.value if end else None,
                end.precision if end else None,
                place.key if place else None,
                place.name if place else None,
                place.kind if place else None,
                place.latitude if place else None,
                place.longitude if place else None,
                place.precision if place else None,
                place.country_iso3 if place else None,
                record.claim_text,
                record.record_json,
            )
        )
        self.participants += [
            (line, p.name, p.role, p.kind, p.qid, p.iso3) for p in record.participants
        ]
        self.quantities += [
            (line, q.kind, q.counted, q.low, q.high, q.qualifier, q.wording)
            for q in record.quantities
        ]
        if len(self.records) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """COPY what has been collected (call once more at the end)."""
        for table, columns, rows in (
            ("import_record", RECORD_COLUMNS, self.records),
            ("import_record_participant", PARTICIPANT_COLUMNS, self.participants),
            ("import_record_quantity", QUANTITY_COLUMNS, self.quantities),
        ):
            if rows:
                copy_rows(self.conn, table, columns, rows)
        self.records, self.participants, self.quantities = [], [], []


def copy_deletions(
    conn: psycopg.Connection[Any], rows: Iterable[tuple[int, str, str, list[int]]]
) -> None:
    copy_rows(conn, "import_deletion", ("line", "record_id", "event_key", "revision"), rows)
