"""API tokens: created with their text shown once, listed, revoked, and looked up by hash;
and the responses kept for Idempotency-Key retries.

The database keeps only a token's sha256 (see `models.token.ApiToken` for why a plain
hash suffices for random tokens).
"""

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from nexusdb.errors import NexusError
from nexusdb.models.token import SCOPES, ApiToken, IdempotentRequest
from nexusdb.repositories.base import RecordNotFoundError

# Tokens start with this, so a secret scanner or a log reader can tell what leaked.
TOKEN_PREFIX = "nxdb_"
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


class TokenError(NexusError):
    """A token that cannot be created or revoked as asked."""


@dataclass(frozen=True)
class TokenRead:
    name: str
    scope: str
    created_at: datetime
    revoked_at: datetime | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _read(token: ApiToken) -> TokenRead:
    return TokenRead(token.name, token.scope, token.created_at, token.revoked_at)


class TokenRepository:
    """Never commits: the caller owns the transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _named(self, name: str) -> Select[ApiToken]:
        return select(ApiToken).where(ApiToken.name == name)

    def create(self, name: str, scope: str) -> tuple[TokenRead, str]:
        """A new token and its text, which nothing can show again."""
        if scope not in SCOPES:
            raise TokenError(f"unknown scope {scope!r} (known: {', '.join(SCOPES)})")
        if not NAME.fullmatch(name):
            raise TokenError(f"a token name is letters, digits, '.', '_' and '-', not {name!r}")
        if self.session.scalar(self._named(name)) is not None:
            raise TokenError(f"a token named {name!r} exists already; pick another name")
        text = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken(name=name, scope=scope, token_sha256=token_hash(text))
        self.session.add(token)
        self.session.flush()
        self.session.refresh(token)
        return _read(token), text

    def all(self) -> list[TokenRead]:
        return [
            _read(token) for token in self.session.scalars(select(ApiToken).order_by(ApiToken.name))
        ]

    def revoke(self, name: str) -> TokenRead:
        """Revoke a token at once; it stays listed, with when it was revoked."""
        token = self.session.scalar(self._named(name).with_for_update())
        if token is None:
            raise RecordNotFoundError(f"no token named {name!r} (see `nexusdb token list`)")
        if token.revoked_at is not None:
            revoked = f"{token.revoked_at:%Y-%m-%d %H:%M:%S %Z}"
            raise TokenError(f"the token {name!r} was revoked already, at {revoked}")
        token.revoked_at = self.session.scalar(select(func.now()))
        self.session.flush()
        return _read(token)

    def authenticate(self, text: str) -> ApiToken | None:
        """The token whose text this is, revoked or not; None for no token at all."""
        return self.session.scalar(
            select(ApiToken).where(ApiToken.token_sha256 == token_hash(text))
        )


# How long a response is kept for its Idempotency-Key: a day, as Stripe keeps them;
# retries come within minutes, and a key older than this is a new request.
KEPT_FOR = timedelta(hours=24)


class StoredResponses:
    """The first response to each Idempotency-Key, per token. Never commits."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def claim_key(self, token_id: uuid.UUID, key: str) -> IdempotentRequest | None:
        """Wait until no other request with this key is in flight (a transaction-scoped
        advisory lock), then the response stored for it, if any; the token's responses
        older than KEPT_FOR are forgotten first, so the table stays small."""
        lock = func.hashtextextended(func.concat(str(token_id), "/", key), 0)
        self.session.execute(select(func.pg_advisory_xact_lock(lock)))
        self.session.execute(
            delete(IdempotentRequest).where(
                IdempotentRequest.token_id == token_id,
                IdempotentRequest.created_at < func.now() - KEPT_FOR,
            )
        )
        return self.session.get(IdempotentRequest, (token_id, key))

    def store(
        self,
        token_id: uuid.UUID,
        key: str,
        *,
        fingerprint: str,
        status: int,
        location: str | None,
        body: str,
    ) -> None:
        self.session.add(
            IdempotentRequest(
                token_id=token_id,
                key=key,
                fingerprint=fingerprint,
                status=status,
                location=location,
                body=body,
            )
        )
        self.session.flush()
