"""Writes from outside the seed (the HTTP API, Python callers): one record at a time,
checked by the seeder's own `Planner` against what the database holds, and marked
`origin = 'api'` so that `nexusdb seed` and imports never change or delete them.

Each write runs inside the caller's transaction and commits nothing; a refusal raises
before anything is sent, or (what only the database can see, such as an overlapping
relationship) from the database, and the caller rolls back.

A row's id is derived from its key, as the seed's are, so a retried PUT finds the row it
wrote and compares it with what it would write now. Writes of the same key wait for one
another (an advisory lock on the kind and key until the transaction ends), so retries
sent at once find the row the first one wrote rather than clash with it.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy import func, insert, select, tuple_
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from nexusdb.db.base import Base
from nexusdb.errors import RecordError, first_line
from nexusdb.grounding import Segment, layout
from nexusdb.models import (
    Actor,
    Claim,
    Event,
    Materiel,
    Place,
    Relationship,
    Source,
    SourceAuthor,
    SourceSegment,
)
from nexusdb.schemas.dates import PreciseDate
from nexusdb.schemas.seed import ClaimFields, Dated, EventRecord, RelationshipRecord, SourceFields
from nexusdb.seeding.plan import (
    ClaimFacts,
    Edge,
    Plan,
    Planner,
    Row,
    SourceText,
    Vocabularies,
    identity,
)
from nexusdb.seeding.sync import SEED_TABLES

ORIGIN = "api"

# The keyed tables a record may refer to, by the name messages use.
KEYED: dict[str, type[Base]] = {
    "source": Source,
    "actor": Actor,
    "place": Place,
    "materiel": Materiel,
    "claim": Claim,
    "event": Event,
    "relationship": Relationship,
}


# Refusals because of a row already there (its key, an overlapping reading), not because
# of the record alone: a 409 rather than a 422.
CONFLICTS = frozenset({"key-exists", "conflict"})


class WriteRefusedError(RecordError):
    """The record breaks a rule: unknown code or key, a quote not in its source, ...; or
    it clashes with a row already there (a problem in CONFLICTS)."""

    def __init__(self, message: str, *, problem: str | None = None) -> None:
        super().__init__(message, problem=problem)
        self.status = 409 if self.problem in CONFLICTS else 422


class DatabaseKnown:
    """What the database holds about the rows a record refers to, read as asked."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def id_of(self, kind: str, key: str) -> uuid.UUID | None:
        model = KEYED[kind]
        statement = select(model.__table__.c.id).where(model.__table__.c.key == key)
        found: uuid.UUID | None = self.session.scalar(statement)
        return found

    def claim(self, key: str) -> ClaimFacts | None:
        row = self.session.execute(
            select(Claim.key, Source.key, Claim.certainty)
            .join(Source, Source.id == Claim.source_id)
            .where(Claim.key == key)
        ).first()
        return ClaimFacts(*row) if row else None

    def published(self, source: str) -> PreciseDate | None:
        row = self.session.execute(
            select(Source.published_date, Source.published_precision).where(Source.key == source)
        ).first()
        if row is None or row[0] is None or row[1] is None:
            return None
        return PreciseDate(row[0], row[1])

    def source_kind(self, source: str) -> str | None:
        return self.session.scalar(select(Source.kind).where(Source.key == source))

    def first_author(self, source: str) -> str | None:
        return self.session.scalar(
            select(Actor.key)
            .join(SourceAuthor, SourceAuthor.actor_id == Actor.id)
            .join(Source, Source.id == SourceAuthor.source_id)
            .where(Source.key == source)
            .order_by(SourceAuthor.position)
            .limit(1)
        )

    def text(self, source: str) -> SourceText | None:
        rows = self.session.execute(
            select(
                SourceSegment.ordinal,
                SourceSegment.kind,
                SourceSegment.start_offset,
                SourceSegment.end_offset,
                SourceSegment.text,
            )
            .join(Source, Source.id == SourceSegment.source_id)
            .where(Source.key == source)
            .order_by(SourceSegment.start_offset)
        ).all()
        if not rows:
            return None
        segments = [Segment(*row) for row in rows]
        return SourceText(layout(segments), segments)

    def segment_id(self, source: str, ordinal: int) -> uuid.UUID:
        found: uuid.UUID = self.session.execute(
            select(SourceSegment.id)
            .join(Source, Source.id == SourceSegment.source_id)
            .where(Source.key == source, SourceSegment.ordinal == ordinal)
        ).scalar_one()
        return found

    def readings(self, edge: Edge) -> list[tuple[Row, str]]:
        """The stored relationships of an edge. Locks the edge until the transaction ends
        first, so that two writers of overlapping readings cannot both find none."""
        subject_id, relationship_type, object_id = edge
        _hold(self.session, "relationship edge", f"{subject_id} {relationship_type} {object_id}")
        rows = self.session.execute(
            select(Relationship.start_date, Relationship.end_date, Relationship.key).where(
                Relationship.subject_id == subject_id,
                Relationship.relationship_type == relationship_type,
                Relationship.object_id == object_id,
            )
        )
        return [({"start_date": start, "end_date": end}, key) for start, end, key in rows]

    def event_dates(self, key: str) -> Dated | None:
        event = self.session.scalar(select(Event).where(Event.key == key))
        if event is None:
            return None
        return Dated(
            start=_precise(event.start_date, event.start_precision),
            end=_precise(event.end_date, event.end_precision),
            ongoing=event.is_ongoing,
        )


