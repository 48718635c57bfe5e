"""API access: bearer tokens, and the responses stored for Idempotency-Key retries.

Neither table is research data: the reader role is never granted them, and `nexusdb
export` leaves them out (PRIVATE_TABLES).
"""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nexusdb.db.base import Base, UUIDPrimaryKey, reference

SCOPES = ("read", "write")


class ApiToken(UUIDPrimaryKey, Base):
    """A bearer token, kept only as the sha256 of its text.

    A fast unsalted hash is enough here, unlike for passwords: the token is 32 random
    bytes (`secrets.token_urlsafe(32)`, 256 bits), so there is no dictionary to try and a
    guess succeeds with probability 2**-256 whatever the hash costs. Being deterministic,
    the hash is also what a request is looked up by, through a unique index; a slow
    salted KDF (bcrypt, argon2) would need a scan of every token per request.
    """

    __tablename__ = "api_token"
    __table_args__ = (
        CheckConstraint(f"scope IN {SCOPES}", name="scope"),
        CheckConstraint("token_sha256 ~ '^[0-9a-f]{64}$'", name="token_sha256"),
        CheckConstraint("name ~ '^[A-Za-z0-9][A-Za-z0-9_.-]*$'", name="name"),
    )

    name: Mapped[str] = mapped_column(unique=True)
    scope: Mapped[str]
    token_sha256: Mapped[str] = mapped_column(unique=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    revoked_at: Mapped[datetime | None]

    requests: Mapped[list["IdempotentRequest"]] = relationship(back_populates="token", lazy="raise")


class IdempotentRequest(Base):
    """The first response to a write sent with an Idempotency-Key, per token: a retry with
    the same key and the same request gets it again; another request under the key is
    refused. `fingerprint` is the sha256 of the method, path and body."""

    __tablename__ = "api_idempotency"
    __table_args__ = (
        CheckConstraint("fingerprint ~ '^[0-9a-f]{64}$'", name="fingerprint"),
        CheckConstraint("char_length(key) BETWEEN 1 AND 255", name="key_length"),
    )

    token_id: Mapped[uuid.UUID] = mapped_column(
        reference("api_token.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(primary_key=True)
    fingerprint: Mapped[str]
    status: Mapped[int]
    location: Mapped[str | None]
    # The JSON as first sent, byte for byte (jsonb would reorder its keys).
    body: Mapped[str]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    token: Mapped[ApiToken] = relationship(back_populates="requests", lazy="raise")


# Tables that hold credentials and other clients' responses, never research data.
PRIVATE_TABLES = (ApiToken.__tablename__, IdempotentRequest.__tablename__)
