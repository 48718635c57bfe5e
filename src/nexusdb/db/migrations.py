"""Alembic, driven from Python: the CLI, the tests and `make seed` all migrate through here."""

import io
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

import nexusdb

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


def upgrade(bind: Engine | Connection, revision: str = "head") -> None:
    command.upgrade(alembic_config(bind), revision)


def downgrade(bind: Engine | Connection, revision: str) -> None:
    command.downgrade(alembic_config(bind), revision)


def current_revision(bind: Engine) -> str | None:
    with bind.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


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
