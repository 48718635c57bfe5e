"""Events: what happened (or is predicted), who took part, what was counted, what was used."""

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Computed, Index, UniqueConstraint, desc
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nexusdb.db.base import (
    Base,
    DatedInterval,
    Grounds,
    Provenance,
    Timestamps,
    UUIDPrimaryKey,
    grounds_checks,
    interval_checks,
    key_check,
    provenance_checks,
    reference,
)

if TYPE_CHECKING:
    from nexusdb.models.actor import Actor
    from nexusdb.models.materiel import Materiel
    from nexusdb.models.place import Place


class Event(UUIDPrimaryKey, DatedInterval, Provenance, Timestamps, Base):
    """An occurrence with a date interval; `factuality` separates what occurred from predictions."""

    __tablename__ = "event"
    __table_args__ = (
        key_check(),
        *provenance_checks(),
        *interval_checks(),
        CheckConstraint("parent_event_id <> id", name="not_own_parent"),
        Index("ix_event_search_vector", "search_vector", postgresql_using="gin"),
        # The timeline's order, and date-interval filters.
        Index("ix_event_start_date_key", "start_date", "key"),
        # search_text reads a common word's candidates newest first.
        Index("ix_event_created_at_id", desc("created_at"), desc("id")),
    )

    key: Mapped[str] = mapped_column(unique=True)
    event_type: Mapped[str] = mapped_column(reference("event_type.code"), index=True)
    title: Mapped[str]
    summary: Mapped[str | None]
    place_id: Mapped[uuid.UUID | None] = mapped_column(reference("place.id"), index=True)
    parent_event_id: Mapped[uuid.UUID | None] = mapped_column(reference("event.id"), index=True)
    factuality: Mapped[str] = mapped_column(
        reference("factuality.code"), server_default="occurred", index=True
    )
    # For search_text(); the functions are the migration's. Never loaded into Python.
    search_vector: Mapped[str | None] = mapped_column(
        TSVECTOR,
        Computed(
            "setweight(to_search_vector(title), 'A') || setweight(to_search_vector(summary), 'B')",
            persisted=True,
        ),
        deferred=True,
        deferred_raiseload=True,
    )

    place: Mapped["Place | None"] = relationship(lazy="raise")
    parent: Mapped["Event | None"] = relationship(remote_side="Event.id", lazy="raise")
    participants: Mapped[list["EventParticipant"]] = relationship(
        back_populates="event", lazy="raise", order_by="EventParticipant.role"
    )
    quantities: Mapped[list["EventQuantity"]] = relationship(back_populates="event", lazy="raise")
    materiel: Mapped[list["EventMateriel"]] = relationship(back_populates="event", lazy="raise")


class EventParticipant(UUIDPrimaryKey, Grounds, Base):
    """Who took part, and in what role; `basis` says whether the source names them."""

    __tablename__ = "event_participant"
    __table_args__ = (UniqueConstraint("event_id", "actor_id", "role"), *grounds_checks())

    event_id: Mapped[uuid.UUID] = mapped_column(reference("event.id", ondelete="CASCADE"))
    actor_id: Mapped[uuid.UUID] = mapped_column(reference("actor.id"), index=True)
    role: Mapped[str] = mapped_column(reference("participant_role.code"))

    event: Mapped[Event] = relationship(back_populates="participants", lazy="raise")
    actor: Mapped["Actor"] = relationship(lazy="raise")


class EventQuantity(UUIDPrimaryKey, Grounds, Base):
    """A figure as the source words it: "more than 42 thousand civilians" is 42000, more_than."""

    __tablename__ = "event_quantity"
    __table_args__ = (
        UniqueConstraint("event_id", "kind", "counted"),
        *grounds_checks(),
        CheckConstraint("low <= high", name="low_le_high"),
        CheckConstraint("low IS NOT NULL OR high IS NOT NULL", name="has_value"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(reference("event.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(reference("quantity_kind.code"))
    low: Mapped[Decimal | None]
    high: Mapped[Decimal | None]
    qualifier: Mapped[str] = mapped_column(reference("quantity_qualifier.code"))
    unit: Mapped[str]
    counted: Mapped[str]
    wording: Mapped[str | None]

    event: Mapped[Event] = relationship(back_populates="quantities", lazy="raise")


class EventMateriel(UUIDPrimaryKey, Base):
    __tablename__ = "event_materiel"
    __table_args__ = (UniqueConstraint("event_id", "materiel_id"),)

    event_id: Mapped[uuid.UUID] = mapped_column(reference("event.id", ondelete="CASCADE"))
    materiel_id: Mapped[uuid.UUID] = mapped_column(reference("materiel.id"), index=True)

    event: Mapped[Event] = relationship(back_populates="materiel", lazy="raise")
    item: Mapped["Materiel"] = relationship(lazy="raise")
