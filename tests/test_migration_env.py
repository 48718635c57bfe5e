"""env.py migrates the connection it is handed, whatever wraps it, and never falls through
to DATABASE_URL's database: pytest-alembic's `downgrade_leaves_no_trace` hands it an open
Connection wrapped in an object with `connect()`, and used to migrate DATABASE_URL's
database instead, outside the test's transaction, so it compared a database no
migration had touched."""

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from sqlalchemy import Connection, inspect

from nexusdb.db import migrations
from tests.support import Databases, make_engine


class Wrapped:
    """An open connection presented the way pytest-alembic presents it."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        yield self.connection


def test_env_migrates_a_wrapped_connection_inside_its_transaction(databases: Databases) -> None:
    engine = make_engine(databases.create("wrapped"))
    first = migrations.history()[0].revision
    with engine.connect() as connection:
        outer = connection.begin()
        config = migrations.alembic_config()
        config.attributes["connection"] = Wrapped(connection)
        command.upgrade(config, first)
        assert "actor" in inspect(connection).get_table_names()
        outer.rollback()
    with engine.connect() as connection:
        assert inspect(connection).get_table_names() == []
    engine.dispose()
