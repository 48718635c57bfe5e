"""One import, in one transaction: read and stage the file, resolve, load, delete, commit.

Bad input changes nothing: the first bad record raises an IngestError naming file, line,
record id and field, and the transaction rolls back. With a rejects file, bad records
are written there with their reason and the good ones load. Imports take one advisory
lock, so two at once run one after the other and never create the same actor twice.
"""

import csv
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import psycopg
from psycopg import sql
from sqlalchemy import Engine

from nexusdb.grounding import DATASET_KIND, RECORD, grounding_refused
from nexusdb.ingest import load, resolve, staging
from nexusdb.ingest.dataset import Dataset
from nexusdb.ingest.reading import RawRecord, csv_records, record_text
from nexusdb.ingest.records import IngestError, RecordError, parse_int

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
    # Records of the file that a deletion as new or newer withdraws: they are not loaded.
    withdrawn: int = 0
    rejected: int = 0
    new_actors: int = 0
    new_places: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


class Rejects:
    """Where bad records go: an error (the default), or a CSV file with each one's reason
    and the record as the file has it."""

    def __init__(self, handle: IO[str] | None) -> None:
        self.writer = csv.writer(handle) if handle else None
        if self.writer:
            self.writer.writerow(["file", "line", "record_id", "field", "reason", "record"])
        self.count = 0
        # The files the rejected records are read back from, each opened once.
        self.files = ExitStack()
        self.opened: dict[Path, IO[bytes]] = {}

    def reject(self, path: Path, raw: RawRecord, record_id: str, error: RecordError) -> None:
        message = f"{path.name}:{raw.line}: {record_id or '-'}: {error}"
        if self.writer is None:
            raise IngestError(message)
        self.count += 1
        if path not in self.opened:
            self.opened[path] = self.files.enter_context(open_input(path))
        record = record_text(self.opened[path], raw.start, raw.end)
        self.writer.writerow([path.name, raw.line, record_id, error.field_name, str(error), record])


@contextmanager
def open_rejects(path: Path | None) -> Iterator[Rejects]:
    """Rejects that raise, or that go to `path` (created or emptied only now)."""
    if path is None:
        yield Rejects(None)
        return
    try:
        handle = path.open("w", encoding="utf-8", newline="")
    except OSError as error:
        reason = error.strerror
        raise IngestError(f"--skip-invalid {path}: cannot write the file: {reason}") from None
    with handle:
        rejects = Rejects(handle)
        with rejects.files:
            yield rejects


def refuse_overwriting(rejects: Path, **inputs: Path | None) -> None:
    """The rejects file must not be one of the files read: writing it would empty that file."""
    if not rejects.exists():
        return
    for what, path in inputs.items():
        if path is not None and rejects.samefile(path):
            raise IngestError(
                f"--skip-invalid {rejects}: that is the {what} file, which writing the rejects"
                " would empty; name another file"
            )


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
    """Import `path` (and apply `deletions`) in one transaction; what changed.

    Every argument is checked first (the rejects file is none of the files read, each file
    read has its columns): only then is the rejects file written and the database touched.
    """
    started = time.perf_counter()
    timer = Timer()
    report = ImportReport(dataset=dataset.name)
    if rejects:
        refuse_overwriting(rejects, input=path, deletions=deletions)
    with ExitStack() as stack:
        handle = stack.enter_context(open_input(path))
        reader, records = dataset.open(path, handle)
        deletion_records = (
            csv_records(
                deletions,
                stack.enter_context(open_input(deletions)),
                required=dataset.deletion_columns,
            )[2]
            if deletions
            else None
        )
        bad = stack.enter_context(open_rejects(rejects))
        raw_connection = engine.raw_connection()
        try:
            conn: psycopg.Connection[Any] = raw_connection.driver_connection  # type: ignore[assignment]
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
            size = path.stat().st_size

            stager = staging.Stager(conn)
            for raw in records:
                report.read += 1
                if progress and report.read % PROGRESS_EVERY == 0:
                    progress(reader.bytes_read, size, report.read)
                try:
                    if raw.problem:
                        raise raw.problem
                    stager.add(raw, dataset.parse(raw, event_types))
                except RecordError as error:
                    bad.reject(path, raw, dataset.record_id(raw), error)
            stager.flush()
            if progress:
                progress(size, size, report.read)
            if deletions and deletion_records is not None:
                stage_deletions(conn, dataset, deletions, deletion_records, bad)
            timer.lap("read, validate and COPY to staging")
            drop_key_conflicts(conn, dataset, path, bad)
            report.withdrawn = withdraw_deleted(conn)
            conn.execute("ANALYZE import_record (record_id, event_key)")
            counts = load.classify(
                conn, origin=dataset.origin, stored_revision_sql=dataset.stored_revision_sql
            )
            report.created, report.updated = counts.created, counts.updated
            timer.lap("classify new and changed records")
            # Nothing new or newer: not even the publisher or the release's source is written.
            if counts.created or counts.updated:
                write_records(conn, dataset, report, timer)
            if deletions:
                report.deleted, report.deletions_not_found = load.delete_records(
                    conn, origin=dataset.origin, stored_revision_sql=dataset.stored_revision_sql
                )
                timer.lap("deletions")
            report.rejected = bad.count
            report.unchanged = (
                report.read - report.rejected - report.withdrawn - report.created - report.updated
            )
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


