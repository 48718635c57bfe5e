"""The one declarative base, its naming convention and the columns shared by curated rows."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    MetaData,
    Numeric,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# PostgreSQL's own suffixes (`_pkey`, `_fkey`, `_key`, `_check`), so names in error
# messages and in `\d` read the same as if PostgreSQL had chosen them, and
# autogenerate never has to emit an unnamed constraint.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "%(table_name)s_%(column_0_N_name)s_key",
    "ck": "%(table_name)s_%(constraint_name)s_check",
    "fk": "%(table_name)s_%(column_0_N_name)s_fkey",
    "pk": "%(table_name)s_pkey",
}

KEY_PATTERN = "^[a-z0-9][a-z0-9-]*$"
ORIGIN_PATTERN = "^(seed|api|import:[a-z0-9_.-]+)$"
# Where an outside fact can be checked: a Wikidata item, optionally one of its properties
# (`wikidata:Q8683#P582`), or a source row by key, optionally one record of it
# (`source:curators-background-knowledge`, `source:acled-2024#UKR1234`). Never free text.
REFERENCE_PATTERN = r"^(wikidata:Q[1-9][0-9]*(#P[1-9][0-9]*)?|source:[a-z0-9][a-z0-9-]*(#\S+)?)$"


def reference(target: str, **options: Any) -> ForeignKey:
    """A foreign key that is checked at once, but may be deferred to commit.

    The seeder syncs whole tables in one transaction with `SET CONSTRAINTS ALL DEFERRED`,
    so rows that refer to each other (a source's publisher, an anonymous actor's source)
    can be written in any order; everyone else sees ordinary immediate checks.
    """
    return ForeignKey(target, deferrable=True, **options)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        str: Text(),
        datetime: DateTime(timezone=True),
        date: Date(),
        uuid.UUID: Uuid(),
        Decimal: Numeric(),
        dict[str, Any]: JSONB(),
    }


class UUIDPrimaryKey:
    """A uuid key; curated rows derive it from their slug (see `seeding.ids`)."""

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True,
        default=uuid.uuid4,
        server_default=text("gen_random_uuid()"),
        sort_order=-10,
    )


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), sort_order=100)
    updated_at: Mapped[datetime] = mapped_column(
        server_default=func.now(), onupdate=func.now(), sort_order=100
    )


class Origin:
    """Which process owns the row (`seed`, `api`, `import:<dataset>`): each writer changes
    and deletes only its own rows, so a seed sync never touches imported ones, even where
    an import adds an alias to an actor the seed owns."""

    origin: Mapped[str] = mapped_column(server_default="seed", index=True, sort_order=90)


class Grounds:
    """What a row rests on: the text itself, an inference, or outside knowledge, which
    `basis_ref` names (see REFERENCE_PATTERN)."""

    basis: Mapped[str] = mapped_column(
        reference("basis.code"), server_default="source_text", sort_order=90
    )
    basis_ref: Mapped[str | None] = mapped_column(sort_order=90)


class Provenance(Grounds, Origin):
    """Where a curated row comes from, and which process owns it."""


class DatedInterval:
    """A validity interval whose ends each carry their own precision.

    A date is stored as the first day of its period (`2014` with precision `year` is
    2014-01-01) and a CHECK keeps it aligned, so nothing pretends to know a day it does
    not. No end and not ongoing means the end is unknown; ongoing means it has none yet.
    """

    start_date: Mapped[date | None]
    start_precision: Mapped[str | None] = mapped_column(reference("date_precision.code"))
    end_date: Mapped[date | None]
    end_precision: Mapped[str | None] = mapped_column(reference("date_precision.code"))
    is_ongoing: Mapped[bool] = mapped_column(server_default=text("false"))
    date_basis: Mapped[str | None] = mapped_column(reference("basis.code"))
    date_basis_ref: Mapped[str | None]


def key_check() -> CheckConstraint:
    return CheckConstraint(f"key ~ '{KEY_PATTERN}'", name="key")


def origin_check() -> CheckConstraint:
    return CheckConstraint(f"origin ~ '{ORIGIN_PATTERN}'", name="origin")


def reference_check(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} ~ '{REFERENCE_PATTERN}'", name=f"{column}_format")


def grounds_checks() -> tuple[CheckConstraint, ...]:
    return (
        CheckConstraint("basis <> 'external' OR basis_ref IS NOT NULL", name="basis_ref"),
        reference_check("basis_ref"),
    )


def provenance_checks() -> tuple[CheckConstraint, ...]:
    return (*grounds_checks(), origin_check())


def aligned(date_column: str, precision_column: str) -> str:
    """A CHECK that a date is the first day of its period (2014 with `year` is 2014-01-01).

    Only for precisions date_trunc knows; an unknown one is left to its foreign key,
    whose error names the field instead of date_trunc's.
    """
    return (
        f"{date_column} IS NULL"
        f" OR {precision_column} NOT IN ('day', 'month', 'year', 'decade', 'century')"
        f" OR date_trunc({precision_column}, {date_column}::timestamp) = {date_column}"
    )


def interval_checks() -> tuple[CheckConstraint, ...]:
    return (
        CheckConstraint("(start_date IS NULL) = (start_precision IS NULL)", name="start_precision"),
        CheckConstraint("(end_date IS NULL) = (end_precision IS NULL)", name="end_precision"),
        CheckConstraint(aligned("start_date", "start_precision"), name="start_aligned"),
        CheckConstraint(aligned("end_date", "end_precision"), name="end_aligned"),
        CheckConstraint("start_date <= end_date", name="interval_order"),
        CheckConstraint("NOT (is_ongoing AND end_date IS NOT NULL)", name="ongoing_has_no_end"),
        CheckConstraint(
            "(date_basis IS NULL) = (start_date IS NULL AND end_date IS NULL)", name="date_basis"
        ),
        CheckConstraint(
            "date_basis <> 'external' OR date_basis_ref IS NOT NULL", name="date_basis_ref"
        ),
        reference_check("date_basis_ref"),
    )
