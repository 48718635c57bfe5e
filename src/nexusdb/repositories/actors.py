"""Actors with their aliases and external ids, and finding one by what a person typed."""

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from nexusdb.errors import NexusError
from nexusdb.models import Actor
from nexusdb.repositories.base import RecordNotFoundError, Repository
from nexusdb.schemas.read import ActorRead, Alias, Page


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
