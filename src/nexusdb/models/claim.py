"""Claims: what a source says, who says it, how sure, and the exact words it rests on."""

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, Computed, Index, desc
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nexusdb.db.base import Base, Timestamps, UUIDPrimaryKey, key_check, reference

if TYPE_CHECKING:
    from nexusdb.models.actor import Actor
    from nexusdb.models.source import Source, SourceSegment

# A claim is grounded in exactly one of: a span of a source's text, or a dataset record.
GROUNDING = (
    "(segment_id IS NOT NULL AND span_start IS NOT NULL AND span_end IS NOT NULL"
    " AND quote IS NOT NULL AND record_id IS NULL AND record_data IS NULL)"
    " OR (segment_id IS NULL AND span_start IS NULL AND span_end IS NULL"
    " AND quote IS NULL AND record_id IS NOT NULL)"
)


class Claim(UUIDPrimaryKey, Timestamps, Base):
    """A statement a source makes, kept apart from who made it (`claimant`) and who relayed it.

    A trigger in the migration checks that `quote` is the segment's text at the span.
    """

    __tablename__ = "claim"
    __table_args__ = (
        key_check(),
        CheckConstraint(GROUNDING, name="grounding"),
        CheckConstraint("span_start < span_end", name="span_order"),
        CheckConstraint("span_end - span_start = char_length(quote)", name="span_matches_quote"),
        CheckConstraint(
            "num_nonnulls(reported_via_actor_id, reported_via_source_id) <= 1", name="one_relay"
        ),
        CheckConstraint("origin ~ '^(seed|api|import:[a-z0-9_.-]+)$'", name="origin"),
        Index("ix_claim_search_vector", "search_vector", postgresql_using="gin"),
        # search_text reads a common word's candidates newest first.
        Index("ix_claim_created_at_id", desc("created_at"), desc("id")),
    )

    key: Mapped[str] = mapped_column(unique=True)
    source_id: Mapped[uuid.UUID] = mapped_column(reference("source.id"), index=True)
    claimant_id: Mapped[uuid.UUID] = mapped_column(reference("actor.id"), index=True)
    reported_via_actor_id: Mapped[uuid.UUID | None] = mapped_column(
        reference("actor.id"), index=True
    )
    reported_via_source_id: Mapped[uuid.UUID | None] = mapped_column(
        reference("source.id"), index=True
    )
    kind: Mapped[str] = mapped_column(reference("claim_kind.code"), index=True)
    certainty: Mapped[str] = mapped_column(reference("certainty.code"))
    polarity: Mapped[str] = mapped_column(reference("polarity.code"), server_default="affirmed")
    credibility: Mapped[str] = mapped_column(
        reference("credibility.code"), server_default="6", index=True
    )
    text: Mapped[str]
    segment_id: Mapped[uuid.UUID | None] = mapped_column(reference("source_segment.id"), index=True)
    span_start: Mapped[int | None]
    span_end: Mapped[int | None]
    quote: Mapped[str | None]
    record_id: Mapped[str | None]
    record_field: Mapped[str | None]
    record_data: Mapped[dict[str, Any] | None]
    retrieved_at: Mapped[datetime | None]
    origin: Mapped[str] = mapped_column(server_default="seed", index=True)
    # For search_text(); the functions are the migration's. Never loaded into Python.
    search_vector: Mapped[str | None] = mapped_column(
        TSVECTOR,
        Computed(
            "setweight(to_search_vector(text), 'A') || setweight(to_search_vector(quote), 'B')",
            persisted=True,
        ),
        deferred=True,
        deferred_raiseload=True,
    )

    source: Mapped["Source"] = relationship(foreign_keys=[source_id], lazy="raise")
    claimant: Mapped["Actor"] = relationship(foreign_keys=[claimant_id], lazy="raise")
    reported_via_actor: Mapped["Actor | None"] = relationship(
        foreign_keys=[reported_via_actor_id], lazy="raise"
    )
    reported_via_source: Mapped["Source | None"] = relationship(
        foreign_keys=[reported_via_source_id], lazy="raise"
    )
    segment: Mapped["SourceSegment | None"] = relationship(lazy="raise")
    about: Mapped[list["ClaimActor"]] = relationship(back_populates="claim", lazy="raise")


class ClaimActor(Base):
    """Whom a claim is about."""

    __tablename__ = "claim_actor"

    claim_id: Mapped[uuid.UUID] = mapped_column(
        reference("claim.id", ondelete="CASCADE"), primary_key=True
    )
    actor_id: Mapped[uuid.UUID] = mapped_column(reference("actor.id"), primary_key=True, index=True)

    claim: Mapped[Claim] = relationship(back_populates="about", lazy="raise")
    actor: Mapped["Actor"] = relationship(lazy="raise")


class ClaimRelation(Base):
    """A claim about a claim: "one can argue that this is not as easy as this seems"."""

    __tablename__ = "claim_relation"
    __table_args__ = (CheckConstraint("claim_id <> related_claim_id", name="not_self"),)

    claim_id: Mapped[uuid.UUID] = mapped_column(
        reference("claim.id", ondelete="CASCADE"), primary_key=True
    )
    relation: Mapped[str] = mapped_column(reference("claim_relation_type.code"), primary_key=True)
    related_claim_id: Mapped[uuid.UUID] = mapped_column(
        reference("claim.id", ondelete="CASCADE"), primary_key=True, index=True
    )