def _precise(value: Any, precision: str | None) -> PreciseDate | None:
    return PreciseDate(value, precision) if value is not None and precision else None


@dataclass(frozen=True)
class Written:
    """What a write did: `created` is False when a PUT found the same row already there;
    `rows` counts the rows this write added, per table (none for such a repeat)."""

    kind: str
    key: str
    created: bool
    rows: dict[str, int]


def _same_as_stored(session: Session, plan: Plan) -> bool:
    """Whether every planned row is stored with exactly the planned values."""
    for table_name, rows in plan.rows.items():
        model_table = Base.metadata.tables[table_name]
        columns = list(next(iter(rows.values())))
        stored = {
            identity(table_name, dict(row)): dict(row)
            for row in session.execute(
                select(*(model_table.c[name] for name in columns)).where(
                    tuple_(*model_table.primary_key.columns).in_(list(rows))
                )
            ).mappings()
        }
        if stored != rows:
            return False
    return True


def _insert(session: Session, plan: Plan, kind: str, key: str) -> None:
    """The planned rows, parents first; what only the database can refuse becomes a refusal."""
    connection = session.connection()
    try:
        for table_name in SEED_TABLES:
            rows = plan.rows.get(table_name)
            if rows:
                connection.execute(insert(Base.metadata.tables[table_name]), list(rows.values()))
    except DBAPIError as error:
        original = error.orig
        if isinstance(original, psycopg.errors.UniqueViolation | psycopg.errors.ExclusionViolation):
            raise _clash(kind, key, original) from None
        if isinstance(original, psycopg.errors.IntegrityError | psycopg.errors.DataError):
            # The message only: PostgreSQL's detail lists the row's values, ids and all.
            primary = original.diag.message_primary or first_line(original)
            raise WriteRefusedError(
                f"{kind} {key!r}: refused by the database: {primary}",
                problem="refused-by-database",
            ) from None
        raise


def _clash(kind: str, key: str, error: psycopg.Error) -> WriteRefusedError:
    """A row the planner's checks did not see, because another writer (the seed, an import)
    committed it while this request ran, described by the record's key and fields rather
    than by PostgreSQL's constraint and ids."""
    table_name, constraint = error.diag.table_name or "", error.diag.constraint_name or ""
    meanwhile = "written while this request ran"
    if table_name == KEYED[kind].__tablename__ and constraint in (
        f"{table_name}_pkey",
        f"{table_name}_key_key",
    ):
        return WriteRefusedError(
            f"{kind} {key!r}: field 'key': a {kind} with this key was {meanwhile}",
            problem="key-exists",
        )
    if constraint == "relationship_no_overlap_excl":
        return WriteRefusedError(
            f"{kind} {key!r}: field 'start': overlaps a relationship with the same actors and"
            f" type {meanwhile}; one relationship row is one reading of an edge",
            problem="conflict",
        )
    return WriteRefusedError(
        f"{kind} {key!r}: clashes with a {table_name.replace('_', ' ')} row {meanwhile}",
        problem="conflict",
    )


