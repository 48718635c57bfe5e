"""Actors with their aliases and external ids, finding one by what a person typed, their
profile, and pages of what is linked to them (relationships, timeline, claims about them),
read through the migration's page functions so that a hub costs what a minor actor does."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ScalarSelect, Select, func, or_, select, text

from nexusdb.errors import NexusError
from nexusdb.models import (
    Actor,
    ActorAlias,
    ActorCount,
    ActorExternalId,
    ActorKind,
    ActorRedirect,
)
from nexusdb.repositories.base import (
    InvalidCursorError,
    RecordNotFoundError,
    Repository,
    RowOf,
    check_codes,
    function_page,
    json_list,
)
from nexusdb.schemas.read import (
    ActorProfileRead,
    ActorRead,
    ActorRelationshipRead,
    ClaimAboutRead,
    KeyedRead,
    NeighbourRead,
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


# How many actors a neighbourhood holds at most: its pages are pages of this capped walk
# (the most evidenced links kept at each level), so every page comes from the same set.
NEIGHBOURHOOD_CAP = 1000

NEIGHBOURHOOD = text("""
SELECT n.actor_key, n.actor_name, n.actor_kind, n.distance, n.weight, n.path
FROM actor_neighbourhood(:key, :depth, :types, :as_of, :include_anonymous, :cap) AS n
WHERE (n.distance, n.actor_key) > (:after_distance, :after_key)
ORDER BY n.distance, n.actor_key
LIMIT :limit
""")
NEIGHBOUR_CURSOR = re.compile(r"(\d+):([a-z0-9][a-z0-9-]*)")


def like_pattern(text: str) -> str:
    """`text` anywhere, its LIKE wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class AmbiguousActorError(NexusError):
    """A name that several actors answer to."""


@dataclass(frozen=True)
class ActorMatch:
    key: str
    # False when the typed name was not any actor's, and this is its one close match.
    exact: bool


def _actor_rows() -> Select[*tuple[Any, ...]]:
    """Every actor as `ActorRead`'s fields, its aliases (by name) and external ids (by
    scheme) as JSON arrays: one statement and one row per actor."""
    alias = func.json_build_object(
        "name", ActorAlias.name, "kind", ActorAlias.kind, "language", ActorAlias.language
    )
    aliases = (
        select(json_list(alias, ActorAlias.name))
        .where(ActorAlias.actor_id == Actor.id)
        .scalar_subquery()
    )
    external_id = func.json_build_array(ActorExternalId.scheme, ActorExternalId.value)
    external_ids = (
        select(json_list(external_id, ActorExternalId.scheme))
        .where(ActorExternalId.actor_id == Actor.id)
        .scalar_subquery()
    )
    return select(
        Actor.key,
        Actor.kind,
        Actor.name,
        Actor.description,
        Actor.country_code,
        Actor.is_anonymous,
        aliases.label("aliases"),
        external_ids.label("external_ids"),
    )


def _counts() -> ScalarSelect[Any]:
    """The actor's summary counts (kept by the write paths) as [facet, category, n]."""
    count = func.json_build_array(ActorCount.facet, ActorCount.category, ActorCount.n)
    return (
        select(json_list(count, ActorCount.facet, ActorCount.category))
        .where(ActorCount.actor_id == Actor.id)
        .scalar_subquery()
    )


# Built once: building a statement costs more than running it does for one actor.
ACTOR_ROWS = _actor_rows()
PROFILE_ROWS = ACTOR_ROWS.add_columns(_counts().label("counts"))


def actor_read(row: RowOf) -> ActorRead:
    return ActorRead.model_validate({**row._mapping, "external_ids": dict(row.external_ids)})


