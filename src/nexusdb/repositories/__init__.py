"""Typed access to nexusdb for Python callers: one repository per aggregate, read models out.

Repositories work inside the caller's session and never commit.
"""

from nexusdb.repositories.actors import ActorMatch, ActorRepository, AmbiguousActorError
from nexusdb.repositories.base import InvalidCursorError, RecordNotFoundError, Repository
from nexusdb.repositories.claims import ClaimRepository, InvalidClaimError
from nexusdb.repositories.events import EventRepository
from nexusdb.repositories.relationships import RelationshipRepository
from nexusdb.repositories.search import SearchRepository
from nexusdb.repositories.sources import SourceRepository
from nexusdb.repositories.tokens import (
    StoredResponses,
    TokenError,
    TokenRead,
    TokenRepository,
)

__all__ = [
    "ActorMatch",
    "ActorRepository",
    "AmbiguousActorError",
    "ClaimRepository",
    "EventRepository",
    "InvalidClaimError",
    "InvalidCursorError",
    "RecordNotFoundError",
    "RelationshipRepository",
    "Repository",
    "SearchRepository",
    "SourceRepository",
    "StoredResponses",
    "TokenError",
    "TokenRead",
    "TokenRepository",
]
