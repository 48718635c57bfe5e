"""Bearer tokens (`nexusdb token create`): writes need one of scope `write`; reads need one
of either scope when NEXUSDB_API_READ_TOKEN_REQUIRED=true, and are open otherwise.

401 (with `WWW-Authenticate: Bearer`) when no usable token comes: none, unknown, revoked;
403 when the token is good but its scope is not enough (RFC 6750, section 3.1).

Tokens are checked on the writer engine in a transaction of their own: the reader role
cannot see `api_token`, by design.
"""

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from nexusdb.api.dependencies import api_database
from nexusdb.repositories import TokenRepository

bearer = HTTPBearer(
    auto_error=False,
    description="A token from `nexusdb token create --scope read|write`.",
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


@dataclass(frozen=True)
class Caller:
    """The token a request came with."""

    token_id: uuid.UUID
    name: str
    scope: str


def _unauthorized(detail: str, error: str | None = None) -> HTTPException:
    challenge = "Bearer" + (f' error="{error}"' if error else "")
    return HTTPException(401, detail, headers={"WWW-Authenticate": challenge})


def _caller(request: Request, credentials: HTTPAuthorizationCredentials | None) -> Caller:
    if credentials is None:
        raise _unauthorized(
            "this needs a bearer token (Authorization: Bearer <token>);"
            " `nexusdb token create` makes one"
        )
    with Session(api_database(request).writer) as session:
        token = TokenRepository(session).authenticate(credentials.credentials)
    if token is None:
        raise _unauthorized("the bearer token is not one of this database's", "invalid_token")
    if token.revoked_at is not None:
        raise _unauthorized(
            f"the token {token.name!r} was revoked at {token.revoked_at:%Y-%m-%d %H:%M:%S %Z}",
            "invalid_token",
        )
    return Caller(token.id, token.name, token.scope)


def require_write(request: Request, credentials: Credentials) -> Caller:
    caller = _caller(request, credentials)
    if caller.scope != "write":
        raise HTTPException(
            403,
            f"the token {caller.name!r} has scope {caller.scope!r}; writes need a write token",
            headers={"WWW-Authenticate": 'Bearer error="insufficient_scope", scope="write"'},
        )
    return caller


def require_read(request: Request, credentials: Credentials) -> Caller:
    """Any good token: what reads ask for when NEXUSDB_API_READ_TOKEN_REQUIRED is set
    (`create_app` adds it to the read routes only then, so the OpenAPI says which)."""
    return _caller(request, credentials)


WriteCaller = Annotated[Caller, Depends(require_write)]
