"""One import, in one transaction: read and stage the file, resolve, load, delete, commit.

Bad input changes nothing: the first bad record raises an IngestError naming file, line,
record id and field, and the transaction rolls back. With a rejects file, bad records
are written there with their reason and the good ones load. Imports take one advisory
lock, so two at once run one after the other and never create the same actor twice.
"""

import csv
import json
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import psycopg
from psycopg import sql
from sqlalchemy import Engine

from nexusdb.grounding import DATASET_KIND, RECORD, grounding_refused
from nexusdb.ingest import load, resolve, staging
from nexusdb.ingest.dataset import Dataset
from nexusdb.ingest.reading import RawRecord, csv_records
from nexusdb.ingest.records import IngestError, RecordError

# One lock for every import: they share actors and places.
IMPORT_LOCK = "SELECT pg_advisory_xact_lock(hashtext('nexusdb import'))"
PROGRESS_EVERY = 2000

# Called with (bytes read, bytes in the file, records read).
ProgressCallback = Callable[[int, int, int], None]


@dataclass
class ImportReport:
    dataset: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    deletions_not_found: int = 0
    rejected: int = 0
    new_actors: int = 0
    new_places: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


class Rejects:
    """Where bad records go: an error (the default), or a CSV file with each one's reason."""

    def __init__(self, path: Path, handle: IO[str] | None) -> None:
        self.path = path
        self.writer = csv.writer(handle) if handle else None
        if self.writer:
            self.writer.writerow(["file", "line", "record_id", "field", "reason", "record"])
        self.count = 0

    def reject(self, path: Path, raw: RawRecord, record_id: str, error: RecordError) -> None:
        message = f"{path.name}:{raw.line}: {record_id or '-'}: {error}"
        if self.writer is None:
            raise IngestError(message)
        self.count += 1
        record = json.dumps(raw.values, ensure_ascii=False) if raw.values else ""
        self.writer.writerow([path.name, raw.line, record_id, error.field_name, str(error), record])


class Timer:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + now - self.last
        self.last = now