class ActorRepository(Repository[Actor]):
    model = Actor
    noun = "actor"

    def get(self, key: str) -> ActorRead:
        return actor_read(self.one_row(ACTOR_ROWS, key=key))

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

    def canonical_key(self, old_key: str) -> str | None:
        """The key an actor merged away under `old_key` goes by now; None if none was."""
        return self.session.scalar(
            select(Actor.key)
            .join(ActorRedirect, ActorRedirect.actor_id == Actor.id)
            .where(ActorRedirect.old_key == old_key)
        )

    def find(
        self,
        *,
        q: str | None = None,
        kind: str | None = None,
        country_code: str | None = None,
        include_anonymous: bool = True,
        after: str | None = None,
        limit: int = 50,
    ) -> Page[ActorRead]:
        """Actors in key order, by kind, country, and `q`: the key, or words found in the
        name or an alias (ignoring case and accents), or a close spelling of them."""
        statement = ACTOR_ROWS
        if q is not None:
            typed = func.normalize_name(q)
            # lower() and unaccent() leave the escaped wildcards as they are.
            pattern = func.normalize_name(like_pattern(q))
            named = or_(
                Actor.normalized_name.like(pattern),
                typed.op("<%")(Actor.normalized_name),
            )
            aliased = select(ActorAlias.actor_id).where(
                or_(
                    ActorAlias.normalized_name.like(pattern),
                    typed.op("<%")(ActorAlias.normalized_name),
                )
            )
            statement = statement.where(or_(Actor.key == q, named, Actor.id.in_(aliased)))
        if kind is not None:
            check_codes(self.session, ActorKind, [kind])
            statement = statement.where(Actor.kind == kind)
        if country_code is not None:
            statement = statement.where(Actor.country_code == country_code)
        if not include_anonymous:
            statement = statement.where(Actor.is_anonymous.is_(False))
        return self.row_page(statement, actor_read, after=after, limit=limit)

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

    def neighbourhood(
        self,
        key: str,
        *,
        depth: int = 2,
        types: list[str] | None = None,
        as_of: date | None = None,
        include_anonymous: bool = False,
        cap: int = NEIGHBOURHOOD_CAP,
        after: str | None = None,
        limit: int = 50,
    ) -> Page[NeighbourRead]:
        """The actors within `depth` relationships of the actor (it first, at distance 0),
        by distance then key, from actor_neighbourhood() capped at `cap` actors; `after`
        is the last row's `distance:key`."""
        if limit < 1:
            raise InvalidCursorError(f"a page holds at least one row, not {limit}")
        after_distance, after_key = -1, ""
        if after is not None:
            match = NEIGHBOUR_CURSOR.fullmatch(after)
            if match is None:
                raise InvalidCursorError(f"not a cursor of actor_neighbourhood: {after!r}")
            after_distance, after_key = int(match.group(1)), match.group(2)
        found = self.session.execute(
            NEIGHBOURHOOD,
            {
                "key": key,
                "depth": depth,
                "types": types,
                "as_of": as_of,
                "include_anonymous": include_anonymous,
                "cap": cap,
                "after_distance": after_distance,
                "after_key": after_key,
                "limit": limit + 1,
            },
        ).all()
        if not found and after is None:
            self.require(key)
        items = [
            NeighbourRead(
                key=row.actor_key,
                name=row.actor_name,
                kind=row.actor_kind,
                distance=row.distance,
                weight=row.weight,
                path=row.path,
            )
            for row in found[:limit]
        ]
        last = items[-1] if len(found) > limit else None
        return Page(items=items, next_after=f"{last.distance}:{last.key}" if last else None)

    def profile_row(self, key: str) -> dict[str, Any]:
        """The actor's row of the `actor_profile` view (what `nexusdb actor` prints and
        docs/schema.md describes): names, ids, counts, and its first relationships (read
        from its side), event keys and claim keys, in one statement."""
        found = (
            self.session.execute(
                text("SELECT * FROM actor_profile WHERE actor_key = :key"), {"key": key}
            )
            .mappings()
            .first()
        )
        if found is None:
            raise RecordNotFoundError(f"no {self.noun} with key {key!r}")
        return dict(found)

    def profile(self, key: str, *, first: int = 20) -> ActorProfileRead:
        """The actor with its counts (kept by the write paths) in one statement, and the
        first page of each list: four statements whatever the actor."""
        row = self.one_row(PROFILE_ROWS, key=key)
        counts: dict[str, dict[str, int]] = {
            "relationship_type": {},
            "event_type": {},
            "event_year": {},
            "claim_kind": {},
        }
        for facet, category, n in row.counts:
            counts[facet][category] = n

        def first_page(function: str, read: Callable[[dict[str, Any]], Row]) -> Page[Row]:
            # The actor exists: an empty page is an empty list, with nothing to check.
            page, _ = function_page(
                self.session, function, {"key": key}, read, after=None, limit=first
            )
            return page

        return ActorProfileRead(
            actor=actor_read(row),
            relationship_types=counts["relationship_type"],
            event_types=counts["event_type"],
            event_years=counts["event_year"],
            claim_kinds=counts["claim_kind"],
            relationships=first_page("actor_relationships", relationship_row),
            events=first_page("actor_timeline", timeline_row),
            claims_about=first_page("actor_claims", claim_row),
        )
