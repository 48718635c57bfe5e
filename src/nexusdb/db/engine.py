"""Where the database is, and engines that fail with one clear line when it cannot be reached."""

from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

import psycopg
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from nexusdb.config import Settings, get_settings
from nexusdb.db import embedded
from nexusdb.db.admin import create_database, database_exists
from nexusdb.errors import DatabaseUnavailableError, first_line


def with_database(url: str, name: str) -> str:
    """The same server URL pointing at another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_url(settings: Settings | None = None) -> str:
    """The libpq URL of nexusdb's database, as psql takes it.

    With DATABASE_URL unset this starts the embedded server on demand and creates the
    database in it on first use.
    """
    settings = settings or get_settings()
    if settings.database_url:
        return settings.database_url
    server_url = embedded.start(settings.data_dir, settings.embedded_shared_buffers)
    if not database_exists(server_url, settings.database_name):
        create_database(server_url, settings.database_name)
    return with_database(server_url, settings.database_name)


def sqlalchemy_url(url: str) -> str:
    """A libpq URL (`postgresql://`, `postgres://`) as SQLAlchemy's psycopg 3 dialect names it."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def check_reachable(url: str) -> None:
    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.OperationalError as error:
        raise DatabaseUnavailableError(
            f"cannot reach the database at {redact(url)}: {first_line(error)}"
        ) from error


def redact(url: str) -> str:
    return make_url(url.replace("postgres://", "postgresql://", 1)).render_as_string(
        hide_password=True
    )


@lru_cache(maxsize=4)
def get_engine(url: str | None = None) -> Engine:
    """An engine for `url` (default: nexusdb's database), checked to answer before use."""
    url = url or database_url()
    check_reachable(url)
    return create_engine(sqlalchemy_url(url), pool_pre_ping=True)
