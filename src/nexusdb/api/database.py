"""The API's two ways into the database: reads logged in as the reader role, writes as the
user nexusdb connects as, each request in one transaction of its own.

Reads log in as `nexus_reader` (not `SET ROLE`, which a session can undo), so a read path
can do no more than `nexusdb sql` can, whatever bug it has. Both sessions carry the
statement timeout, so a slow query ends as a 503 instead of holding a worker.
"""

from collections.abc import Iterator
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


# Every transaction of a reader connection is read-only from its start: the same as
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

        def reader_connection() -> psycopg.Connection[Any]:
            return psycopg.connect(reader_dsn, options=f"{options} {READ_ONLY_OPTION}")

        # Enough connections that FastAPI's worker threads (40) rarely wait for one.
        reader = create_engine(
            "postgresql+psycopg://", creator=reader_connection, pool_size=10, max_overflow=20
        )
        writer = create_engine(
            sqlalchemy_url(url), connect_args={"options": options}, pool_pre_ping=True
        )
        return cls(reader=reader, writer=writer)

    def dispose(self) -> None:
        self.reader.dispose()
        self.writer.dispose()

    def read_session(self) -> Iterator[Session]:
        """A read-only transaction as the reader role, rolled back at the end."""
        with Session(self.reader) as session:
            yield session
            session.rollback()

    def write_session(self) -> Iterator[Session]:
        """One transaction for the whole request: committed by the route, else rolled back."""
        with Session(self.writer) as session:
            yield session
            session.rollback()
