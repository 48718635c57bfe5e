"""Sources with their publisher and authors."""

from datetime import date

from sqlalchemy import Select, func
from sqlalchemy.orm import joinedload, selectinload

from nexusdb.models import Actor, Source, SourceAuthor, SourceKind
from nexusdb.repositories.base import Repository, check_codes, id_of
from nexusdb.schemas.read import Page, SourceRead


def source_read(source: Source) -> SourceRead:
    return SourceRead(
        key=source.key,
        kind=source.kind,
        title=source.title,
        url=source.url,
        publisher_key=source.publisher.key if source.publisher else None,
        published_date=source.published_date,
        published_precision=source.published_precision,
        language=source.language,
        reliability=source.reliability,
        may_redistribute=source.may_redistribute,
        author_keys=[author.actor.key for author in source.authors],
    )


class SourceRepository(Repository[Source]):
    model = Source
    noun = "source"

    def loaded(self) -> Select[Source]:
        return self.base_statement().options(
            joinedload(Source.publisher),
            selectinload(Source.authors).joinedload(SourceAuthor.actor),
        )

    def get(self, key: str) -> SourceRead:
        return source_read(self.one(self.loaded(), key=key))

    def find(
        self,
        *,
        kind: str | None = None,
        author: str | None = None,
        published_since: date | None = None,
        published_until: date | None = None,
        after: str | None = None,
        limit: int = 50,
    ) -> Page[SourceRead]:
        """Sources by kind, by an author's key, and published within [since, until]: a
        publication known to the month or year counts if its period reaches the interval."""
        statement = self.loaded()
        if kind is not None:
            check_codes(self.session, SourceKind, [kind])
            statement = statement.where(Source.kind == kind)
        if author is not None:
            statement = statement.where(
                Source.authors.any(SourceAuthor.actor_id == id_of(Actor, author))
            )
        if published_since is not None:
            statement = statement.where(
                func.precise_date_upper(Source.published_date, Source.published_precision)
                > published_since
            )
        if published_until is not None:
            statement = statement.where(Source.published_date <= published_until)
        return self.page(statement, source_read, after=after, limit=limit)
