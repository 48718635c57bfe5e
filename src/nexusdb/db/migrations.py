"""Alembic, driven from Python: the CLI, the tests and `make seed` all migrate through here.

Migrations are serialised by a session advisory lock: a second `db upgrade` waits for the
first, then finds the schema at head and does nothing (rather than racing it to create
the same tables). The lock is released only after the migrating transaction commits, so
the waiter reads the revision the first one wrote.
"""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, func, select

import nexusdb
from nexusdb.errors import NexusError

# An arbitrary, fixed key for pg_advisory_lock: "nexusdb migrate".
MIGRATION_LOCK = 0x6E657875_6D69_6772 & 0x7FFFFFFFFFFFFFFF

PACKAGE_DIR = Path(nexusdb.__file__).resolve().parent
# An installed wheel carries the revisions inside the package; a checkout has them at the top.
SCRIPT_LOCATIONS = (PACKAGE_DIR / "_migrations", PACKAGE_DIR.parents[1] / "migrations")


def script_location() -> Path:
    for location in SCRIPT_LOCATIONS:
        if (location / "env.py").is_file():
            return location
    raise FileNotFoundError("nexusdb's migrations are missing from this installation")


def alembic_config(bind: Engine | Connection | None = None) -> Config:
    """An Alembic config that needs no alembic.ini and runs on `bind` when given."""
    config = Config()
    config.set_main_option("script_location", str(script_location()))
    config.attributes["configure_logger"] = False
    if bind is not None:
        config.attributes["connection"] = bind
    return config


class UnknownRevisionError(NexusError):
    """The database is at a revision this nexusdb does not have (a newer one migrated it)."""


@contextmanager
def serialised(engine: Engine) -> Iterator[Connection]:
    """A connection holding the migration lock, in a transaction committed on success.

    migrations/env.py migrates on it, so `alembic upgrade` from a shell waits too.
    """
    with engine.connect() as connection:
        connection.execute(select(func.pg_advisory_lock(MIGRATION_LOCK)))
        try:
            yield connection
            connection.commit()
        finally:
            connection.rollback()
            connection.execute(select(func.pg_advisory_unlock(MIGRATION_LOCK)))
            connection.commit()


@dataclass(frozen=True)
class Move:
    """Where a migration started and ended."""

    before: str | None
    after: str | None


def _migrate(engine: Engine, step: str, revision: str) -> Move:
    with serialised(engine) as connection:
        before = _known_revision(connection)
        config = alembic_config(connection)
        if step == "upgrade":
            command.upgrade(config, revision)
        else:
            command.downgrade(config, revision)
        return Move(before, _known_revision(connection))


def upgrade(engine: Engine, revision: str = "head") -> Move:
    return _migrate(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> Move:
    return _migrate(engine, "downgrade", revision)


def _known_revision(connection: Connection) -> str | None:
    current = MigrationContext.configure(connection).get_current_revision()
    script = ScriptDirectory.from_config(alembic_config())
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise UnknownRevisionError(
            f"the database is at schema revision {current}, which this nexusdb does not know:"
            " a newer nexusdb migrated it; use that version (or its `db downgrade`)"
        )
    return current


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: base); refuses one this nexusdb lacks."""
    with engine.connect() as connection:
        return _known_revision(connection)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@dataclass(frozen=True)
class Revision:
    revision: str
    down_revision: str | None
    message: str
    is_head: bool


def history() -> list[Revision]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    revisions = [
        Revision(
            revision=rev.revision,
            down_revision=rev.down_revision if isinstance(rev.down_revision, str) else None,
            message=(rev.doc or "").splitlines()[0] if rev.doc else "",
            is_head=rev.is_head,
        )
        for rev in script.walk_revisions()
    ]
    return list(reversed(revisions))


def offline_sql(start: str | None, end: str) -> str:
    """The SQL that `alembic upgrade START:END --sql` prints."""
    buffer = io.StringIO()
    config = alembic_config()
    config.output_buffer = buffer
    command.upgrade(config, f"{start}:{end}" if start else end, sql=True)
    return buffer.getvalue()
