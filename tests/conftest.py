"""Test harness: real PostgreSQL only.

A template database is built once per run by `alembic upgrade head` (so the migrations
are what is tested). Tests that only read or that roll back share one clone of it,
with a transaction per test; tests that must commit get a fresh clone of their own.
The server is DATABASE_URL's when set, otherwise the embedded PostgreSQL.

pytest-alembic's built-in tests are collected from this file (see pyproject.toml).
"""

import os
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from nexusdb.api import create_app
from nexusdb.config import Settings
from nexusdb.db import embedded, migrations
from nexusdb.db.engine import with_database
from nexusdb.db.roles import create_reader_role
from nexusdb.seeding.loader import seed
from tests.support import REPOSITORY, SEEDS, Databases, make_engine, using_database

# The CLI tests' fixtures (`seeded`, `fresh`): nexusdb pointed at a test database.

RUN_ID = uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def server_url() -> str:
    """A URL on the test server to which CREATE DATABASE can be sent."""
    configured = os.environ.get("DATABASE_URL")
    if configured:
        return configured
    return embedded.start(REPOSITORY / ".nexusdb", Settings().embedded_shared_buffers)


@pytest.fixture(scope="session")
def databases(server_url: str) -> Iterator[Databases]:
    manager = Databases(server_url, run_id=RUN_ID)
    yield manager
    manager.drop_all()


@pytest.fixture(scope="session")
def template_name(databases: Databases) -> str:
    """A database at the head revision, built by the migrations, used only as a template."""
    name = databases.create_named("template")
    engine = make_engine(with_database(databases.server_url, name))
    migrations.upgrade(engine)
    engine.dispose()
    return name


@pytest.fixture
def fresh_url(databases: Databases, template_name: str) -> str:
    """A database of its own at head, for a test that commits."""
    return databases.create("fresh", template=template_name)


@pytest.fixture(scope="session")
def shared_engine(databases: Databases, template_name: str) -> Iterator[Engine]:
    engine = make_engine(databases.create("shared", template=template_name))
    yield engine
    engine.dispose()


@pytest.fixture
def connection(shared_engine: Engine) -> Iterator[Connection]:
    """A connection whose outer transaction is rolled back after the test."""
    with shared_engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """A session that may commit: its commits are savepoints inside the test's transaction."""
    with Session(connection, join_transaction_mode="create_savepoint") as db_session:
        yield db_session


@pytest.fixture
def seeded(seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """nexusdb pointed at the shared seeded database (read it, do not change it)."""
    with using_database(monkeypatch, seeded_url):
        yield seeded_url


@pytest.fixture
def fresh(fresh_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """nexusdb pointed at a database of the test's own, at head and empty."""
    with using_database(monkeypatch, fresh_url):
        yield fresh_url


# pytest-alembic: an empty database of its own for the migration round trips.
@pytest.fixture
def alembic_engine(databases: Databases) -> Iterator[Engine]:
    engine = make_engine(databases.create("alembic"))
    yield engine
    engine.dispose()


@pytest.fixture
def alembic_config() -> dict[str, str]:
    return {"script_location": str(migrations.script_location())}


@pytest.fixture(scope="session")
def seeded_url(databases: Databases, template_name: str) -> str:
    """A database at head with seeds/ loaded, shared by every test that only reads it."""
    url = databases.create("seeded", template=template_name)
    engine = make_engine(url)
    seed(engine, SEEDS)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def seeded_engine(seeded_url: str) -> Iterator[Engine]:
    engine = make_engine(seeded_url)
    yield engine
    engine.dispose()


def api_client(url: str) -> TestClient:
    """The HTTP API over `url`, its reader role granted there; a 500 is a response, as a
    client sees it, not an exception in the test."""
    engine = make_engine(url)
    create_reader_role(engine)
    engine.dispose()
    return TestClient(create_app(url, Settings()), raise_server_exceptions=False)


@pytest.fixture(scope="session")
def seeded_api(seeded_url: str) -> Iterator[TestClient]:
    """The API over the shared seeded database (read it, do not change it)."""
    with api_client(seeded_url) as client:
        yield client