def write_records(
    conn: psycopg.Connection[Any], dataset: Dataset, report: ImportReport, timer: Timer
) -> None:
    """Write the records import_change holds, with their source, actors and places."""
    publisher_id, source_id = ensure_release(conn, dataset)
    report.new_actors = resolve.resolve_actors(conn, prefix=dataset.name, origin=dataset.origin)
    report.new_places = resolve.resolve_places(conn, origin=dataset.origin)
    timer.lap("resolve actors and places")
    load.load(
        conn, origin=dataset.origin, source_id=source_id, publisher_id=publisher_id, lap=timer.lap
    )


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


# Records whose event key another record holds: a later record of the file with the key
# of an earlier one (the same id again, or an id that differs only in case or punctuation),
# or a record whose key a stored record of another id holds. One row per record, the
# conflict within the file first.
KEY_CONFLICTS = """
    WITH in_file AS (
        SELECT line, byte_start, byte_end, record_id,
               first_value(record_id) OVER same_key AS other_id,
               first_value(line) OVER same_key AS other_line
        FROM import_record
        WHERE event_key IN (SELECT event_key FROM import_record
                            GROUP BY event_key HAVING count(*) > 1)
        WINDOW same_key AS (PARTITION BY event_key ORDER BY line)
    )
    SELECT DISTINCT ON (line) line, byte_start, byte_end, record_id, other_id, other_line
    FROM (SELECT * FROM in_file WHERE line > other_line
          UNION ALL
          SELECT r.line, r.byte_start, r.byte_end, r.record_id, c.record_id, NULL
          FROM import_record AS r
          JOIN claim AS c ON c.key = r.event_key AND c.origin = %(origin)s
          WHERE c.record_id <> r.record_id) AS conflict
    ORDER BY line, other_line NULLS LAST
"""


def drop_key_conflicts(
    conn: psycopg.Connection[Any], dataset: Dataset, path: Path, bad: Rejects
) -> None:
    """Refuse a record whose key belongs to another record: the same id twice in a file, or
    two ids that give one key (`UKR77` and `ukr77`, `abc_1` and `abc.1`).

    A key is derived from the record id, and keys already imported stay as they are: a
    record matches a stored one by its exact id, never by a key another id gave.
    """
    conflicts = conn.execute(KEY_CONFLICTS, {"origin": dataset.origin}).fetchall()
    for line, start, end, record_id, other_id, other_line in conflicts:
        if other_id == record_id:
            reason = f"repeats the record of line {other_line}"
        else:
            where = f"of line {other_line}" if other_line else "already in the database"
            reason = f"{record_id!r} has the same key as record {other_id!r} {where}"
        bad.reject(
            path, RawRecord(line, start, end, {}), record_id, RecordError(dataset.id_field, reason)
        )
    drop_lines(conn, [line for line, *_ in conflicts])


def withdraw_deleted(conn: psycopg.Connection[Any]) -> int:
    """Take out of staging the records that a deletion of their id, as new as they are or
    newer, withdraws (a record newer than its deletion stays); how many."""
    withdrawn = conn.execute(
        "SELECT r.line FROM import_record AS r JOIN import_deletion AS d"
        " ON d.record_id = r.record_id AND r.revision <= d.revision"
    ).fetchall()
    drop_lines(conn, [line for (line,) in withdrawn])
    return len(withdrawn)


def drop_lines(conn: psycopg.Connection[Any], lines: list[int]) -> None:
    """Take the records that start on these lines out of staging."""
    if not lines:
        return
    for table in ("import_record", "import_record_participant", "import_record_quantity"):
        conn.execute(
            sql.SQL("DELETE FROM {} WHERE line = ANY(%s)").format(sql.Identifier(table)), (lines,)
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
    conn: psycopg.Connection[Any],
    dataset: Dataset,
    path: Path,
    records: Iterator[RawRecord],
    bad: Rejects,
) -> None:
    """COPY a deletions file's records (ACLED's `event_id_cnty, deleted_timestamp`) into
    import_deletion; the time of a deletion is checked as the records' revision is."""
    id_column, time_column = dataset.deletion_columns

    def rows() -> Iterator[tuple[int, str, str, list[int]]]:
        for raw in records:
            record_id = str(raw.values.get(id_column, "")).strip()
            try:
                if raw.problem:
                    raise raw.problem
                if not record_id:
                    raise RecordError(id_column, "is empty")
                revision = parse_int(time_column, raw.values[time_column], minimum=0)
                yield raw.line, record_id, dataset.event_key(record_id), [revision]
            except RecordError as error:
                bad.reject(path, raw, record_id, error)

    staging.copy_deletions(conn, rows())
