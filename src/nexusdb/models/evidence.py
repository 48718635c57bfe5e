"""Evidence links: the claims that back each event, relationship, participation, figure and
materiel link, each with a stance. A claim's deletion takes its links with it; a source with
claims cannot be deleted at all, so evidence never dangles.
"""

import uuid

from sqlalchemy.orm import Mapped, mapped_column

from nexusdb.db.base import Base, reference


class EvidenceLink:
    claim_id: Mapped[uuid.UUID] = mapped_column(
        reference("claim.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    stance: Mapped[str] = mapped_column(reference("stance.code"), server_default="supports")


class EventEvidence(EvidenceLink, Base):
    __tablename__ = "event_evidence"

    event_id: Mapped[uuid.UUID] = mapped_column(
        reference("event.id", ondelete="CASCADE"), primary_key=True
    )


class RelationshipEvidence(EvidenceLink, Base):
    __tablename__ = "relationship_evidence"

    relationship_id: Mapped[uuid.UUID] = mapped_column(
        reference("relationship.id", ondelete="CASCADE"), primary_key=True
    )


class ParticipantEvidence(EvidenceLink, Base):
    __tablename__ = "event_participant_evidence"

    participant_id: Mapped[uuid.UUID] = mapped_column(
        reference("event_participant.id", ondelete="CASCADE"), primary_key=True
    )


class QuantityEvidence(EvidenceLink, Base):
    __tablename__ = "event_quantity_evidence"

    quantity_id: Mapped[uuid.UUID] = mapped_column(
        reference("event_quantity.id", ondelete="CASCADE"), primary_key=True
    )


class EventMaterielEvidence(EvidenceLink, Base):
    __tablename__ = "event_materiel_evidence"

    event_materiel_id: Mapped[uuid.UUID] = mapped_column(
        reference("event_materiel.id", ondelete="CASCADE"), primary_key=True
    )


class RelationshipMaterielEvidence(EvidenceLink, Base):
    __tablename__ = "relationship_materiel_evidence"

    relationship_materiel_id: Mapped[uuid.UUID] = mapped_column(
        reference("relationship_materiel.id", ondelete="CASCADE"), primary_key=True
    )
