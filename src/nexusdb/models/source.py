"""Sources: documents and dataset releases, their authors, citations and text segments."""

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Computed, Index, UniqueConstraint, desc
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nexusdb.db.base import (
    Base,
    Provenance,
    Timestamps,
    UUIDPrimaryKey,
    aligned,
    key_check,
    provenance_checks,
    reference,
)

if TYPE_CHECKING:
    from nexusdb.models.actor import Actor


class Source(UUIDPrimaryKey, Provenance, Timestamps, Base):
    """A document or dataset release. Its text lives in `source_segment`, one row a paragraph."""

    __tablename__ = "source"
    __table_args__ = (
        key_check(),
        *provenance_checks(),
        CheckConstraint("content_sha256 ~ '^[0-9a-f]{64}$'", name="content_sha256"),
        CheckConstraint(
            "(published_date IS NULL) = (published_precision IS NULL)", name="published_precision"
        ),
        CheckConstraint(aligned("published_date", "published_precision"), name="published_aligned"),
        # search_text reads a common word's paragraphs by their sources, newest first.
        Index("ix_source_created_at_id", desc("created_at"), desc("id")),
    )

    key: Mapped[str] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(reference("source_kind.code"), index=True)
    title: Mapped[str]
    url: Mapped[str | None]
    archive_url: Mapped[str | None]
    publisher_id: Mapped[uuid.UUID | None] = mapped_column(
        reference("actor.id", use_alter=True), index=True
    )
    published_date: Mapped[date | None]
    published_precision: Mapped[str | None] = mapped_column(reference("date_precision.code"))
    retrieved_at: Mapped[datetime | None]
    language: Mapped[str | None]
    content_sha256: Mapped[str | None]
    reliability: Mapped[str] = mapped_column(reference("reliability.code"), server_default="F")
    licence: Mapped[str | None]
    may_redistribute: Mapped[bool] = mapped_column(server_default="false")

    publisher: Mapped["Actor | None"] = relationship(foreign_keys=[publisher_id], lazy="raise")
    authors: Mapped[list["SourceAuthor"]] = relationship(
        back_populates="source", lazy="raise", order_by="SourceAuthor.position"
    )
    segments: Mapped[list["SourceSegment"]] = relationship(
        back_populates="source", lazy="raise", order_by="SourceSegment.ordinal"
    )


class SourceAuthor(Base):
    __tablename__ = "source_author"
    __table_args__ = (UniqueConstraint("source_id", "actor_id"),)

    source_id: Mapped[uuid.UUID] = mapped_column(
        reference("source.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[uuid.UUID] = mapped_column(reference("actor.id"), index=True)

    source: Mapped[Source] = relationship(back_populates="authors", lazy="raise")
    actor: Mapped["Actor"] = relationship(lazy="raise")


class SourceCitation(Base):
    """The citing source names the cited one ("as reported by The Times of Israel")."""

    __tablename__ = "source_citation"
    __table_args__ = (CheckConstraint("citing_source_id <> cited_source_id", name="not_self"),)

    citing_source_id: Mapped[uuid.UUID] = mapped_column(
        reference("source.id", ondelete="CASCADE"), primary_key=True
    )
    cited_source_id: Mapped[uuid.UUID] = mapped_column(
        reference("source.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SourceSegment(UUIDPrimaryKey, Base):
    """One paragraph of a source's text. Offsets are 0-based, half-open, in code points."""

    __tablename__ = "source_segment"
    __table_args__ = (
        UniqueConstraint("source_id", "ordinal"),
        CheckConstraint("start_offset >= 0", name="start_offset"),
        CheckConstraint("end_offset - start_offset = char_length(text)", name="offsets_match_text"),
        Index("ix_source_segment_search_vector", "search_vector", postgresql_using="gin"),
    )

    source_id: Mapped[uuid.UUID] = mapped_column(reference("source.id", ondelete="CASCADE"))
    ordinal: Mapped[int]
    kind: Mapped[str] = mapped_column(reference("segment_kind.code"))
    start_offset: Mapped[int]
    end_offset: Mapped[int]
    text: Mapped[str]
    language: Mapped[str | None]
    # For search_text(); the function is the migration's. Never loaded into Python.
    search_vector: Mapped[str | None] = mapped_column(
        TSVECTOR,
        Computed("to_search_vector(text)", persisted=True),
        deferred=True,
        deferred_raiseload=True,
    )

    source: Mapped[Source] = relationship(back_populates="segments", lazy="raise")