def _hold(session: Session, scope: str, name: str) -> None:
    """Wait until no other transaction holds `name` in `scope`, then hold it until this one
    ends (a transaction advisory lock). Its two-number form keeps it apart from the
    one-number locks of seeding, imports and Idempotency-Keys."""
    session.execute(
        select(func.pg_advisory_xact_lock(func.hashtext(f"nexusdb {scope}"), func.hashtext(name)))
    )


def _lock_key(session: Session, kind: str, key: str) -> None:
    """Hold the key of the `kind` row being written: two retries of one PUT sent at once
    would otherwise both find no row and both insert it, and the second would fail on the
    primary key. Taken before the existence check, so a write that waited sees the row
    the other committed."""
    _hold(session, kind, key)


def _write(
    session: Session, kind: str, key: str, plan_record: Callable[[Planner], None], *, put: bool
) -> Written:
    """Plan one record with the seeder's checks, then insert it (or, for a PUT that finds
    the same row there already, leave it)."""
    _lock_key(session, kind, key)
    known = DatabaseKnown(session)
    planner = Planner(
        Vocabularies.load(session.connection()), known, origin=ORIGIN, refusal=WriteRefusedError
    )
    planner.at(f"{kind} {key!r}")
    existing = known.id_of(kind, key)
    if existing is not None and not put:
        raise WriteRefusedError(
            f"{kind} {key!r}: field 'key': a {kind} with this key exists already",
            problem="key-exists",
        )
    plan_record(planner)
    if existing is not None:
        if _same_as_stored(session, planner.plan):
            # Nothing written: the rows are the ones an earlier request added.
            return Written(kind, key, created=False, rows={})
        raise WriteRefusedError(
            f"{kind} {key!r}: field 'key': a {kind} with this key exists already and differs"
            " from this one; a PUT writes a new row or repeats the same one, never replaces one",
            problem="key-exists",
        )
    _insert(session, planner.plan, kind, key)
    rows = {name: len(found) for name, found in planner.plan.rows.items()}
    return Written(kind, key, created=True, rows=rows)


def write_source(
    session: Session, record: SourceFields, text: str | None, *, put: bool = False
) -> Written:
    """A source and its text, segmented as the seeder segments its text files."""
    return _write(
        session, "source", record.key, lambda planner: planner.source(record, text), put=put
    )


def write_claim(
    session: Session,
    record: ClaimFields,
    *,
    quote: str | None = None,
    occurrence: int | None = None,
    dataset_record: dict[str, Any] | None = None,
    put: bool = False,
) -> Written:
    """A claim grounded by a quote (found in its source as the seeder finds it) or, for a
    dataset, by a record: `{"record_id": ..., "record_field": ..., "record_data": ...}`.
    Each only where the source allows it (`grounding.allowed_groundings`)."""

    def plan(planner: Planner) -> None:
        if quote is not None:
            grounding = planner.quoted(record.source, quote, occurrence)
        else:
            assert dataset_record is not None
            grounding = planner.recorded(record.source, dataset_record)
        planner.claim(record, grounding)

    return _write(session, "claim", record.key, plan, put=put)


def write_event(session: Session, record: EventRecord, *, put: bool = False) -> Written:
    """An event with the claims it rests on (its participants', figures' and materiel's too)."""

    def plan(planner: Planner) -> None:
        planner.event(record)
        if record.parent is not None:
            parent = DatabaseKnown(session).event_dates(record.parent)
            if parent is not None:
                planner.within_parent(record, parent, record.parent)

    return _write(session, "event", record.key, plan, put=put)


def write_relationship(
    session: Session, record: RelationshipRecord, *, put: bool = False
) -> Written:
    """A relationship no surer than the strongest claim that supports it."""
    return _write(
        session, "relationship", record.key, lambda planner: planner.relationship(record), put=put
    )
