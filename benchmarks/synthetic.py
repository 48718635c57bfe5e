"""Synthetic nexusdb data at any scale, loaded with COPY into a database migrated to head.

DESIGN.md states its query targets at 1M events / 1M relationships / 2M claims with hub
actors included, far beyond the 60-claim seed. This module makes such a data set
deterministically (one seeded RNG) and shaped like the real thing:

- actors: a dozen hubs (states, Hezbollah, NATO, ...) that take `hub_share` of all edge
  and participant ends, a heavy-tailed rest, aliases, and anonymous claimants scoped to
  the source that mentions them;
- sources of English-like paragraphs (Zipf-distributed vocabulary, actor names, accents
  and curly apostrophes, so offsets are code points and not bytes);
- events with participants, and typed relationships whose intervals never overlap for
  the same subject, type and object (symmetric types stored canonically);
- two claims per event (one for the event, one for a relationship), each quoting its
  paragraph verbatim at its span, so the database's quote check passes; evidence links
  for every event, relationship and participation, and the actors each claim is about.

Everything is written in batches, table by table in foreign-key order, so memory stays
flat at any scale. The load is a bulk load, as docs/scaling.md describes: before it,
the loaded tables' foreign keys and plain secondary indexes are dropped and their user
triggers (quote check, symmetric direction, read summaries) disabled; COPY then writes
rows with only keys, unique and exclusion constraints, CHECKs and generated columns at
work; afterwards the indexes are rebuilt, every foreign key is re-added and validated
(one anti-join each), the quote and symmetry rules are checked set-based, and the read
summaries are rebuilt in one pass. Everything the schema enforces is checked by the end.
"""

import hashlib
import itertools
import random
import re
import time
import unicodedata
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import psycopg
from psycopg import sql
from rich.table import Table

from benchmarks.common import progress, rate, results
from nexusdb.db import bulk
from nexusdb.db.bulk import Deferred

ORIGIN = "import:synthetic"
# Curly, as real articles write it: one character, three bytes in UTF-8.
APOSTROPHE = "\N{RIGHT SINGLE QUOTATION MARK}"
BATCH_EVENTS = 10_000

Row = tuple[Any, ...]


def weighted(pairs: Sequence[tuple[str, int]]) -> tuple[list[str], list[int]]:
    """Values and cumulative weights, the form random.choices is fastest with."""
    return [value for value, _ in pairs], list(itertools.accumulate(w for _, w in pairs))


# key, kind, name, ISO 3166 alpha-3, aliases. Real names, so lookups read like real ones.
HUBS: list[tuple[str, str, str, str | None, tuple[str, ...]]] = [
    ("united-states", "state", "United States", "USA", ("USA", "United States of America")),
    ("russia", "state", "Russia", "RUS", ("Russian Federation",)),
    ("iran", "state", "Iran", "IRN", ("Islamic Republic of Iran",)),
    ("israel", "state", "Israel", "ISR", ("State of Israel",)),
    ("china", "state", "China", "CHN", (f"People{APOSTROPHE}s Republic of China", "PRC")),
    ("ukraine", "state", "Ukraine", "UKR", ()),
    ("hezbollah", "armed_group", "Hezbollah", None, ("Hizbullah", "Hizballah")),
    ("turkiye", "state", "Türkiye", "TUR", ("Turkey",)),
    ("saudi-arabia", "state", "Saudi Arabia", "SAU", ("Kingdom of Saudi Arabia", "KSA")),
    ("hamas", "armed_group", "Hamas", None, ("Harakat al-Muqawama al-Islamiya",)),
    ("european-union", "bloc", "European Union", None, ("EU",)),
    ("nato", "alliance", "NATO", None, ("North Atlantic Treaty Organization",)),
]

