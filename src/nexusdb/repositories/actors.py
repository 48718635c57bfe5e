"""Actors with their aliases and external ids."""

from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from nexusdb.models import Actor
from nexusdb.repositories.base import Repository
from nexusdb.schemas.read import ActorRead, Alias, Page


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
