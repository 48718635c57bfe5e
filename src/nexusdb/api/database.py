"""The API's two ways into the database: reads logged in as the reader role, each statement
a read-only transaction of its own; writes as the user nexusdb connects as, each request
in one transaction.

Reads log in as `nexus_reader` (not `SET ROLE`, which a session can undo), so a read path
can do no more than `nexusdb sql` can, whatever bug it has. Both sessions carry the
statement timeout, so a slow query ends as a 503 instead of holding a worker.
"""

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from nexusdb.config import Settings
from nexusdb.db.engine import sqlalchemy_url
from nexusdb.db.readonly import reader_conninfo


def _timeout_option(timeout_ms: int) -> str:
    return f"-c statement_timeout={timeout_ms}"


# Every statement of a reader connection runs read-only: the same as
# `SET TRANSACTION READ ONLY` at the top of each, without its round trip per request.
READ_ONLY_OPTION = "-c default_transaction_read_only=on"


@dataclass
class ApiDatabase:
    reader: Engine
    writer: Engine

    @classmethod
    def connect(cls, url: str, settings: Settings) -> "ApiDatabase":
        options = _timeout_option(settings.statement_timeout_ms)
        reader_dsn = reader_conninfo(url, settings.reader_role, settings.reader_passfile)

        # Reads run in autocommit: each statement is its own read-only transaction (under
        # READ COMMITTED a request's statements never shared a snapshot anyway). There is
        # no BEGIN or ROLLBACK to send, and psycopg keeps the statements it has prepared,
        # which it forgets at every rollback: a read repeated on a connection is planned
        # once, not at each request.
        def reader_connection() -> psycopg.Connection[Any]:
            return psycopg.connect(
                reader_dsn, options=f"{options} {READ_ONLY_OPTION}", autocommit=True
            )

        # Enough connections that FastAPI's worker threads (40) rarely wait for one, all
        # of them kept: an overflow connection closed on its return cost the next request
        # a login and a backend, and its prepared statements (at 64 clients, 71 against 97
        # requests/s). With nothing to roll back, a connection goes back without a round trip.
        reader = create_engine(
            "postgresql+psycopg://",
            creator=reader_connection,
            pool_size=30,
            max_overflow=0,
            pool_reset_on_return=None,
        )
        writer = create_engine(
            sqlalchemy_url(url), connect_args={"options": options}, pool_pre_ping=True
        )
        return cls(reader=reader, writer=writer)

    def dispose(self) -> None:
        self.reader.dispose()
        self.writer.dispose()

    async def read_session(self) -> AsyncIterator[Session]:
        """A session as the reader role. Opening and closing it does no I/O (its
        connection is checked out at the first statement, in the route's thread, and
        returned as it is), so it runs on the event loop, not through the thread pool."""
        with Session(self.reader) as session:
            yield session

    def write_session(self) -> Iterator[Session]:
        """One transaction for the whole request: committed by the route, else rolled back."""
        with Session(self.writer) as session:
            yield session
            session.rollback()