# Named actors that are not hubs, by kind, and how each kind's names are made.
KIND_WEIGHTS: dict[str, int] = {
    "person": 45,
    "organization": 12,
    "armed_group": 9,
    "political_party": 7,
    "media_outlet": 8,
    "government": 5,
    "military": 7,
    "state": 3,
    "coalition": 2,
    "population_group": 2,
}
NAME_PATTERNS: dict[str, tuple[str, ...]] = {
    "organization": ("{} Institute", "{} Petroleum Company", "{} Foundation", "{} Holdings"),
    "armed_group": ("{} Liberation Front", "{} Brigades", "Army of {}", "{} Resistance"),
    "political_party": (f"{{}} People{APOSTROPHE}s Party", "Party of {}", "{} Democratic Union"),
    "media_outlet": ("The {} Times", "{} Daily", "{} News Agency", "{} Television"),
    "government": ("{} administration", "Government of {}"),
    "military": ("{} Armed Forces", "{} Navy", "{} Air Force"),
    "state": ("Republic of {}", "{}"),
    "coalition": ("{} Axis", "{} Alliance"),
    "population_group": ("{} citizens", "{} refugees"),
}
SYLLABLES = (  # noqa: SIM905 (a word list reads best as prose)
    "ka ra vo ni sha tel mar dun is ob lor zen ba qu fir ost el mir gal ter und esh "
    "sa ho li ven dar ku pol ta nes rim yu ga bel tor an sor mek hal"
).split()
ACCENTED = {"e": "é", "o": "ö", "u": "ü", "a": "á", "s": "ş"}
ANONYMOUS = (
    ("person", "an official"),
    ("person", "a senior diplomat"),
    ("analyst_group", "analysts"),
    ("person", "a military source"),
)

FUNCTION_WORDS = (  # noqa: SIM905 (a word list reads best as prose)
    "the of and to in a that is for on with as by its has was will from at but not "
    "this which their after over while against since under between both more than"
).split()
# Topic words, most frequent first; a Zipf law over this order shapes the corpus.
CONTENT_WORDS = (  # noqa: SIM905 (a word list reads best as prose)
    "military government security forces officials minister president war attack "
    "support sanctions talks border region missile agreement troops foreign defence "
    "drone strike ceasefire oil nuclear deal aid economic weapons report ministry "
    "army crisis conflict election leaders regional influence pressure negotiations "
    "supply intelligence strategic administration policy operations allies alliance "
    "embassy diplomatic proxy militia navy shipping port pipeline gas refinery "
    "exports imports tariffs currency inflation protest opposition parliament "
    "coalition campaign vote referendum court verdict prisoner hostage exchange envoy "
    "summit communique treaty withdrawal escalation deterrence retaliation airstrike "
    "artillery shelling convoy humanitarian corridor refugees displaced casualties "
    "civilians hospital reconstruction loan investment infrastructure railway "
    "corridor satellite cyber surveillance espionage defector sabotage blockade "
    "smuggling cartel insurgency jihadist assassination commander general colonel "
    "battalion brigade garrison frontline offensive counteroffensive annexation "
    "occupation sovereignty territorial maritime strait archipelago enclave uranium "
    "enrichment centrifuge inspectors warhead ballistic hypersonic interceptor radar "
    "frigate submarine drills mobilisation conscription mercenaries paramilitary "
    "arsenal stockpile procurement contractor memorandum consultation mediation "
    "arbitration moratorium embargo quota subsidy"
).split()
VERBS = (
    "said",
    "warned",
    "announced",
    "denied",
    "confirmed",
    "accused",
    "reported",
    "claimed",
)
EVENT_PHRASES: dict[str, str] = {
    "armed_attack": "armed attack",
    "missile_strike": "missile strike",
    "sanctions": "sanctions",
    "agreement": "agreement",
    "negotiation": "talks",
    "diplomatic_statement": "statement",
    "arms_transfer": "arms transfer",
    "military_aid": "military aid",
    "assassination": "assassination",
    "cyberattack": "cyberattack",
    "maritime_attack": "attack on shipping",
    "ceasefire": "ceasefire",
}
RELATIONSHIP_TYPES: dict[str, bool] = {
    "supplies_arms_to": False,
    "provides_military_support_to": False,
    "provides_financial_aid_to": False,
    "sponsors": False,
    "supports": False,
    "member_of": False,
    "affiliated_with": False,
    "sanctions": False,
    "threatens": False,
    "opposes": False,
    "at_war_with": True,
    "allied_with": True,
    "cooperates_with": True,
    "rival_of": True,
}
ROLES = ("initiator", "target", "supporter", "victim", "mediator", "beneficiary")
CLAIM_KINDS = weighted((("fact", 60), ("assessment", 20), ("quotation", 12), ("prediction", 8)))
CERTAINTIES = weighted((("asserted", 60), ("probable", 25), ("possible", 12), ("speculative", 3)))
CREDIBILITIES = weighted((("1", 5), ("2", 30), ("3", 30), ("4", 10), ("5", 5), ("6", 20)))
RELIABILITIES = weighted((("A", 5), ("B", 30), ("C", 35), ("D", 10), ("E", 5), ("F", 15)))

