"""From validated seed records to the rows the database should hold, checking what pydantic
cannot: vocabulary codes (read from the database's lookup tables), references between
files, and quotes (found in their source's text).

Every problem is a SeedError naming the file, the entry and the field.
"""

import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Text, column, select, table

from nexusdb.db.base import Base
from nexusdb.errors import SeedError
from nexusdb.grounding import QuoteNotFoundError, Segment, locate_quote, split_segments
from nexusdb.models import RelationshipType
from nexusdb.schemas.dates import PreciseDate
from nexusdb.schemas.seed import Dated, Evidence, MaterielLink
from nexusdb.seeding.files import SeedFiles
from nexusdb.seeding.ids import derived_id

Row = dict[str, Any]

# Vocabulary lookup tables, by the name a message uses for them.
VOCABULARIES = {
    "actor_kind": "actor kind",
    "alias_kind": "alias kind",
    "basis": "basis",
    "certainty": "certainty",
    "claim_kind": "claim kind",
    "claim_relation_type": "claim relation",
    "credibility": "credibility",
    "event_type": "event type",
    "external_id_scheme": "external id scheme",
    "factuality": "factuality",
    "materiel_category": "materiel category",
    "participant_role": "participant role",
    "place_kind": "place kind",
    "polarity": "polarity",
    "quantity_kind": "quantity kind",
    "quantity_qualifier": "quantity qualifier",
    "relationship_type": "relationship type",
    "reliability": "reliability",
    "source_kind": "source kind",
    "stance": "stance",
}


@dataclass(frozen=True)
class Vocabularies:
    codes: dict[str, frozenset[str]]
    symmetric_types: frozenset[str]

    @classmethod
    def load(cls, connection: Connection) -> "Vocabularies":
        codes = {
            name: frozenset(
                connection.scalars(select(column("code", Text)).select_from(table(name)))
            )
            for name in VOCABULARIES
        }
        symmetric = frozenset(
            connection.scalars(select(RelationshipType.code).where(RelationshipType.is_symmetric))
        )
        return cls(codes, symmetric)


def identity(table_name: str, row: Row) -> tuple[Any, ...]:
    """A row's primary key values: what the sync matches existing rows by."""
    return tuple(row[column.name] for column in Base.metadata.tables[table_name].primary_key)


@dataclass
class Plan:
    """Desired rows per table, keyed by primary key."""

    rows: dict[str, dict[tuple[Any, ...], Row]] = field(default_factory=lambda: defaultdict(dict))


@dataclass(frozen=True)
class SourceText:
    text: str
    segments: list[Segment]


