"""Relationships with both ends and the materiel they carry."""

from datetime import date, timedelta

from sqlalchemy import Select, func, or_
from sqlalchemy.orm import joinedload, selectinload

from nexusdb.models import Actor, Relationship, RelationshipMateriel, RelationshipType
from nexusdb.repositories.base import Repository, check_codes, id_of
from nexusdb.schemas.dates import PreciseDate
from nexusdb.schemas.read import Page, RelationshipRead


def relationship_read(relationship: Relationship) -> RelationshipRead:
    return RelationshipRead(
        key=relationship.key,
        subject_key=relationship.subject.key,
        type=relationship.relationship_type,
        object_key=relationship.object.key,
        description=relationship.description,
        start_date=relationship.start_date,
        start_precision=relationship.start_precision,
        end_date=relationship.end_date,
        end_precision=relationship.end_precision,
        is_ongoing=relationship.is_ongoing,
        materiel=sorted(link.item.key for link in relationship.materiel),
    )


class RelationshipRepository(Repository[Relationship]):
    model = Relationship
    noun = "relationship"

    def loaded(self) -> Select[Relationship]:
        return self.base_statement().options(
            joinedload(Relationship.subject),
            joinedload(Relationship.object),
            selectinload(Relationship.materiel).joinedload(RelationshipMateriel.item),
        )

    def get(self, key: str) -> RelationshipRead:
        return relationship_read(self.one(self.loaded(), key=key))

    def check_types(self, codes: list[str]) -> None:
        """Refuse a type that is no relationship type, rather than match nothing."""
        check_codes(self.session, RelationshipType, codes)

    def find(
        self,
        *,
        type: str | None = None,
        actor: str | None = None,
        subject: str | None = None,
        object: str | None = None,
        since: date | None = None,
        until: date | None = None,
        at: PreciseDate | None = None,
        after: str | None = None,
        limit: int = 50,
    ) -> Page[RelationshipRead]:
        """Relationships by type, an actor at either end, the subject's or the object's
        key, and holding at some time in [since, until] or in the period `at` (2023: at
        some time in 2023). Unknown ends are unbounded, as in actor_neighbourhood()."""
        if at is not None:
            since, until = at.value, at.upper() - timedelta(days=1)
        statement = self.loaded()
        if subject is not None:
            statement = statement.where(Relationship.subject_id == id_of(Actor, subject))
        if object is not None:
            statement = statement.where(Relationship.object_id == id_of(Actor, object))
        if type is not None:
            statement = statement.where(Relationship.relationship_type == type)
        if actor is not None:
            actor_id = id_of(Actor, actor)
            statement = statement.where(
                or_(Relationship.subject_id == actor_id, Relationship.object_id == actor_id)
            )
        if since is not None:
            statement = statement.where(
                or_(
                    Relationship.end_date.is_(None),
                    func.precise_date_upper(Relationship.end_date, Relationship.end_precision)
                    > since,
                )
            )
        if until is not None:
            statement = statement.where(
                or_(Relationship.start_date.is_(None), Relationship.start_date <= until)
            )
        return self.page(statement, relationship_read, after=after, limit=limit)
