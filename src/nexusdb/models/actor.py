"""Actors: states, people, groups, outlets; their aliases, external ids and redirects."""

import uuid

from sqlalchemy import CheckConstraint, Computed, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nexusdb.db.base import (
    Base,
    Origin,
    Provenance,
    Timestamps,
    UUIDPrimaryKey,
    key_check,
    origin_check,
    provenance_checks,
    reference,
)


def trigram_name_index(name: str) -> Index:
    """A pg_trgm index on `normalized_name`, for find_actor() (see the migration)."""
    return Index(
        name,
        "normalized_name",
        postgresql_using="gin",
        postgresql_ops={"normalized_name": "gin_trgm_ops"},
    )


def stored_normal_form() -> Mapped[str]:
    """`name` as names are compared (normalize_name: lower case, no accents), kept by
    PostgreSQL, so that find_actor's rechecks read it instead of computing it."""
    return mapped_column(Computed("normalize_name(name)", persisted=True))


class Actor(UUIDPrimaryKey, Provenance, Timestamps, Base):
    """Anyone who acts, is acted upon, or speaks.

    Unnamed claimants ("an Israeli Minister") are anonymous and scoped to the source that
    mentions them, so they never join unrelated documents into one hub.
    """

    __tablename__ = "actor"
    __table_args__ = (
        key_check(),
        *provenance_checks(),
        CheckConstraint("country_code ~ '^[A-Z]{3}$'", name="country_code"),
        CheckConstraint("NOT is_anonymous OR scope_source_id IS NOT NULL", name="anonymous_scoped"),
        trigram_name_index("ix_actor_name_trgm"),
    )

    key: Mapped[str] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(reference("actor_kind.code"), index=True)
    name: Mapped[str]
    normalized_name: Mapped[str] = stored_normal_form()
    description: Mapped[str | None]
    country_code: Mapped[str | None]
    is_anonymous: Mapped[bool] = mapped_column(server_default="false")
    scope_source_id: Mapped[uuid.UUID | None] = mapped_column(
        reference("source.id", ondelete="CASCADE"), index=True
    )

    aliases: Mapped[list["ActorAlias"]] = relationship(
        back_populates="actor", lazy="raise", order_by="ActorAlias.name"
    )
    external_ids: Mapped[list["ActorExternalId"]] = relationship(
        back_populates="actor", lazy="raise", order_by="ActorExternalId.scheme"
    )


class ActorAlias(UUIDPrimaryKey, Origin, Base):
    __tablename__ = "actor_alias"
    __table_args__ = (
        UniqueConstraint("actor_id", "name", "language"),
        origin_check(),
        trigram_name_index("ix_actor_alias_name_trgm"),
    )

    actor_id: Mapped[uuid.UUID] = mapped_column(reference("actor.id", ondelete="CASCADE"))
    name: Mapped[str]
    normalized_name: Mapped[str] = stored_normal_form()
    language: Mapped[str] = mapped_column(server_default="en")
    kind: Mapped[str] = mapped_column(reference("alias_kind.code"))

    actor: Mapped[Actor] = relationship(back_populates="aliases", lazy="raise")


class ActorExternalId(UUIDPrimaryKey, Origin, Base):
    """An identifier in another register (Wikidata QID, ISO 3166); unique per scheme."""

    __tablename__ = "actor_external_id"
    __table_args__ = (
        UniqueConstraint("scheme", "value"),
        UniqueConstraint("actor_id", "scheme"),
        origin_check(),
    )

    actor_id: Mapped[uuid.UUID] = mapped_column(reference("actor.id", ondelete="CASCADE"))
    scheme: Mapped[str] = mapped_column(reference("external_id_scheme.code"))
    value: Mapped[str]

    actor: Mapped[Actor] = relationship(back_populates="external_ids", lazy="raise")


class ActorRedirect(Base):
    """An old key that keeps working after actors are merged: never renumber, redirect."""

    __tablename__ = "actor_redirect"

    old_key: Mapped[str] = mapped_column(primary_key=True)
    actor_id: Mapped[uuid.UUID] = mapped_column(
        reference("actor.id", ondelete="CASCADE"), index=True
    )