class Planner:
    def __init__(self, files: SeedFiles, vocabularies: Vocabularies) -> None:
        self.files = files
        self.vocabularies = vocabularies
        self.plan = Plan()
        self.keys: dict[str, set[str]] = {
            "source": {record.key for record in files.sources},
            "actor": {record.key for record in files.actors},
            "place": {record.key for record in files.places},
            "materiel": {record.key for record in files.materiel},
            "claim": {record.key for record in files.claims},
            "event": {record.key for record in files.events},
        }
        self.texts: dict[str, SourceText] = {}
        self.first_author: dict[str, str] = {}
        # What the database would refuse across entries, found here so the message can
        # name the entries: an external id on two actors, relationships that overlap.
        self.external_id_owners: dict[tuple[str, str], str] = {}
        self.readings: dict[tuple[uuid.UUID, str, uuid.UUID], list[tuple[Row, str]]] = defaultdict(
            list
        )
        self._where = ""

    # -- checks -------------------------------------------------------------------------

    def _fail(self, field_name: str, message: str) -> SeedError:
        return SeedError(f"{self._where}: field {field_name!r}: {message}")

    def code(self, vocabulary: str, field_name: str, value: str) -> str:
        known = self.vocabularies.codes[vocabulary]
        if value not in known:
            raise self._fail(
                field_name,
                f"unknown {VOCABULARIES[vocabulary]} {value!r} (known: {', '.join(sorted(known))})",
            )
        return value

    def ref(self, kind: str, field_name: str, key: str | None) -> uuid.UUID | None:
        if key is None:
            return None
        if key not in self.keys[kind]:
            raise self._fail(field_name, f"unknown {kind} key {key!r}")
        return derived_id(kind, key)

    def required_ref(self, kind: str, field_name: str, key: str) -> uuid.UUID:
        found = self.ref(kind, field_name, key)
        assert found is not None
        return found

    def add(self, table_name: str, row: Row) -> None:
        rows = self.plan.rows[table_name]
        row_identity = identity(table_name, row)
        if row_identity in rows:
            raise SeedError(
                f"{self._where}: the same {table_name.replace('_', ' ')} is listed twice"
            )
        rows[row_identity] = row

    def at(self, file_name: str, key: str) -> None:
        self._where = f"{self.files.directory / file_name}: entry {key!r}"

    # -- rows -------------------------------------------------------------------------

    def provenance(self, basis: str, basis_ref: str | None) -> Row:
        return {
            "basis": self.code("basis", "basis", basis),
            "basis_ref": basis_ref,
            "origin": "seed",
        }

    def interval(self, record: Dated, basis: str) -> Row:
        has_dates = record.start is not None or record.end is not None
        date_basis = record.date_basis or (basis if has_dates else None)
        if date_basis is not None:
            self.code("basis", "date_basis", date_basis)
        return {
            **_date_columns("start", record.start),
            **_date_columns("end", record.end),
            "is_ongoing": record.ongoing,
            "date_basis": date_basis if has_dates else None,
            "date_basis_ref": record.date_basis_ref if has_dates else None,
        }

    def evidence(
        self,
        table: str,
        target_column: str,
        target_id: uuid.UUID,
        items: list[Evidence],
        field_name: str,
    ) -> None:
        for index, item in enumerate(items):
            self.add(
                table,
                {
                    target_column: target_id,
                    "claim_id": self.required_ref(
                        "claim", f"{field_name}[{index}].claim", item.claim
                    ),
                    "stance": self.code("stance", f"{field_name}[{index}].stance", item.stance),
                },
            )

    def sources(self) -> None:
        for record in self.files.sources:
            self.at("sources.yaml", record.key)
            source_id = derived_id("source", record.key)
            digest = None
            if record.text_file is not None:
                path = self.files.directory / record.text_file
                if not path.is_file():
                    raise self._fail("text_file", f"file not found: {path}")
                raw = path.read_bytes()
                digest = hashlib.sha256(raw).hexdigest()
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as error:
                    raise self._fail("text_file", f"{path} is not UTF-8: {error}") from None
                source_text = SourceText(text, split_segments(text))
                self.texts[record.key] = source_text
                for segment in source_text.segments:
                    self.add(
                        "source_segment",
                        {
                            "id": derived_id("source_segment", record.key, segment.ordinal),
                            "source_id": source_id,
                            "ordinal": segment.ordinal,
                            "kind": segment.kind,
                            "start_offset": segment.start,
                            "end_offset": segment.end,
                            "text": segment.text,
                            "language": record.language,
                        },
                    )
            self.add(
                "source",
                {
                    "id": source_id,
                    "key": record.key,
                    "kind": self.code("source_kind", "kind", record.kind),
                    "title": record.title,
                    "url": record.url,
                    "archive_url": record.archive_url,
                    "publisher_id": self.ref("actor", "publisher", record.publisher),
                    "published_date": record.published.value if record.published else None,
                    "published_precision": record.published.precision if record.published else None,
                    "language": record.language,
                    "content_sha256": digest,
                    "reliability": self.code("reliability", "reliability", record.reliability),
                    "licence": record.licence,
                    "may_redistribute": record.may_redistribute,
                    **self.provenance(record.basis, record.basis_ref),
                },
            )
            for position, author in enumerate(record.authors, start=1):
                self.add(
                    "source_author",
                    {
                        "source_id": source_id,
                        "position": position,
                        "actor_id": self.required_ref("actor", f"authors[{position - 1}]", author),
                    },
                )
            if record.authors:
                self.first_author[record.key] = record.authors[0]
            for index, cited in enumerate(record.cites):
                self.add(
                    "source_citation",
                    {
                        "citing_source_id": source_id,
                        "cited_source_id": self.required_ref("source", f"cites[{index}]", cited),
                    },
                )

    def actors(self) -> None:
        for record in self.files.actors:
            self.at("actors.yaml", record.key)
            actor_id = derived_id("actor", record.key)
            self.add(
                "actor",
                {
                    "id": actor_id,
                    "key": record.key,
                    "kind": self.code("actor_kind", "kind", record.kind),
                    "name": record.name,
                    "description": record.description,
                    "country_code": record.country,
                    "is_anonymous": record.anonymous,
                    "scope_source_id": self.ref("source", "scope", record.scope),
                    **self.provenance(record.basis, record.basis_ref),
                },
            )
            for index, alias in enumerate(record.aliases):
                self.add(
                    "actor_alias",
                    {
                        "id": derived_id("actor_alias", record.key, alias.language, alias.name),
                        "actor_id": actor_id,
                        "name": alias.name,
                        "language": alias.language,
                        "kind": self.code("alias_kind", f"aliases[{index}].kind", alias.kind),
                        "origin": "seed",
                    },
                )
            for index, external in enumerate(record.external_ids):
                owner = self.external_id_owners.setdefault(
                    (external.scheme, external.value), record.key
                )
                if owner != record.key:
                    raise self._fail(
                        f"external_ids[{index}].value",
                        f"{external.scheme} {external.value} already identifies actor {owner!r}",
                    )
                self.add(
                    "actor_external_id",
                    {
                        "id": derived_id("actor_external_id", record.key, external.scheme),
                        "actor_id": actor_id,
                        "scheme": self.code(
                            "external_id_scheme", f"external_ids[{index}].scheme", external.scheme
                        ),
                        "value": external.value,
                        "origin": "seed",
                    },
                )

    def places(self) -> None:
        for record in self.files.places:
            self.at("places.yaml", record.key)
            self.add(
                "place",
                {
                    "id": derived_id("place", record.key),
                    "key": record.key,
                    "kind": self.code("place_kind", "kind", record.kind),
                    "name": record.name,
                    "actor_id": self.ref("actor", "actor", record.actor),
                    "iso_code": record.iso_code,
                    "latitude": record.latitude,
                    "longitude": record.longitude,
                    **self.provenance(record.basis, record.basis_ref),
                },
            )

    def materiel(self) -> None:
        for record in self.files.materiel:
            self.at("materiel.yaml", record.key)
            self.add(
                "materiel",
                {
                    "id": derived_id("materiel", record.key),
                    "key": record.key,
                    "name": record.name,
                    "category": self.code("materiel_category", "category", record.category),
                    "producer_id": self.ref("actor", "producer", record.producer),
                    "description": record.description,
                    **self.provenance(record.basis, record.basis_ref),
                },
            )

    def claims(self) -> None:
        for record in self.files.claims:
            self.at("claims.yaml", record.key)
            claim_id = derived_id("claim", record.key)
            source_id = self.required_ref("source", "source", record.source)
            source_text = self.texts.get(record.source)
            if source_text is None:
                raise self._fail(
                    "source", f"source {record.source!r} has no text_file to quote from"
                )
            try:
                span = locate_quote(
                    source_text.text, source_text.segments, record.quote, record.occurrence
                )
            except QuoteNotFoundError as error:
                raise self._fail("quote", str(error)) from None
            claimant = record.claimant or self.first_author.get(record.source)
            if claimant is None:
                raise self._fail("claimant", "missing, and the source has no author to default to")
            self.add(
                "claim",
                {
                    "id": claim_id,
                    "key": record.key,
                    "source_id": source_id,
                    "claimant_id": self.required_ref("actor", "claimant", claimant),
                    "reported_via_actor_id": self.ref("actor", "reported_via", record.reported_via),
                    "kind": self.code("claim_kind", "kind", record.kind),
                    "certainty": self.code("certainty", "certainty", record.certainty),
                    "polarity": self.code("polarity", "polarity", record.polarity),
                    "credibility": self.code("credibility", "credibility", record.credibility),
                    "text": record.text,
                    "segment_id": derived_id("source_segment", record.source, span.segment.ordinal),
                    "span_start": span.start,
                    "span_end": span.end,
                    "quote": record.quote,
                    "origin": "seed",
                },
            )
            for index, actor in enumerate(record.about):
                self.add(
                    "claim_actor",
                    {
                        "claim_id": claim_id,
                        "actor_id": self.required_ref("actor", f"about[{index}]", actor),
                    },
                )
            for index, relation in enumerate(record.relations):
                self.add(
                    "claim_relation",
                    {
                        "claim_id": claim_id,
                        "relation": self.code(
                            "claim_relation_type", f"relations[{index}].relation", relation.relation
                        ),
                        "related_claim_id": self.required_ref(
                            "claim", f"relations[{index}].claim", relation.claim
                        ),
                    },
                )

    def materiel_links(
        self,
        table: str,
        owner_column: str,
        owner_key: str,
        owner_id: uuid.UUID,
        links: list[MaterielLink],
    ) -> None:
        for index, link in enumerate(links):
            link_id = derived_id(table, owner_key, link.materiel)
            self.add(
                table,
                {
                    "id": link_id,
                    owner_column: owner_id,
                    "materiel_id": self.required_ref(
                        "materiel", f"materiel[{index}].materiel", link.materiel
                    ),
                },
            )
            self.evidence(
                f"{table}_evidence",
                f"{table}_id",
                link_id,
                link.evidence,
                f"materiel[{index}].evidence",
            )

    def events(self) -> None:
        for record in self.files.events:
            self.at("events.yaml", record.key)
            event_id = derived_id("event", record.key)
            if record.parent == record.key:
                raise self._fail("parent", "an event cannot be its own parent")
            self.add(
                "event",
                {
                    "id": event_id,
                    "key": record.key,
                    "event_type": self.code("event_type", "type", record.type),
                    "title": record.title,
                    "summary": record.summary,
                    "place_id": self.ref("place", "place", record.place),
                    "parent_event_id": self.ref("event", "parent", record.parent),
                    "factuality": self.code("factuality", "factuality", record.factuality),
                    **self.interval(record, record.basis),
                    **self.provenance(record.basis, record.basis_ref),
                },
            )
            self.evidence("event_evidence", "event_id", event_id, record.evidence, "evidence")
            for index, participant in enumerate(record.participants):
                participant_id = derived_id(
                    "event_participant", record.key, participant.actor, participant.role
                )
                self.add(
                    "event_participant",
                    {
                        "id": participant_id,
                        "event_id": event_id,
                        "actor_id": self.required_ref(
                            "actor", f"participants[{index}].actor", participant.actor
                        ),
                        "role": self.code(
                            "participant_role", f"participants[{index}].role", participant.role
                        ),
                    },
                )
                self.evidence(
                    "event_participant_evidence",
                    "participant_id",
                    participant_id,
                    participant.evidence,
                    f"participants[{index}].evidence",
                )
            for index, quantity in enumerate(record.quantities):
                quantity_id = derived_id(
                    "event_quantity", record.key, quantity.kind, quantity.counted
                )
                self.add(
                    "event_quantity",
                    {
                        "id": quantity_id,
                        "event_id": event_id,
                        "kind": self.code(
                            "quantity_kind", f"quantities[{index}].kind", quantity.kind
                        ),
                        "low": quantity.low,
                        "high": quantity.high,
                        "qualifier": self.code(
                            "quantity_qualifier",
                            f"quantities[{index}].qualifier",
                            quantity.qualifier,
                        ),
                        "unit": quantity.unit,
                        "counted": quantity.counted,
                        "wording": quantity.wording,
                    },
                )
                self.evidence(
                    "event_quantity_evidence",
                    "quantity_id",
                    quantity_id,
                    quantity.evidence,
                    f"quantities[{index}].evidence",
                )
            self.materiel_links("event_materiel", "event_id", record.key, event_id, record.materiel)

    def relationships(self) -> None:
        for record in self.files.relationships:
            self.at("relationships.yaml", record.key)
            relationship_id = derived_id("relationship", record.key)
            relationship_type = self.code("relationship_type", "type", record.type)
            subject_id = self.required_ref("actor", "subject", record.subject)
            object_id = self.required_ref("actor", "object", record.object)
            if relationship_type in self.vocabularies.symmetric_types and subject_id > object_id:
                subject_id, object_id = object_id, subject_id
            interval = self.interval(record, record.basis)
            edge = (subject_id, relationship_type, object_id)
            for other, other_key in self.readings[edge]:
                if _overlap(interval, other):
                    raise self._fail(
                        "start",
                        f"overlaps relationship {other_key!r} with the same actors and type;"
                        " one relationship row is one reading of an edge",
                    )
            self.readings[edge].append((interval, record.key))
            self.add(
                "relationship",
                {
                    "id": relationship_id,
                    "key": record.key,
                    "subject_id": subject_id,
                    "relationship_type": relationship_type,
                    "object_id": object_id,
                    "description": record.description,
                    **interval,
                    **self.provenance(record.basis, record.basis_ref),
                },
            )
            self.evidence(
                "relationship_evidence",
                "relationship_id",
                relationship_id,
                record.evidence,
                "evidence",
            )
            self.materiel_links(
                "relationship_materiel",
                "relationship_id",
                record.key,
                relationship_id,
                record.materiel,
            )


def _overlap(first: Row, second: Row) -> bool:
    """The database's rule (relationship_no_overlap_excl): closed date ranges whose missing
    ends are unbounded share a day."""
    return (
        first["start_date"] is None
        or second["end_date"] is None
        or first["start_date"] <= second["end_date"]
    ) and (
        second["start_date"] is None
        or first["end_date"] is None
        or second["start_date"] <= first["end_date"]
    )


def _date_columns(prefix: str, value: PreciseDate | None) -> Row:
    return {
        f"{prefix}_date": value.value if value else None,
        f"{prefix}_precision": value.precision if value else None,
    }


def build_plan(files: SeedFiles, vocabularies: Vocabularies) -> Plan:
    """Check every record against the vocabularies, each other and the source texts."""
    planner = Planner(files, vocabularies)
    planner.sources()
    planner.actors()
    planner.places()
    planner.materiel()
    planner.claims()
    planner.events()
    planner.relationships()
    return planner.plan
