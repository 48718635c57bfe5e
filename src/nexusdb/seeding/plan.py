"""From validated seed records to the rows the database should hold, checking what pydantic
cannot: vocabulary codes (read from the database's lookup tables), references between
files, quotes (found in their source's text), and precision: outside references that a
reader can check, nothing the source states dated after its publication, relationships no
surer than their claims, and parts of events within their wholes.

The checks work on one record at a time (`Planner`), against what is `Known` about the
rows it refers to: the seed files for `nexusdb seed` (`SeedPlanner`), the database for
the HTTP API's writes (`nexusdb.writing`), so both accept and refuse by the same rules.

Every problem is a RecordError (a SeedError for the seed) naming the entry and the field.
"""

import hashlib
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Connection, Text, column, select, table

from nexusdb.db.base import REFERENCE_PATTERN, Base
from nexusdb.errors import RecordError, SeedError
from nexusdb.grounding import (
    DATASET_KIND,
    QUOTE,
    RECORD,
    QuoteNotFoundError,
    Segment,
    grounding_refused,
    locate_quote,
    split_segments,
)
from nexusdb.models import Certainty, RelationshipType
from nexusdb.schemas.dates import PreciseDate
from nexusdb.schemas.seed import (
    ClaimFields,
    Dated,
    EventRecord,
    Evidence,
    Grounded,
    MaterielLink,
    RelationshipRecord,
    SourceFields,
)
from nexusdb.seeding.files import SeedFiles
from nexusdb.seeding.ids import derived_id

Row = dict[str, Any]
# A relationship's subject id, type and object id: one reading of it at a time.
Edge = tuple[uuid.UUID, str, uuid.UUID]

# Factualities that say a thing has happened (or is happening).
OCCURRED = frozenset({"occurred", "ongoing"})

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
    # 1 is the strongest (asserted); a relationship may be no stronger than its claims.
    certainty_rank: dict[str, int]

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
        ranks = {
            code: rank
            for code, rank in connection.execute(select(Certainty.code, Certainty.rank))
            if rank is not None
        }
        return cls(codes, symmetric, ranks)


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


@dataclass(frozen=True)
class ClaimFacts:
    """What the checks of an event or relationship need of a claim it cites."""

    key: str
    source: str
    certainty: str


class Known(Protocol):
    """What is known of the rows a record refers to, by key."""

    def id_of(self, kind: str, key: str) -> uuid.UUID | None:
        """The id of the `kind` row with `key` (kind: source, actor, claim, ...), if any."""

    def claim(self, key: str) -> ClaimFacts | None: ...

    def published(self, source: str) -> PreciseDate | None: ...

    def source_kind(self, source: str) -> str | None:
        """The kind of a source (`article`, `dataset`, ...), if it exists."""

    def first_author(self, source: str) -> str | None: ...

    def text(self, source: str) -> SourceText | None:
        """A source's text to quote from, laid out from its segments."""

    def segment_id(self, source: str, ordinal: int) -> uuid.UUID: ...

    def readings(self, edge: Edge) -> list[tuple[Row, str]]:
        """The stored relationships of an edge (subject, type, object ids), each as its
        date columns and its key, for the overlap check."""


class SeedKnown:
    """What the seed files say of their own entries; ids are derived from keys."""

    def __init__(self, files: SeedFiles) -> None:
        self.keys: dict[str, set[str]] = {
            "source": {record.key for record in files.sources},
            "actor": {record.key for record in files.actors},
            "place": {record.key for record in files.places},
            "materiel": {record.key for record in files.materiel},
            "claim": {record.key for record in files.claims},
            "event": {record.key for record in files.events},
        }
        self.claims = {
            record.key: ClaimFacts(record.key, record.source, record.certainty)
            for record in files.claims
        }
        self.sources = {record.key: record for record in files.sources}

    def id_of(self, kind: str, key: str) -> uuid.UUID | None:
        return derived_id(kind, key) if key in self.keys[kind] else None

    def claim(self, key: str) -> ClaimFacts | None:
        return self.claims.get(key)

    def published(self, source: str) -> PreciseDate | None:
        record = self.sources.get(source)
        return record.published if record else None

    def source_kind(self, source: str) -> str | None:
        record = self.sources.get(source)
        return record.kind if record else None

    def first_author(self, source: str) -> str | None:
        record = self.sources.get(source)
        return record.authors[0] if record and record.authors else None

    def text(self, source: str) -> SourceText | None:
        """None: a seed source's text is the one the planner read from its text_file."""
        return None

    def segment_id(self, source: str, ordinal: int) -> uuid.UUID:
        return derived_id("source_segment", source, ordinal)

    def readings(self, edge: Edge) -> list[tuple[Row, str]]:
        """None: the seed's relationships are all in its own plan."""
        return []