# COPY column lists, in the order tables are loaded (foreign keys first).
COLUMNS: dict[str, tuple[str, ...]] = {
    "actor": (
        "id",
        "key",
        "kind",
        "name",
        "description",
        "country_code",
        "is_anonymous",
        "scope_source_id",
        "origin",
    ),
    "actor_alias": ("id", "actor_id", "name", "language", "kind"),
    "actor_external_id": ("id", "actor_id", "scheme", "value"),
    "source": (
        "id",
        "key",
        "kind",
        "title",
        "url",
        "publisher_id",
        "published_date",
        "published_precision",
        "retrieved_at",
        "language",
        "content_sha256",
        "reliability",
        "origin",
    ),
    "source_author": ("source_id", "position", "actor_id"),
    "source_segment": (
        ("id", "source_id", "ordinal", "kind", "start_offset", "end_offset", "text", "language")
    ),
    "event": (
        "id",
        "key",
        "event_type",
        "title",
        "summary",
        "factuality",
        "start_date",
        "start_precision",
        "end_date",
        "end_precision",
        "is_ongoing",
        "date_basis",
        "origin",
    ),
    "event_participant": ("id", "event_id", "actor_id", "role"),
    "relationship": (
        "id",
        "key",
        "subject_id",
        "relationship_type",
        "object_id",
        "start_date",
        "start_precision",
        "end_date",
        "end_precision",
        "is_ongoing",
        "date_basis",
        "origin",
    ),
    "claim": (
        "id",
        "key",
        "source_id",
        "claimant_id",
        "kind",
        "certainty",
        "polarity",
        "credibility",
        "text",
        "segment_id",
        "span_start",
        "span_end",
        "quote",
        "origin",
    ),
    "event_evidence": ("event_id", "claim_id", "stance"),
    "relationship_evidence": ("relationship_id", "claim_id", "stance"),
    "event_participant_evidence": ("participant_id", "claim_id", "stance"),
    "claim_actor": ("claim_id", "actor_id"),
}


