"""Controlled vocabularies: lookup tables whose rows the migrations insert.

Lookup tables rather than PostgreSQL ENUM types: a new code is an INSERT, a downgrade
leaves nothing behind, and each code carries a label and a description for readers.
"""

from sqlalchemy import Index, SmallInteger, text
from sqlalchemy.orm import Mapped, mapped_column

from nexusdb.db.base import Base, reference


class Lookup:
    code: Mapped[str] = mapped_column(primary_key=True)
    label: Mapped[str]
    description: Mapped[str | None]


class Graded(Lookup):
    """A grading scale; `rank` orders it, NULL for "cannot be judged" so it sorts as unknown."""

    rank: Mapped[int | None] = mapped_column(SmallInteger)


class DatePrecision(Lookup, Base):
    __tablename__ = "date_precision"


class Basis(Lookup, Base):
    __tablename__ = "basis"


class SourceKind(Lookup, Base):
    __tablename__ = "source_kind"


class SegmentKind(Lookup, Base):
    __tablename__ = "segment_kind"


class Reliability(Graded, Base):
    """NATO/Admiralty source reliability, A (completely reliable) to F (cannot be judged)."""

    __tablename__ = "reliability"


class Credibility(Graded, Base):
    """NATO/Admiralty information credibility, 1 (confirmed) to 6 (cannot be judged)."""

    __tablename__ = "credibility"


class ActorKind(Lookup, Base):
    __tablename__ = "actor_kind"


class AliasKind(Lookup, Base):
    __tablename__ = "alias_kind"


class ExternalIdScheme(Lookup, Base):
    __tablename__ = "external_id_scheme"


class PlaceKind(Lookup, Base):
    __tablename__ = "place_kind"


class LocationPrecision(Lookup, Base):
    """How exactly a dataset knew where a thing happened (ACLED geo_precision, UCDP where_prec)."""

    __tablename__ = "location_precision"


class MaterielCategory(Lookup, Base):
    __tablename__ = "materiel_category"


class EventType(Lookup, Base):
    __tablename__ = "event_type"


class EventTypeCrosswalk(Base):
    """Maps nexusdb's readable event types to PLOVER, CAMEO, ACLED and UCDP codes.

    Several types may share a code (PLOVER ASSAULT is a war, an invasion, ...); the one
    `preferred` row of a code is the type an importer gives a record coded that way.
    """

    __tablename__ = "event_type_crosswalk"
    __table_args__ = (
        Index(
            "ix_event_type_crosswalk_preferred",
            "scheme",
            "scheme_code",
            unique=True,
            postgresql_where=text("preferred"),
        ),
    )

    event_type: Mapped[str] = mapped_column(
        reference("event_type.code", ondelete="CASCADE"), primary_key=True
    )
    scheme: Mapped[str] = mapped_column(primary_key=True)
    scheme_code: Mapped[str] = mapped_column(primary_key=True)
    preferred: Mapped[bool] = mapped_column(server_default=text("false"))


class Factuality(Lookup, Base):
    __tablename__ = "factuality"


class ParticipantRole(Lookup, Base):
    __tablename__ = "participant_role"


class QuantityKind(Lookup, Base):
    __tablename__ = "quantity_kind"


class QuantityQualifier(Lookup, Base):
    __tablename__ = "quantity_qualifier"


class RelationshipType(Lookup, Base):
    """A directed edge type; symmetric types are stored once, in canonical direction."""

    __tablename__ = "relationship_type"

    inverse_label: Mapped[str]
    is_symmetric: Mapped[bool]


class ClaimKind(Lookup, Base):
    __tablename__ = "claim_kind"


class Certainty(Graded, Base):
    __tablename__ = "certainty"


class Polarity(Lookup, Base):
    __tablename__ = "polarity"


class Stance(Lookup, Base):
    __tablename__ = "stance"


class ClaimRelationType(Lookup, Base):
    __tablename__ = "claim_relation_type"
