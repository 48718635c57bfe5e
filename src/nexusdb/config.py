"""Settings read from the environment (and `.env`), in one place."""

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where the database is and where nexusdb keeps its files.

    `DATABASE_URL` wins when set; otherwise nexusdb runs its own embedded PostgreSQL
    with its data under `NEXUSDB_DATA_DIR`.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    data_dir: Path = Field(default=Path(".nexusdb"), validation_alias="NEXUSDB_DATA_DIR")
    database_name: str = Field(default="nexusdb", validation_alias="NEXUSDB_DATABASE")
    statement_timeout_ms: int = Field(
        default=30_000, validation_alias="NEXUSDB_STATEMENT_TIMEOUT_MS"
    )
    # Whether the HTTP API's reads need a bearer token too (writes always need one).
    api_read_token_required: bool = Field(
        default=False, validation_alias="NEXUSDB_API_READ_TOKEN_REQUIRED"
    )
    # The embedded server's own page cache; unset: 2GB, or a quarter of a smaller machine's
    # memory (PostgreSQL's default, 128MB, is too small for a million events: docs/scaling.md).
    embedded_shared_buffers: str | None = Field(
        default=None, validation_alias="NEXUSDB_EMBEDDED_SHARED_BUFFERS"
    )
    # The role `nexusdb sql` logs in as; another name gives one database a reader of its own.
    reader_role: str = Field(
        default="nexus_reader",
        pattern=r"^[a-z_][a-z0-9_]{0,62}$",
        validation_alias="NEXUSDB_READER_ROLE",
    )

    @property
    def reader_passfile(self) -> Path:
        """The libpq password file where `db create-reader --password` keeps the reader's."""
        return self.data_dir / "reader.pgpass"

    @field_validator("database_url")
    @classmethod
    def _is_a_postgresql_url(cls, value: str | None) -> str | None:
        """Catch a mistyped URL here, by name, rather than deep inside a driver."""
        if not value:
            return value
        parts = urlsplit(value)
        try:
            parts.port  # noqa: B018  (parsing the port is the check)
        except ValueError as error:
            raise ValueError(f"not a PostgreSQL URL: {error}") from None
        if parts.scheme not in ("postgresql", "postgres"):
            raise ValueError(
                "not a PostgreSQL URL: write postgresql://user[:password]@host[:port]/database"
            )
        return value

    @field_validator("embedded_shared_buffers")
    @classmethod
    def _is_a_size(cls, value: str | None) -> str | None:
        """A size as PostgreSQL writes one, so a typo is refused here, not by a restart."""
        if value is not None and not re.fullmatch(r"[1-9][0-9]*(kB|MB|GB|TB)", value):
            raise ValueError(f"{value!r} is not a size such as 2GB or 256MB")
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
