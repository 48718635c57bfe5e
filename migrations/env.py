"""Alembic environment for nexusdb.

The connection comes, in order, from `config.attributes["connection"]` (an Engine or a
Connection: pytest-alembic's convention and how nexusdb's own code calls Alembic), from
`sqlalchemy.url` when a caller sets it, or from nexusdb's settings (DATABASE_URL, or the
embedded server). A given Connection is the caller's, already serialised if it must be
(`nexusdb.db.migrations`); otherwise the migration takes the migration lock itself.
"""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, Engine, create_engine, pool

import nexusdb.models  # noqa: F401  (registers every table on Base.metadata)
from nexusdb.db.base import Base
from nexusdb.db.engine import database_url, sqlalchemy_url
from nexusdb.db.migrations import serialised

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata

CONFIGURE_OPTIONS = {
    "target_metadata": target_metadata,
    "compare_type": True,
    "compare_server_default": False,
    "transaction_per_migration": True,
}


def run_migrations_offline() -> None:
    """Write the SQL instead of running it (`alembic upgrade A:B --sql`)."""
    context.configure(
        dialect_name="postgresql",
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **CONFIGURE_OPTIONS,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_on(connection: Connection) -> None:
    context.configure(connection=connection, **CONFIGURE_OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = config.attributes.get("connection")
    if isinstance(given, Connection):
        run_on(given)
        return
    if isinstance(given, Engine):
        with serialised(given) as connection:
            run_on(connection)
        return
    if given is not None:
        # Something that hands out a connection it owns (pytest-alembic's
        # `downgrade_leaves_no_trace` wraps its open Connection so): run on that one, never
        # fall through to DATABASE_URL's database.
        with given.connect() as connection:
            run_on(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or sqlalchemy_url(database_url())
    engine = create_engine(url, poolclass=pool.NullPool)
    with serialised(engine) as connection:
        run_on(connection)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