@dataclass(frozen=True)
class Scale:
    """How much to make: relationships = events, claims = 2 x events."""

    events: int
    hub_share: float = 0.1
    seed: int = 20241121

    @property
    def actors(self) -> int:
        return max(500, self.events // 10)


@dataclass
class Actor:
    id: uuid.UUID
    key: str
    name: str
    kind: str


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass(frozen=True)
class ClaimSpec:
    """A claim before its paragraph exists: what it says, whom it names, what it backs."""

    text: str
    about: list[int]
    mentions: list[str]
    fact_kind: str
    fact_id: uuid.UUID
    participant_ids: list[uuid.UUID]


@dataclass
class Generator:
    """Makes every row from one seeded RNG: the same scale and seed give the same data."""

    scale: Scale
    rng: random.Random = field(init=False)
    actors: list[Actor] = field(init=False, default_factory=list)
    authors: list[Actor] = field(init=False, default_factory=list)
    publishers: list[Actor] = field(init=False, default_factory=list)
    pick_weights: list[float] = field(init=False, default_factory=list)
    triples: Counter[tuple[int, str, int]] = field(init=False, default_factory=Counter)
    counters: Counter[str] = field(init=False, default_factory=Counter)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.scale.seed)
        ranks = range(1, len(CONTENT_WORDS) + 1)
        self.content_cum = list(itertools.accumulate(1 / r**0.9 for r in ranks))

    def choose(self, options: tuple[list[str], list[int]]) -> str:
        return self.rng.choices(options[0], cum_weights=options[1])[0]

    def new_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def next_key(self, prefix: str) -> str:
        self.counters[prefix] += 1
        return f"{prefix}-{self.counters[prefix]}"

    # -- words ---------------------------------------------------------------------

    def word(self) -> str:
        text = "".join(self.rng.choices(SYLLABLES, k=self.rng.randint(2, 3)))
        if self.rng.random() < 0.15:
            position = self.rng.randrange(len(text))
            text = (
                text[:position]
                + ACCENTED.get(text[position], text[position])
                + text[position + 1 :]
            )
        return text.capitalize()

    def sentence(self, mentions: Sequence[str] = ()) -> str:
        count = self.rng.randint(5, 11)
        content = self.rng.choices(CONTENT_WORDS, cum_weights=self.content_cum, k=count)
        filler = self.rng.choices(FUNCTION_WORDS, k=count)
        words = [w for pair in zip(filler, content, strict=True) for w in pair]
        for mention in mentions:
            words.insert(self.rng.randrange(len(words) + 1), mention)
        if mentions and self.rng.random() < 0.5:
            words.insert(1, self.rng.choice(VERBS))
        if self.rng.random() < 0.1:
            words.insert(self.rng.randrange(len(words)), f"the region{APOSTROPHE}s")
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    # -- actors --------------------------------------------------------------------

    def make_actors(self) -> dict[str, list[Row]]:
        """Hubs first, then the named tail; the weights give hubs `hub_share` of all picks."""
        rows: dict[str, list[Row]] = {"actor": [], "actor_alias": [], "actor_external_id": []}
        for key, kind, name, country, aliases in HUBS:
            actor = Actor(self.new_id(), key, name, kind)
            self.actors.append(actor)
            rows["actor"].append(
                (actor.id, key, kind, name, f"Synthetic hub: {name}.", country, False, None, ORIGIN)
            )
            for alias in aliases:
                kind_of_alias = "abbreviation" if alias.isupper() else "alternative"
                rows["actor_alias"].append((self.new_id(), actor.id, alias, "en", kind_of_alias))
            if country:
                rows["actor_external_id"].append(
                    (self.new_id(), actor.id, "iso3166_alpha3", country)
                )
        kinds, kind_cum = weighted(list(KIND_WEIGHTS.items()))
        for _ in range(self.scale.actors - len(HUBS)):
            kind = self.rng.choices(kinds, cum_weights=kind_cum)[0]
            if kind == "person":
                name = f"{self.word()} {self.word()}"
            else:
                name = self.rng.choice(NAME_PATTERNS[kind]).format(self.word())
            actor = Actor(self.new_id(), self.next_key(slug(name)), name, kind)
            self.actors.append(actor)
            country = "".join(self.rng.choices("ABCDEFGHIJKLMNOPRSTUVYZ", k=3))
            rows["actor"].append(
                (actor.id, actor.key, kind, name, None, country, False, None, ORIGIN)
            )
            if self.rng.random() < 0.3:
                alias = "".join(w[0] for w in name.split()).upper() if " " in name else name.lower()
                rows["actor_alias"].append((self.new_id(), actor.id, alias, "en", "abbreviation"))
            if kind == "media_outlet":
                self.publishers.append(actor)
            elif kind == "person" and self.rng.random() < 0.1:
                self.authors.append(actor)
        hub_weight = [1 / rank for rank in range(1, len(HUBS) + 1)]
        # Past the hubs the degree falls off slowly (a power law, flattened at its head
        # so that the named hubs stay the most connected actors at every scale).
        tail = range(1, len(self.actors) - len(HUBS) + 1)
        tail_weight = [1 / (rank + 100) ** 0.8 for rank in tail]
        hub_scale = self.scale.hub_share / (1 - self.scale.hub_share) * sum(tail_weight)
        hub_scale /= sum(hub_weight)
        self.pick_weights = list(
            itertools.accumulate([w * hub_scale for w in hub_weight] + tail_weight)
        )
        return rows

    def pick(self, count: int) -> list[int]:
        """`count` distinct actor indexes, hubs `hub_share` of the time."""
        chosen: list[int] = []
        while len(chosen) < count:
            index = self.rng.choices(range(len(self.actors)), cum_weights=self.pick_weights)[0]
            if index not in chosen:
                chosen.append(index)
        return chosen

    # -- one batch of events, relationships, claims and their sources ---------------

    def random_date(self, first_year: int = 1990) -> tuple[date, str]:
        """A date as precise as it is known, stored as its period's first day."""
        year = self.rng.randint(first_year, 2025)
        precision = self.rng.choices(("day", "month", "year"), cum_weights=(70, 90, 100))[0]
        if precision == "year":
            return date(year, 1, 1), precision
        month = self.rng.randint(1, 12)
        if precision == "month":
            return date(year, month, 1), precision
        return date(year, month, self.rng.randint(1, 28)), precision

    def later_date(self, start: date, precision: str) -> date:
        """An end in the same precision, on or after `start`, aligned to its period."""
        year = min(2025, start.year + self.rng.randint(0, 5))
        if precision == "year":
            return date(year, 1, 1)
        month = start.month if year == start.year else self.rng.randint(1, 12)
        if precision == "month":
            return date(year, month, 1)
        day = self.rng.randint(start.day, 28) if (year, month) == (start.year, start.month) else 1
        return date(year, month, day)

    def relationship(self) -> tuple[Row, int, int]:
        """One edge, with an interval that overlaps no other for its subject, type and object."""
        while True:
            subject, target = self.pick(2)
            kind = self.rng.choice(list(RELATIONSHIP_TYPES))
            if RELATIONSHIP_TYPES[kind] and self.actors[subject].id > self.actors[target].id:
                subject, target = target, subject
            occurrence = self.triples[(subject, kind, target)]
            if occurrence < 1000:
                break
        self.triples[(subject, kind, target)] += 1
        if occurrence == 0:
            start, precision = self.random_date()
            ongoing = self.rng.random() < 0.4
            end = None if ongoing or self.rng.random() < 0.3 else self.later_date(start, precision)
        else:
            # A repeated edge is an earlier spell: one month, two months after the last,
            # all before 1990, where every first spell starts.
            months = 1800 * 12 + 2 * (occurrence - 1)
            start = end = date(months // 12, months % 12 + 1, 1)
            precision, ongoing = "month", False
        row = (
            self.new_id(), self.next_key("syn-rel"), self.actors[subject].id, kind,
            self.actors[target].id, start, precision, end, precision if end else None,
            ongoing, "source_text", ORIGIN,
        )  # fmt: skip
        return row, subject, target

    def batch(self, count: int) -> dict[str, list[Row]]:
        """`count` events and relationships, `2 * count` claims, and the text they quote."""
        rows: dict[str, list[Row]] = {table: [] for table in BATCH_ORDER}
        claims: list[ClaimSpec] = []
        for _ in range(count):
            event_id = self.new_id()
            size = self.rng.choices((1, 2, 3, 4), cum_weights=(15, 70, 90, 100))[0]
            participants = self.pick(size)
            names = [self.actors[i].name for i in participants]
            event_type = self.rng.choice(list(EVENT_PHRASES))
            title = f"{EVENT_PHRASES[event_type].capitalize()} by {names[0]}"
            if len(names) > 1:
                title += f" against {names[1]}"
            start, precision = self.random_date()
            ongoing = self.rng.random() < 0.05
            end = None if ongoing or self.rng.random() < 0.7 else self.later_date(start, precision)
            factuality = "ongoing" if ongoing else self.rng.choice(FACTUALITIES)
            rows["event"].append(
                (
                    event_id, self.next_key("syn-ev"), event_type, title, self.sentence(names),
                    factuality, start, precision, end, precision if end else None, ongoing,
                    "source_text", ORIGIN,
                )
            )  # fmt: skip
            roles = ("initiator", "target", *self.rng.sample(ROLES[2:], 2))
            participant_ids = []
            for index, role in zip(participants, roles, strict=False):
                participant_ids.append(self.new_id())
                rows["event_participant"].append(
                    (participant_ids[-1], event_id, self.actors[index].id, role)
                )
            claims.append(ClaimSpec(title, participants, names, "event", event_id, participant_ids))
        for _ in range(count):
            row, subject, target = self.relationship()
            rows["relationship"].append(row)
            names = [self.actors[subject].name, self.actors[target].name]
            text = f"{names[0]} {str(row[3]).replace('_', ' ')} {names[1]}"
            claims.append(ClaimSpec(text, [subject, target], names, "relationship", row[0], []))
        self.rng.shuffle(claims)
        self.write_sources(claims, rows)
        return rows

    def write_sources(self, claims: list[ClaimSpec], rows: dict[str, list[Row]]) -> None:
        """Sources of 6-14 paragraphs, each quoted by 2-6 claims, with the claims and links."""
        taken = 0
        while taken < len(claims):
            source_id = self.new_id()
            author = self.rng.choice(self.authors)
            anonymous: Actor | None = None
            paragraphs: list[str] = []
            offset = 0
            for ordinal in range(self.rng.randint(6, 14)):
                group = claims[taken : taken + self.rng.randint(2, 6)]
                taken += len(group)
                sentences: list[tuple[str, ClaimSpec | None]] = [
                    (self.sentence(spec.mentions), spec) for spec in group
                ]
                sentences += [(self.sentence(), None) for _ in range(self.rng.randint(1, 3))]
                self.rng.shuffle(sentences)
                text = " ".join(sentence for sentence, _ in sentences)
                segment_id = self.new_id()
                rows["source_segment"].append(
                    (segment_id, source_id, ordinal, "paragraph", offset, offset + len(text),
                     text, "en")
                )  # fmt: skip
                position = offset
                for sentence, spec in sentences:
                    if spec is not None:
                        roll = self.rng.random()
                        if roll < 0.6:
                            claimant = author.id
                        elif roll < 0.85:
                            claimant = self.actors[self.rng.choice(spec.about)].id
                        else:
                            if anonymous is None:
                                anonymous = self.anonymous(source_id, rows)
                            claimant = anonymous.id
                        self.write_claim(
                            spec, source_id, claimant, segment_id, position, sentence, rows
                        )
                    position += len(sentence) + 1
                paragraphs.append(text)
                offset += len(text) + 2  # paragraphs are separated by a blank line
                if taken >= len(claims):
                    break
            content = "\n\n".join(paragraphs)
            published = date(
                self.rng.randint(2000, 2025), self.rng.randint(1, 12), self.rng.randint(1, 28)
            )
            key = self.next_key("syn-src")
            rows["source"].append(
                (
                    source_id, key, self.rng.choice(("article", "news_report", "report")),
                    f"{self.word()} {self.rng.choice(CONTENT_WORDS)} {self.rng.choice(TITLES)}",
                    f"https://example.org/{key}", self.rng.choice(self.publishers).id,
                    published, "day", RETRIEVED, "en",
                    hashlib.sha256(content.encode()).hexdigest(),
                    self.choose(RELIABILITIES), ORIGIN,
                )
            )  # fmt: skip
            rows["source_author"].append((source_id, 1, author.id))

    def anonymous(self, source_id: uuid.UUID, rows: dict[str, list[Row]]) -> Actor:
        """An unnamed claimant, scoped to the one source that mentions it."""
        kind, name = self.rng.choice(ANONYMOUS)
        actor = Actor(self.new_id(), self.next_key("syn-anon"), name, kind)
        rows["actor"].append((actor.id, actor.key, kind, name, None, None, True, source_id, ORIGIN))
        return actor

    def write_claim(
        self,
        spec: ClaimSpec,
        source_id: uuid.UUID,
        claimant: uuid.UUID,
        segment_id: uuid.UUID,
        span_start: int,
        quote: str,
        rows: dict[str, list[Row]],
    ) -> None:
        claim_id = self.new_id()
        rows["claim"].append(
            (
                claim_id, self.next_key("syn-cl"), source_id, claimant,
                self.choose(CLAIM_KINDS), self.choose(CERTAINTIES),
                "negated" if self.rng.random() < 0.05 else "affirmed",
                self.choose(CREDIBILITIES), spec.text, segment_id, span_start,
                span_start + len(quote), quote, ORIGIN,
            )
        )  # fmt: skip
        if spec.fact_kind == "event":
            rows["event_evidence"].append((spec.fact_id, claim_id, "supports"))
            for participant_id in spec.participant_ids:
                rows["event_participant_evidence"].append((participant_id, claim_id, "supports"))
        else:
            rows["relationship_evidence"].append((spec.fact_id, claim_id, "supports"))
        for index in dict.fromkeys(spec.about):
            rows["claim_actor"].append((claim_id, self.actors[index].id))


TITLES = ("report", "analysis", "brief")
FACTUALITIES = ("occurred",) * 18 + ("planned", "predicted")
RETRIEVED = datetime(2026, 1, 1, tzinfo=UTC)
BASE_ORDER = ("actor", "actor_alias", "actor_external_id")
# Sources before the anonymous actors scoped to them; facts before the claims that back them.
BATCH_ORDER = (
    "source",
    "actor",
    "source_author",
    "source_segment",
    "event",
    "event_participant",
    "relationship",
    "claim",
    "event_evidence",
    "relationship_evidence",
    "event_participant_evidence",
    "claim_actor",
)


def copy_rows(
    conn: psycopg.Connection[Any], table: str, rows: Sequence[Row], *, columns_of: str = ""
) -> float:
    """COPY `rows` into `table` (with `columns_of`'s columns, default its own).

    Returns the seconds until the server has taken them all.
    """
    columns = COLUMNS[columns_of or table]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    started = time.perf_counter()
    with conn.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
    return time.perf_counter() - started


@dataclass
class LoadReport:
    """Rows and seconds per table, so a load doubles as an ingest profile of every table."""

    rows: Counter[str] = field(default_factory=Counter)
    seconds: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    generate_seconds: float = 0.0
    total_seconds: float = 0.0

    def add(self, table: str, rows: int, seconds: float) -> None:
        self.rows[table] += rows
        self.seconds[table] += seconds


def batches(generator: Generator) -> Iterator[dict[str, list[Row]]]:
    done = 0
    while done < generator.scale.events:
        count = min(BATCH_EVENTS, generator.scale.events - done)
        yield generator.batch(count)
        done += count


def defer_checks(conn: psycopg.Connection[Any], tables: list[str]) -> Deferred:
    """Drop the tables' foreign keys and plain indexes, disable their user triggers."""
    deferred = bulk.defer(conn, tables)
    for table in tables:
        conn.execute(sql.SQL("ALTER TABLE {} DISABLE TRIGGER USER").format(sql.Identifier(table)))
    conn.commit()
    return deferred


# The rules the disabled triggers enforce row by row, checked set-based: the first
# offender, or nothing. The quote rule is claim_quote_problem()'s, asked only of claims
# whose quote does not match where the join says it should.
SET_BASED_CHECKS = (
    """SELECT claim_quote_problem(c.id) FROM claim AS c
       JOIN source_segment AS seg ON seg.id = c.segment_id
       WHERE seg.source_id <> c.source_id
          OR c.span_start < seg.start_offset OR c.span_end > seg.end_offset
          OR substr(seg.text, c.span_start - seg.start_offset + 1, c.span_end - c.span_start)
             IS DISTINCT FROM c.quote
       LIMIT 1""",
    """SELECT format('relationship %s: type %s is symmetric; store it the other way round',
                     r.key, r.relationship_type)
       FROM relationship AS r JOIN relationship_type AS t ON t.code = r.relationship_type
       WHERE t.is_symmetric AND r.subject_id > r.object_id
       LIMIT 1""",
)


def restore_checks(conn: psycopg.Connection[Any], deferred: Deferred, report: LoadReport) -> None:
    """Put back and check everything defer_checks took away; raise on the first offender."""
    conn.execute("SET maintenance_work_mem = '512MB'")
    step = time.perf_counter()
    bulk.rebuild_indexes(conn, deferred, each=conn.commit)
    report.add("(rebuild indexes)", 0, time.perf_counter() - step)
    step = time.perf_counter()
    bulk.validate_foreign_keys(conn, deferred, each=conn.commit)
    report.add("(validate foreign keys)", 0, time.perf_counter() - step)
    step = time.perf_counter()
    for check in SET_BASED_CHECKS:
        found = conn.execute(check).fetchone()
        if found is not None:
            raise RuntimeError(f"synthetic data breaks a rule: {found[0]}")
    for table in deferred.tables:
        conn.execute(sql.SQL("ALTER TABLE {} ENABLE TRIGGER USER").format(sql.Identifier(table)))
    report.add("(set-based checks)", 0, time.perf_counter() - step)
    step = time.perf_counter()
    conn.execute("SELECT refresh_read_summaries()")
    conn.commit()
    report.add("(refresh read summaries)", 0, time.perf_counter() - step)


def load(url: str, scale: Scale) -> LoadReport:
    """Fill a database at head with `scale`'s data: a bulk load, batch by batch."""
    report = LoadReport()
    generator = Generator(scale)
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        deferred = defer_checks(conn, list(dict.fromkeys((*BASE_ORDER, *BATCH_ORDER))))
        base = generator.make_actors()
        for table in BASE_ORDER:
            report.add(table, len(base[table]), copy_rows(conn, table, base[table]))
        conn.commit()
        made = time.perf_counter()
        for number, rows in enumerate(batches(generator), start=1):
            report.generate_seconds += time.perf_counter() - made
            for table in BATCH_ORDER:
                report.add(table, len(rows[table]), copy_rows(conn, table, rows[table]))
            committed = time.perf_counter()
            conn.commit()
            report.add("(commit)", 0, time.perf_counter() - committed)
            done = min(number * BATCH_EVENTS, scale.events)
            progress.print(
                f"  {done:,}/{scale.events:,} events loaded, "
                f"{time.perf_counter() - started:,.0f} s",
                highlight=False,
            )
            made = time.perf_counter()
        restore_checks(conn, deferred, report)
    with psycopg.connect(url, autocommit=True) as conn:
        analysed = time.perf_counter()
        conn.execute("VACUUM (ANALYZE)")
        report.add("(vacuum analyze)", 0, time.perf_counter() - analysed)
    report.total_seconds = time.perf_counter() - started
    return report


def print_report(report: LoadReport, scale: Scale) -> None:
    table = Table(
        title=f"Synthetic load at --events {scale.events:,} (bulk COPY, all checked at the end)"
    )
    table.add_column("table")
    table.add_column("rows", justify="right")
    table.add_column("seconds", justify="right")
    table.add_column("rows/s", justify="right")
    steps = (
        "(commit)",
        "(rebuild indexes)",
        "(validate foreign keys)",
        "(set-based checks)",
        "(refresh read summaries)",
        "(vacuum analyze)",
    )
    for name in dict.fromkeys((*BASE_ORDER, *BATCH_ORDER, *steps)):
        rows, seconds = report.rows[name], report.seconds[name]
        table.add_row(
            name,
            f"{rows:,}" if rows else "",
            f"{seconds:,.1f}",
            rate(rows, seconds) if rows else "",
        )
    table.add_row("(generating rows in Python)", "", f"{report.generate_seconds:,.1f}", "")
    table.add_row(
        "[bold]total[/bold]", f"{sum(report.rows.values()):,}", f"{report.total_seconds:,.1f}", ""
    )
    results.print(table)
