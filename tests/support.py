"""Helpers the tests share: where things are, engines, and whole-database snapshots."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, create_engine, pool, select

from nexusdb.config import get_settings
from nexusdb.db import embedded
from nexusdb.db.admin import create_database, drop_database
from nexusdb.db.base import Base
from nexusdb.db.engine import get_engine, sqlalchemy_url, with_database

REPOSITORY = Path(__file__).resolve().parents[1]
SEEDS = REPOSITORY / "seeds"


def make_engine(url: str) -> Engine:
    return create_engine(sqlalchemy_url(url), poolclass=pool.NullPool)


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ids and timestamps included, in primary-key order."""
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


class Databases:
    """Creates databases named for this run, and drops every one of them at the end."""

    def __init__(self, server_url: str, *, run_id: str) -> None:
        self.server_url = server_url
        self.run_id = run_id
        self.created: list[str] = []

    def create_named(self, purpose: str, *, template: str = "template0") -> str:
        name = f"nexusdb_test_{self.run_id}_{purpose}_{len(self.created)}"
        create_database(self.server_url, name, template=template)
        self.created.append(name)
        return name

    def create(self, purpose: str, *, template: str = "template0") -> str:
        """A new database; returns its URL."""
        return with_database(self.server_url, self.create_named(purpose, template=template))

    def drop_all(self) -> None:
        for name in reversed(self.created):
            drop_database(self.server_url, name)


@contextmanager
def using_database(monkeypatch: pytest.MonkeyPatch, url: str | None) -> Iterator[None]:
    """Make DATABASE_URL `url` (None: unset) for nexusdb, forgetting cached settings and engines."""
    if url is None:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield
    get_settings.cache_clear()
    get_engine.cache_clear()


@contextmanager
def embedded_server(
    data_dir: Path, *, passwords_for: Sequence[str] = (), superuser_password: str | None = None
) -> Iterator[str]:
    """An embedded server of the test's own in `data_dir`, stopped at the end, where the roles
    in `passwords_for` (and `postgres`, given `superuser_password`) must log in with a
    password (SCRAM) and everyone else is trusted. Yields the URL of its maintenance
    database, with the superuser's password in it."""
    try:
        url = embedded.start(data_dir, get_settings().embedded_shared_buffers)
        with psycopg.connect(url, autocommit=True) as conn:
            roles = list(passwords_for)
            if superuser_password is not None:
                conn.execute(f"ALTER ROLE postgres PASSWORD '{superuser_password}'".encode())
                roles.append("postgres")
                url = url.replace("postgres:@", f"postgres:{superuser_password}@")
            hba = data_dir / "pgdata" / "pg_hba.conf"
            required = "".join(f"local all {role} scram-sha-256\n" for role in roles)
            hba.write_text(required + hba.read_text(encoding="utf-8"), encoding="utf-8")
            conn.execute("SELECT pg_reload_conf()")
        yield url
    finally:
        embedded.stop(data_dir)
