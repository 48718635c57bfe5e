"""Places: countries, regions, seas and cities that events happen in."""

import uuid

from sqlalchemy import CheckConstraint, Double
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


class Place(UUIDPrimaryKey, Provenance, Timestamps, Base):
    """A location. Containment or control that changes over time is a relationship, not a parent."""

    __tablename__ = "place"
    __table_args__ = (
        key_check(),
        *provenance_checks(),
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude"),
    )

    key: Mapped[str] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(reference("place_kind.code"))
    name: Mapped[str]
    actor_id: Mapped[uuid.UUID | None] = mapped_column(reference("actor.id"), index=True)
    iso_code: Mapped[str | None]
    latitude: Mapped[float | None] = mapped_column(Double)
    longitude: Mapped[float | None] = mapped_column(Double)
    # For places made from a dataset's location: how exactly it knew the coordinates.
    location_precision: Mapped[str | None] = mapped_column(reference("location_precision.code"))
