"""Materiel: weapon systems and equipment, linked to the events and supplies they appear in."""

import uuid

from sqlalchemy.orm import Mapped, mapped_column

from nexusdb.db.base import (
    Base,
    Provenance,
    Timestamps,
    UUIDPrimaryKey,
    key_check,
    provenance_checks,
    reference,
)


class Materiel(UUIDPrimaryKey, Provenance, Timestamps, Base):
    __tablename__ = "materiel"
    __table_args__ = (key_check(), *provenance_checks())

    key: Mapped[str] = mapped_column(unique=True)
    name: Mapped[str]
    category: Mapped[str] = mapped_column(reference("materiel_category.code"))
    producer_id: Mapped[uuid.UUID | None] = mapped_column(reference("actor.id"), index=True)
    description: Mapped[str | None]
