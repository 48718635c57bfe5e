"""Actors with their aliases and external ids, finding one by what a person typed, their
profile, and pages of what is linked to them (relationships, timeline, claims about them),
read through the migration's page functions so that a hub costs what a minor actor does."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from nexusdb.errors import NexusError
from nexusdb.models import Actor, ActorCount
from nexusdb.repositories.base import RecordNotFoundError, Repository, function_page, id_of
from nexusdb.schemas.read import (
    ActorProfileRead,
    ActorRead,
    ActorRelationshipRead,
    Alias,
    ClaimAboutRead,
    KeyedRead,
    Page,
    TimelineEntryRead,
)

Row = TypeVar("Row", bound=KeyedRead)


def relationship_row(row: dict[str, Any]) -> ActorRelationshipRead:
    return ActorRelationshipRead(key=row["relationship_key"], **row)


def timeline_row(row: dict[str, Any]) -> TimelineEntryRead:
    return TimelineEntryRead(key=row["event_key"], **row)


def claim_row(row: dict[str, Any]) -> ClaimAboutRead:
    return ClaimAboutRead(key=row["claim_key"], **row)


class AmbiguousActorError(NexusError):
    """A name that several actors answer to."""


@dataclass(frozen=True)
class ActorMatch:
    key: str
    # False when the typed name was not any actor's, and this is its one close match.
    exact: bool


def actor_read(actor: Actor) -> ActorRead:
    return ActorRead(
        key=actor.key,
        kind=actor.kind,
        name=actor.name,
        description=actor.description,
        country_code=actor.country_code,
        is_anonymous=actor.is_anonymous,
        aliases=[
            Alias(name=alias.name, kind=alias.kind, language=alias.language)
            for alias in actor.aliases
        ],
        external_ids={external.scheme: external.value for external in actor.external_ids},
    )


class ActorRepository(Repository[Actor]):
    model = Actor
    noun = "actor"

    def loaded(self) -> Select[Actor]:
        return self.base_statement().options(
            selectinload(Actor.aliases), selectinload(Actor.external_ids)
        )

    def get(self, key: str) -> ActorRead:
        return actor_read(self.one(self.loaded(), key=key))

    def resolve(self, key_or_name: str) -> ActorMatch:
        """The actor `key_or_name` names by key, name or alias (ignoring case and accents),
        or its only close match (a typo); otherwise an error naming the close matches."""
        found = func.find_actor(key_or_name, 5).table_valued("key", "matched_name")
        typed_name = func.normalize_name(key_or_name)
        candidates = self.session.execute(
            select(
                found.c.key,
                or_(
                    found.c.key == key_or_name,
                    func.normalize_name(found.c.matched_name) == typed_name,
                ),
            )
        ).all()
        exact = list(dict.fromkeys(key for key, is_exact in candidates if is_exact))
        if len(exact) == 1:
            return ActorMatch(exact[0], exact=True)
        if exact:
            raise AmbiguousActorError(
                f"'{key_or_name}' names several actors: {', '.join(exact)}; use a key"
            )
        if len(candidates) == 1:
            return ActorMatch(candidates[0][0], exact=False)
        suggestions = ", ".join(key for key, _ in candidates)
        raise RecordNotFoundError(
            f"no actor '{key_or_name}'" + (f"; did you mean: {suggestions}?" if suggestions else "")
        )

    def find(
        self,
        *,
        kind: str | None = None,
        country_code: str | None = None,
        include_anonymous: bool = True,
        after: str | None = None,
        limit: int = 50,
    ) -> Page[ActorRead]:
        statement = self.loaded()
        if kind is not None:
            statement = statement.where(Actor.kind == kind)
        if country_code is not None:
            statement = statement.where(Actor.country_code == country_code)
        if not include_anonymous:
            statement = statement.where(Actor.is_anonymous.is_(False))
        return self.page(statement, actor_read, after=after, limit=limit)

    def _actor_page(
        self,
        function: str,
        key: str,
        read: Callable[[dict[str, Any]], Row],
        *,
        after: str | None,
        limit: int,
    ) -> Page[Row]:
        page, empty = function_page(
            self.session, function, {"key": key}, read, after=after, limit=limit
        )
        # An empty page is also what an unknown key gives: tell the two apart.
        if empty and self.session.scalar(select(Actor.id).where(Actor.key == key)) is None:
            raise RecordNotFoundError(f"no {self.noun} with key {key!r}")
        return page

    def relationships(
        self, key: str, *, after: str | None = None, limit: int = 50
    ) -> Page[ActorRelationshipRead]:
        """The actor's relationships read from its side, by type then relationship key."""
        return self._actor_page(
            "actor_relationships", key, relationship_row, after=after, limit=limit
        )

    def timeline(
        self, key: str, *, after: str | None = None, limit: int = 50
    ) -> Page[TimelineEntryRead]:
        """The events the actor took part in, by start (unknown starts last) then key."""
        return self._actor_page("actor_timeline", key, timeline_row, after=after, limit=limit)

    def claims_about(
        self, key: str, *, after: str | None = None, limit: int = 50
    ) -> Page[ClaimAboutRead]:
        """The claims about the actor, by claim key."""
        return self._actor_page("actor_claims", key, claim_row, after=after, limit=limit)

    def profile(self, key: str, *, first: int = 20) -> ActorProfileRead:
        """The actor, its counts (kept by triggers, one index probe) and the first page
        of each list."""
        actor = self.get(key)
        counts: dict[str, dict[str, int]] = {
            "relationship_type": {},
            "event_type": {},
            "event_year": {},
            "claim_kind": {},
        }
        statement = (
            select(ActorCount.facet, ActorCount.category, ActorCount.n)
            .where(ActorCount.actor_id == id_of(Actor, key))
            .order_by(ActorCount.facet, ActorCount.category)
        )
        for facet, category, n in self.session.execute(statement):
            counts[facet][category] = n
        return ActorProfileRead(
            actor=actor,
            relationship_types=counts["relationship_type"],
            event_types=counts["event_type"],
            event_years=counts["event_year"],
            claim_kinds=counts["claim_kind"],
            relationships=self.relationships(key, limit=first),
            events=self.timeline(key, limit=first),
            claims_about=self.claims_about(key, limit=first),
        )