def run_import(
    engine: Engine,
    dataset: Dataset,
    path: Path,
    *,
    deletions: Path | None = None,
    rejects: Path | None = None,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import `path` (and apply `deletions`) in one transaction; what changed."""
    started = time.perf_counter()
    timer = Timer()
    report = ImportReport(dataset=dataset.name)
    raw_connection = engine.raw_connection()
    try:
        conn: psycopg.Connection[Any] = raw_connection.driver_connection  # type: ignore[assignment]
        with ExitStack() as stack:
            handle = stack.enter_context(open_input(path))
            rejects_handle = (
                stack.enter_context(rejects.open("w", encoding="utf-8", newline=""))
                if rejects
                else None
            )
            bad = Rejects(rejects or path, rejects_handle)
            conn.execute(IMPORT_LOCK)
            # A crash before the WAL reaches disk loses the import, never consistency:
            # it is all or nothing, and running it again is idempotent.
            conn.execute("SET LOCAL synchronous_commit = off")
            session_memory(conn)
            event_types = dict(
                conn.execute(
                    "SELECT scheme_code, event_type FROM event_type_crosswalk"
                    " WHERE scheme = %s AND preferred",
                    (dataset.scheme,),
                ).fetchall()
            )
            staging.create_staging_tables(conn)
            reader, records = dataset.open(path, handle)
            size = path.stat().st_size

            stager = staging.Stager(conn)
            for raw in records:
                report.read += 1
                if progress and report.read % PROGRESS_EVERY == 0:
                    progress(reader.bytes_read, size, report.read)
                try:
                    if raw.problem:
                        raise raw.problem
                    stager.add(raw.line, dataset.parse(raw, event_types))
                except RecordError as error:
                    bad.reject(path, raw, dataset.record_id(raw), error)
            stager.flush()
            if progress:
                progress(size, size, report.read)
            timer.lap("read, validate and COPY to staging")
            drop_duplicates(conn, path, bad)
            conn.execute("ANALYZE import_record (record_id, event_key)")
            counts = load.classify(
                conn, origin=dataset.origin, stored_revision_sql=dataset.stored_revision_sql
            )
            report.created, report.updated = counts.created, counts.updated
            timer.lap("classify new and changed records")
            publisher_id, source_id = ensure_release(conn, dataset)
            report.new_actors = resolve.resolve_actors(
                conn, prefix=dataset.name, origin=dataset.origin
            )
            report.new_places = resolve.resolve_places(conn, origin=dataset.origin)
            timer.lap("resolve actors and places")
            load.load(
                conn,
                origin=dataset.origin,
                source_id=source_id,
                publisher_id=publisher_id,
                lap=timer.lap,
            )
            if deletions:
                stage_deletions(conn, dataset, deletions, bad)
                report.deleted, report.deletions_not_found = load.delete_records(
                    conn, origin=dataset.origin
                )
                timer.lap("deletions")
            report.rejected = bad.count
            report.unchanged = report.read - report.rejected - report.created - report.updated
            conn.commit()
            timer.lap("commit")
    except BaseException:
        raw_connection.rollback()
        raise
    finally:
        raw_connection.close()
    report.seconds = time.perf_counter() - started
    report.timings = timer.timings
    return report


# The staging tables and the joins over them, in memory rather than in temporary files
# while they fit: `temp_buffers` is taken only as temporary tables use it.
WORK_MEM = "64MB"
TEMP_BUFFERS = "256MB"


def session_memory(conn: psycopg.Connection[Any]) -> None:
    """More memory for the import's sorts, hashes and temporary tables, for its transaction.

    PostgreSQL refuses a new `temp_buffers` once a session has used temporary tables with
    another: the import then works with what the session has.
    """
    conn.execute(sql.SQL("SET LOCAL work_mem = {}").format(sql.Literal(WORK_MEM)))
    conn.execute("SAVEPOINT import_temp_buffers")
    try:
        conn.execute(sql.SQL("SET LOCAL temp_buffers = {}").format(sql.Literal(TEMP_BUFFERS)))
    except psycopg.errors.InvalidParameterValue:
        conn.execute("ROLLBACK TO SAVEPOINT import_temp_buffers")
    conn.execute("RELEASE SAVEPOINT import_temp_buffers")


def open_input(path: Path) -> IO[bytes]:
    try:
        return path.open("rb")
    except OSError as error:
        raise IngestError(f"{path}: cannot read the file: {error.strerror}") from None


def drop_duplicates(conn: psycopg.Connection[Any], path: Path, bad: Rejects) -> None:
    """A record id twice in one file is bad input at its second line."""
    duplicates = conn.execute(
        """
        SELECT record_id, line, first_line FROM (
            SELECT record_id, line, min(line) OVER (PARTITION BY record_id) AS first_line,
                   count(*) OVER (PARTITION BY record_id) AS copies
            FROM import_record
            WHERE record_id IN (SELECT record_id FROM import_record
                                GROUP BY record_id HAVING count(*) > 1)) AS repeated
        WHERE line > first_line ORDER BY line
        """
    ).fetchall()
    for record_id, line, first_line in duplicates:
        error = RecordError("record_id", f"repeats the record of line {first_line}")
        bad.reject(path, RawRecord(line, {}), record_id, error)
    if duplicates:
        lines = [line for _, line, _ in duplicates]
        for table in ("import_record", "import_record_participant", "import_record_quantity"):
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE line = ANY(%s)").format(sql.Identifier(table)),
                (lines,),
            )


def ensure_release(conn: psycopg.Connection[Any], dataset: Dataset) -> tuple[Any, Any]:
    """The publisher actor and the release's source row (created once, never changed)."""
    publisher = dataset.publisher
    conn.execute(
        "INSERT INTO actor (key, kind, name, description, basis, origin)"
        " VALUES (%s, 'organization', %s, %s, 'source_text', %s)"
        " ON CONFLICT (key) DO NOTHING",
        (publisher.key, publisher.name, publisher.description, dataset.origin),
    )
    release = dataset.release()
    row = conn.execute("SELECT id FROM actor WHERE key = %s", (publisher.key,)).fetchone()
    assert row is not None
    publisher_id = row[0]
    conn.execute(
        "INSERT INTO source (key, kind, title, url, publisher_id, reliability, basis, origin)"
        " VALUES (%s, 'dataset', %s, %s, %s, %s, 'source_text', %s)"
        " ON CONFLICT (key) DO NOTHING",
        (
            release.key,
            release.title,
            release.url,
            publisher_id,
            release.reliability,
            dataset.origin,
        ),
    )
    row = conn.execute(
        "SELECT id, kind, EXISTS (SELECT FROM source_segment AS g WHERE g.source_id = s.id)"
        " FROM source AS s WHERE key = %s",
        (release.key,),
    ).fetchone()
    assert row is not None
    source_id, kind, has_text = row
    # The import's claims rest on records of the release: a source of its key written by
    # someone else as, say, a news report cannot carry them.
    if kind != DATASET_KIND:
        refused = grounding_refused(release.key, kind, has_text=has_text, grounding=RECORD)
        raise IngestError(f"cannot import {dataset.name}: {refused}")
    return publisher_id, source_id


def stage_deletions(
    conn: psycopg.Connection[Any], dataset: Dataset, path: Path, bad: Rejects
) -> None:
    """COPY a deletions file (ACLED's `event_id_cnty, deleted_timestamp`) into import_deletion."""
    with open_input(path) as handle:
        id_column = dataset.deletion_columns[0]
        _, _, records = csv_records(path, handle, required=dataset.deletion_columns)

        def rows() -> Iterator[tuple[int, str, str]]:
            for raw in records:
                record_id = str(raw.values.get(id_column, "")).strip()
                try:
                    if raw.problem:
                        raise raw.problem
                    if not record_id:
                        raise RecordError(id_column, "is empty")
                    yield raw.line, record_id, dataset.event_key(record_id)
                except RecordError as error:
                    bad.reject(path, raw, record_id, error)

        staging.copy_deletions(conn, rows())
