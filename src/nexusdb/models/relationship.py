"""Relationships: typed, directed, time-bounded edges between actors."""

import uuid
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nexusdb.db.base import (
    Base,
    DatedInterval,
    Provenance,
    Timestamps,
    UUIDPrimaryKey,
    interval_checks,
    key_check,
    provenance_checks,
    reference,
)

if TYPE_CHECKING:
    from nexusdb.models.actor import Actor
    from nexusdb.models.materiel import Materiel


class Relationship(UUIDPrimaryKey, DatedInterval, Provenance, Timestamps, Base):
    """One curated reading of an edge. The database refuses two rows with the same subject,
    type and object whose intervals overlap (an EXCLUDE constraint in the migration), and a
    symmetric type stored against its canonical direction (a trigger).

    `certainty` uses the claims' scale and may not be stronger than the strongest claim
    that supports the row (the seed validator refuses it; `overstated_relationship` lists
    any that another writer let through). Who asserts it is the claimant of its evidence.
    """

    __tablename__ = "relationship"
    __table_args__ = (
        key_check(),
        *provenance_checks(),
        *interval_checks(),
        CheckConstraint("subject_id <> object_id", name="not_self"),
        # An actor's relationships in page order from either end (actor_relationships()).
        Index(
            "ix_relationship_subject_id_relationship_type_key",
            "subject_id",
            "relationship_type",
            "key",
        ),
        Index(
            "ix_relationship_object_id_relationship_type_key",
            "object_id",
            "relationship_type",
            "key",
        ),
    )

    key: Mapped[str] = mapped_column(unique=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(reference("actor.id"))
    relationship_type: Mapped[str] = mapped_column(reference("relationship_type.code"), index=True)
    object_id: Mapped[uuid.UUID] = mapped_column(reference("actor.id"))
    description: Mapped[str | None]
    certainty: Mapped[str] = mapped_column(reference("certainty.code"), server_default="asserted")

    subject: Mapped["Actor"] = relationship(foreign_keys=[subject_id], lazy="raise")
    object: Mapped["Actor"] = relationship(foreign_keys=[object_id], lazy="raise")
    materiel: Mapped[list["RelationshipMateriel"]] = relationship(
        back_populates="parent", lazy="raise"
    )


class RelationshipMateriel(UUIDPrimaryKey, Base):
    """What a supply relationship carries: "who supplies Russia with which weapons" is one join."""

    __tablename__ = "relationship_materiel"
    __table_args__ = (UniqueConstraint("relationship_id", "materiel_id"),)

    relationship_id: Mapped[uuid.UUID] = mapped_column(
        reference("relationship.id", ondelete="CASCADE")
    )
    materiel_id: Mapped[uuid.UUID] = mapped_column(reference("materiel.id"), index=True)

    parent: Mapped[Relationship] = relationship(back_populates="materiel", lazy="raise")
    item: Mapped["Materiel"] = relationship(lazy="raise")