class Planner:
    """The rows of one record after another, each checked; `plan` collects them.

    `origin` marks every row written (`seed`, `api`); `refusal` is the error raised.
    """

    def __init__(
        self,
        vocabularies: Vocabularies,
        known: Known,
        *,
        origin: str = "seed",
        refusal: type[RecordError] = SeedError,
    ) -> None:
        self.vocabularies = vocabularies
        self.known = known
        self.origin = origin
        self.refusal = refusal
        self.plan = Plan()
        # The texts of the sources planned here, for the claims that quote them.
        self.texts: dict[str, SourceText] = {}
        # What the database would refuse across entries, found here so the message can
        # name the entries: an external id on two actors, relationships that overlap.
        self.external_id_owners: dict[tuple[str, str], str] = {}
        self.readings: dict[Edge, list[tuple[Row, str]]] = defaultdict(list)
        self._where = ""

    # -- checks -------------------------------------------------------------------------

    def _fail(self, field_name: str, message: str, *, problem: str | None = None) -> RecordError:
        return self.refusal(f"{self._where}: field {field_name!r}: {message}", problem=problem)

    def code(self, vocabulary: str, field_name: str, value: str) -> str:
        known = self.vocabularies.codes[vocabulary]
        if value not in known:
            raise self._fail(
                field_name,
                f"unknown {VOCABULARIES[vocabulary]} {value!r} (known: {', '.join(sorted(known))})",
                problem="unknown-code",
            )
        return value

    def ref(self, kind: str, field_name: str, key: str | None) -> uuid.UUID | None:
        if key is None:
            return None
        found = self.known.id_of(kind, key)
        if found is None:
            raise self._fail(field_name, f"unknown {kind} key {key!r}", problem="unknown-key")
        return found

    def required_ref(self, kind: str, field_name: str, key: str) -> uuid.UUID:
        found = self.ref(kind, field_name, key)
        assert found is not None
        return found

    def outside_reference(self, field_name: str, value: str | None) -> str | None:
        """A reference a reader can check and filter on, never free text."""
        if value is None:
            return None
        if not re.match(REFERENCE_PATTERN, value):
            raise self._fail(
                field_name,
                f"{value!r} is not a reference anyone can check: write wikidata:Q<item>, optionally"
                " #P<property>, or source:<source key>, optionally #<record>, for a source row (the"
                " curators' background knowledge is one)",
            )
        if value.startswith("source:"):
            self.ref("source", field_name, value.removeprefix("source:").split("#", 1)[0])
        return value

    def known_as_of(self, items: list[Evidence]) -> tuple[str, PreciseDate] | None:
        """The latest publication among the sources of the claims cited: what the row
        rests on was known by then. None when a cited source has no date."""
        latest: tuple[str, PreciseDate] | None = None
        for item in items:
            claim = self.known.claim(item.claim)
            published = self.known.published(claim.source) if claim else None
            if claim is None or published is None:
                return None
            if latest is None or published.value > latest[1].value:
                latest = (claim.source, published)
        return latest

    def stated_before_publication(
        self, record: Dated, basis: str, evidence: list[Evidence]
    ) -> None:
        """A source states nothing dated after its publication: a later date is outside
        knowledge (date_basis external, with a reference)."""
        date_basis = record.date_basis or basis
        known = self.known_as_of(evidence)
        if known is None or date_basis == "external":
            return
        source, published = known
        for field_name, value in (("start", record.start), ("end", record.end)):
            if value is not None and value.value > published.value:
                raise self._fail(
                    field_name,
                    f"{value} is after {source!r} was published ({published}), so the source"
                    f" cannot state it (date_basis {date_basis});"
                    " a later date is outside knowledge: date_basis external, with a"
                    " date_basis_ref",
                )

    def supporting_claims(
        self, basis: str, evidence: list[Evidence], field_name: str = "evidence"
    ) -> list[ClaimFacts]:
        """The claims cited in support of a row (stance 'supports'): an event, a
        relationship, a participant, a quantity or a materiel link. A row resting on claims
        needs one: a claim that disputes or qualifies it is no evidence that it holds, and
        the row would state more than its sources do. Outside knowledge (basis external)
        rests on its reference instead."""
        supporting = [
            claim
            for item in evidence
            if item.stance == "supports" and (claim := self.known.claim(item.claim)) is not None
        ]
        if not supporting and basis != "external":
            raise self._fail(
                field_name, "no claim supports it (stance 'supports')", problem="no-evidence"
            )
        return supporting

    def not_stronger_than_claims(self, certainty: str, record: RelationshipRecord) -> None:
        """The database's overstated_relationship view: a relationship resting on claims is
        no surer than the strongest that supports it; outside knowledge rests on its
        reference instead."""
        supporting = self.supporting_claims(record.basis, record.evidence)
        ranks = self.vocabularies.certainty_rank
        ranked = sorted(
            (ranks[claim.certainty], claim.certainty, claim.key)
            for claim in supporting
            if claim.certainty in ranks
        )
        if record.basis != "external" and ranked and ranks[certainty] < ranked[0][0]:
            _, best, claim_key = ranked[0]
            raise self._fail(
                "certainty",
                f"{certainty!r} is stronger than the strongest claim it cites ({best!r}:"
                f" {claim_key!r}); a relationship is no surer than its evidence",
                problem="overstated",
            )

    def grounds(self, record: Grounded, prefix: str) -> Row:
        return {
            "basis": self.code("basis", f"{prefix}basis", record.basis),
            "basis_ref": self.outside_reference(f"{prefix}basis_ref", record.basis_ref),
        }

    def add(self, table_name: str, row: Row) -> None:
        rows = self.plan.rows[table_name]
        row_identity = identity(table_name, row)
        if row_identity in rows:
            raise self.refusal(
                f"{self._where}: the same {table_name.replace('_', ' ')} is listed twice"
            )
        rows[row_identity] = row

    def at(self, where: str) -> None:
        """Name the record the next checks are about, for their messages."""
        self._where = where

    # -- rows -------------------------------------------------------------------------

    def provenance(self, record: Grounded) -> Row:
        return {**self.grounds(record, ""), "origin": self.origin}

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
            "date_basis_ref": (
                self.outside_reference("date_basis_ref", record.date_basis_ref)
                if has_dates
                else None
            ),
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

    def source(self, record: SourceFields, text: str | None) -> None:
        """A source, and its text (if any) as segments, split as every writer splits it."""
        source_id = derived_id("source", record.key)
        digest = None
        if text is not None:
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
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
                **self.provenance(record),
            },
        )
        for position, author in enumerate(record.authors, start=1):
            if author in record.authors[: position - 1]:
                raise self._fail(f"authors[{position - 1}]", f"actor {author!r} is listed twice")
            self.add(
                "source_author",
                {
                    "source_id": source_id,
                    "position": position,
                    "actor_id": self.required_ref("actor", f"authors[{position - 1}]", author),
                },
            )
        for index, cited in enumerate(record.cites):
            self.add(
                "source_citation",
                {
                    "citing_source_id": source_id,
                    "cited_source_id": self.required_ref("source", f"cites[{index}]", cited),
                },
            )

    def _text(self, source: str) -> SourceText | None:
        return self.texts.get(source) or self.known.text(source)

    def _ungrounded(self, source: str, grounding: str, *, has_text: bool) -> RecordError:
        """A claim grounded as the source does not allow (see grounding.allowed_groundings)."""
        message = grounding_refused(
            source, self.known.source_kind(source) or "", has_text=has_text, grounding=grounding
        )
        problem = "no-text" if grounding == QUOTE else "not-a-dataset"
        return self._fail("source", message, problem=problem)

    def quoted(self, source: str, quote: str, occurrence: int | None) -> Row:
        """A quote's grounding: found in its source's text by the rules every writer uses."""
        self.required_ref("source", "source", source)
        source_text = self._text(source)
        if source_text is None:
            raise self._ungrounded(source, QUOTE, has_text=False)
        try:
            span = locate_quote(source_text.text, source_text.segments, quote, occurrence)
        except QuoteNotFoundError as error:
            raise self._fail("quote", str(error), problem="quote-not-found") from None
        return {
            "segment_id": self.known.segment_id(source, span.segment.ordinal),
            "span_start": span.start,
            "span_end": span.end,
            "quote": quote,
        }

    def recorded(self, source: str, record: Row) -> Row:
        """A dataset record's grounding (`record_id`, `record_field`, `record_data`): only a
        dataset's claims rest on one."""
        self.required_ref("source", "source", source)
        if self.known.source_kind(source) != DATASET_KIND:
            raise self._ungrounded(source, RECORD, has_text=self._text(source) is not None)
        return record

    def claim(self, record: ClaimFields, grounding: Row) -> None:
        """A claim with its grounding (`quoted`, or a dataset record's columns)."""
        claim_id = derived_id("claim", record.key)
        source_id = self.required_ref("source", "source", record.source)
        claimant = record.claimant or self.known.first_author(record.source)
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
                **grounding,
                "origin": self.origin,
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
            # A link has no basis of its own: it rests on its claims.
            self.supporting_claims("source_text", link.evidence, f"materiel[{index}].evidence")

    def event(self, record: EventRecord) -> None:
        event_id = derived_id("event", record.key)
        if record.parent == record.key:
            raise self._fail("parent", "an event cannot be its own parent")
        self.stated_before_publication(record, record.basis, record.evidence)
        self.seen_as_it_happened(record)
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
                **self.provenance(record),
            },
        )
        self.evidence("event_evidence", "event_id", event_id, record.evidence, "evidence")
        self.supporting_claims(record.basis, record.evidence)
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
                    **self.grounds(participant, f"participants[{index}]."),
                },
            )
            self.evidence(
                "event_participant_evidence",
                "participant_id",
                participant_id,
                participant.evidence,
                f"participants[{index}].evidence",
            )
            self.supporting_claims(
                participant.basis, participant.evidence, f"participants[{index}].evidence"
            )
        for index, quantity in enumerate(record.quantities):
            quantity_id = derived_id("event_quantity", record.key, quantity.kind, quantity.counted)
            self.add(
                "event_quantity",
                {
                    "id": quantity_id,
                    "event_id": event_id,
                    "kind": self.code("quantity_kind", f"quantities[{index}].kind", quantity.kind),
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
                    **self.grounds(quantity, f"quantities[{index}]."),
                },
            )
            self.evidence(
                "event_quantity_evidence",
                "quantity_id",
                quantity_id,
                quantity.evidence,
                f"quantities[{index}].evidence",
            )
            self.supporting_claims(
                quantity.basis, quantity.evidence, f"quantities[{index}].evidence"
            )
        self.materiel_links("event_materiel", "event_id", record.key, event_id, record.materiel)

    def seen_as_it_happened(self, record: EventRecord) -> None:
        """An event its sources report as having happened began before they were published."""
        known = self.known_as_of(record.evidence)
        if known is None or record.start is None or record.factuality not in OCCURRED:
            return
        source, published = known
        if record.start.value > published.value:
            raise self._fail(
                "factuality",
                f"{record.factuality!r}, but it starts {record.start}, after {source!r} was"
                f" published ({published}): as the source saw it, it is 'expected'",
            )

    def within_parent(self, child: Dated, parent: Dated, parent_key: str) -> None:
        """The database's rule (event_nesting_problem): a part's interval can lie within its
        whole's, given each end's precision."""
        starts, ends = parent.start, None if parent.ongoing else parent.end
        outside = (
            (starts is not None and child.start is not None and child.start.upper() <= starts.value)
            or (starts is not None and child.end is not None and child.end.upper() <= starts.value)
            or (ends is not None and child.start is not None and child.start.value >= ends.upper())
            or (ends is not None and child.end is not None and child.end.value >= ends.upper())
            or (child.ongoing and ends is not None)
        )
        if outside:
            raise self._fail(
                "parent",
                f"{_period(child)} does not lie within parent {parent_key!r} ({_period(parent)})",
            )

    def relationship(self, record: RelationshipRecord) -> None:
        relationship_id = derived_id("relationship", record.key)
        relationship_type = self.code("relationship_type", "type", record.type)
        subject_id = self.required_ref("actor", "subject", record.subject)
        object_id = self.required_ref("actor", "object", record.object)
        if relationship_type in self.vocabularies.symmetric_types and subject_id > object_id:
            subject_id, object_id = object_id, subject_id
        interval = self.interval(record, record.basis)
        self.stated_before_publication(record, record.basis, record.evidence)
        certainty = self.code("certainty", "certainty", record.certainty)
        self.not_stronger_than_claims(certainty, record)
        edge = (subject_id, relationship_type, object_id)
        for other, other_key in [*self.readings[edge], *self.known.readings(edge)]:
            if other_key != record.key and _overlap(interval, other):
                raise self._fail(
                    "start",
                    f"overlaps relationship {other_key!r} with the same actors and type;"
                    " one relationship row is one reading of an edge",
                    problem="conflict",
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
                "certainty": certainty,
                **interval,
                **self.provenance(record),
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


class SeedPlanner(Planner):
    """The whole seed, file by file, with each entry named by its file in messages."""

    def __init__(self, files: SeedFiles, vocabularies: Vocabularies) -> None:
        super().__init__(vocabularies, SeedKnown(files))
        self.files = files

    def entry(self, file_name: str, key: str) -> str:
        return f"{self.files.directory / file_name}: entry {key!r}"

    def sources(self) -> None:
        for record in self.files.sources:
            self.at(self.entry("sources.yaml", record.key))
            text = None
            if record.text_file is not None:
                path = self.files.directory / record.text_file
                if not path.is_file():
                    raise self._fail("text_file", f"file not found: {path}")
                try:
                    text = path.read_bytes().decode("utf-8")
                except UnicodeDecodeError as error:
                    raise self._fail("text_file", f"{path} is not UTF-8: {error}") from None
            self.source(record, text)

    def actors(self) -> None:
        for record in self.files.actors:
            self.at(self.entry("actors.yaml", record.key))
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
                    **self.provenance(record),
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
                        "origin": self.origin,
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
                        "origin": self.origin,
                    },
                )

    def places(self) -> None:
        for record in self.files.places:
            self.at(self.entry("places.yaml", record.key))
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
                    **self.provenance(record),
                },
            )

    def materiel(self) -> None:
        for record in self.files.materiel:
            self.at(self.entry("materiel.yaml", record.key))
            self.add(
                "materiel",
                {
                    "id": derived_id("materiel", record.key),
                    "key": record.key,
                    "name": record.name,
                    "category": self.code("materiel_category", "category", record.category),
                    "producer_id": self.ref("actor", "producer", record.producer),
                    "description": record.description,
                    **self.provenance(record),
                },
            )

    def claims(self) -> None:
        for record in self.files.claims:
            self.at(self.entry("claims.yaml", record.key))
            self.claim(record, self.quoted(record.source, record.quote, record.occurrence))

    def events(self) -> None:
        for record in self.files.events:
            self.at(self.entry("events.yaml", record.key))
            self.event(record)
        events = {record.key: record for record in self.files.events}
        for record in self.files.events:
            if record.parent is not None:
                self.at(self.entry("events.yaml", record.key))
                self.within_parent(record, events[record.parent], record.parent)

    def relationships(self) -> None:
        for record in self.files.relationships:
            self.at(self.entry("relationships.yaml", record.key))
            self.relationship(record)


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


def _period(record: Dated) -> str:
    start = str(record.start) if record.start else "?"
    end = "ongoing" if record.ongoing else str(record.end) if record.end else "?"
    return f"{start} to {end}"


def _date_columns(prefix: str, value: PreciseDate | None) -> Row:
    return {
        f"{prefix}_date": value.value if value else None,
        f"{prefix}_precision": value.precision if value else None,
    }


def build_plan(files: SeedFiles, vocabularies: Vocabularies) -> Plan:
    """Check every record against the vocabularies, each other and the source texts."""
    planner = SeedPlanner(files, vocabularies)
    planner.sources()
    planner.actors()
    planner.places()
    planner.materiel()
    planner.claims()
    planner.events()
    planner.relationships()
    return planner.plan
