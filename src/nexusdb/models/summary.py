"""Derived read tables: what an actor's profile, pages and neighbourhood read instead of
aggregating a hub's rows on every call.

No writer fills them: statement-level triggers in the migration keep them true after every
INSERT (COPY and INSERT ... SELECT included), UPDATE and DELETE of the tables they derive
from, set-based, in the writer's own transaction. `refresh_read_summaries()` rebuilds them
from scratch after a load that disabled triggers. Ids here have no foreign keys: a row
exists only while the rows it is derived from exist, which the triggers guarantee.
"""

import uuid
from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, Index, desc
from sqlalchemy.orm import Mapped, mapped_column

from nexusdb.db.base import Base

FACETS = ("relationship_type", "event_type", "event_year", "claim_kind")
# actor_event.sort_date of an event whose start is unknown: last, and comparable in a cursor.
UNKNOWN_START_SORT_DATE = date(9999, 12, 31)


class ActorCount(Base):
    """How many relationships (by type), events (by type, by start year) and claims about
    it (by kind) an actor has: a profile's counts, read in one index probe."""

    __tablename__ = "actor_count"
    __table_args__ = (CheckConstraint(f"facet IN {FACETS!r}", name="facet"),)

    actor_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    facet: Mapped[str] = mapped_column(primary_key=True)
    # A type or kind code; for `event_year` the year, or 'unknown'.
    category: Mapped[str] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger)


class ActorEvent(Base):
    """One row per event an actor takes part in (whatever its roles), in timeline order."""

    __tablename__ = "actor_event"
    __table_args__ = (
        Index(
            "ix_actor_event_actor_id_sort_date_event_key",
            "actor_id",
            "sort_date",
            "event_key",
            unique=True,
            postgresql_include=["event_id"],
        ),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    actor_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    event_key: Mapped[str]
    event_type: Mapped[str]
    start_date: Mapped[date | None]
    # start_date, an unknown start as UNKNOWN_START_SORT_DATE.
    sort_date: Mapped[date]


class ActorClaim(Base):
    """One row per claim about an actor, in claim key order."""

    __tablename__ = "actor_claim"
    __table_args__ = (
        Index(
            "ix_actor_claim_actor_id_claim_key",
            "actor_id",
            "claim_key",
            unique=True,
            postgresql_include=["claim_id"],
        ),
    )

    claim_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    actor_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    claim_key: Mapped[str]
    claim_kind: Mapped[str]


class ActorAdjacency(Base):
    """The relationship graph with both directions stored: one row per actor and neighbour,
    ordered by weight, so a capped neighbourhood level reads only its first rows."""

    __tablename__ = "actor_adjacency"
    __table_args__ = (
        Index(
            "ix_actor_adjacency_actor_id_weight_neighbour_id",
            "actor_id",
            desc("weight"),
            "neighbour_id",
            postgresql_include=[
                "neighbour_is_anonymous",
                "neighbour_key",
                "neighbour_name",
                "neighbour_kind",
            ],
        ),
    )

    actor_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    neighbour_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    # Copied from the neighbour's actor row, so that a level of the walk reads what it
    # returns from the index alone.
    neighbour_is_anonymous: Mapped[bool]
    neighbour_key: Mapped[str]
    neighbour_name: Mapped[str]
    neighbour_kind: Mapped[str]
    # Relationships between the two, either direction.
    relationship_count: Mapped[int]
    # Claims supporting those relationships: how well evidenced the link is.
    weight: Mapped[int]
