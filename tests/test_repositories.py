"""Repositories: reads by key, filtered key-ordered pages, no N+1, and checked claim writes."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from nexusdb.models import Claim
from nexusdb.repositories import (
    ActorMatch,
    ActorRepository,
    AmbiguousActorError,
    ClaimRepository,
    EventRepository,
    InvalidClaimError,
    RecordNotFoundError,
    RelationshipRepository,
    SourceRepository,
)
from nexusdb.schemas.dates import PreciseDate
from nexusdb.schemas.read import Alias, Participant
from nexusdb.schemas.seed import ClaimRecord
from tests.factories import World, make_claim, make_event, make_world


@pytest.fixture
def world(session: Session) -> World:
    return make_world(session)


@contextmanager
def count_statements(session: Session) -> Iterator[list[str]]:
    """Every SQL statement the session's connection sends while the block runs."""
    statements: list[str] = []
    connection = session.connection()

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", record)


def test_get_reads_an_actor_with_aliases(session: Session, world: World) -> None:
    hezbollah = ActorRepository(session).get("hezbollah")
    assert hezbollah.kind == "armed_group"
    assert hezbollah.aliases == [Alias(name="Hizbullah", kind="spelling", language="en")]


def test_get_names_what_is_missing(session: Session, world: World) -> None:
    with pytest.raises(RecordNotFoundError, match=r"^no actor with key 'atlantis'$"):
        ActorRepository(session).get("atlantis")


def test_get_reads_each_aggregate_by_key(session: Session, world: World) -> None:
    claim = ClaimRepository(session).get("hezbollah-disarmed")
    assert (claim.claimant_key, claim.paragraph, claim.about) == (
        "an-israeli-minister",
        3,
        ["hezbollah"],
    )
    invasion = EventRepository(session).get("invasion-of-ukraine")
    assert invasion.participants == [
        Participant(actor_key="russia", role="initiator"),
        Participant(actor_key="ukraine", role="target"),
    ]
    arms = RelationshipRepository(session).get("iran-supplies-arms-to-russia")
    assert (arms.subject_key, arms.object_key, arms.materiel) == ("iran", "russia", ["shahed-136"])
    source = SourceRepository(session).get("test-article")
    assert source.author_keys == ["test-author"]


def test_pages_follow_the_key_order(session: Session, world: World) -> None:
    actors = ActorRepository(session)
    first = actors.find(kind="state", limit=2)
    assert [actor.key for actor in first.items] == ["iran", "russia"]
    assert first.next_after == "russia"
    second = actors.find(kind="state", after=first.next_after, limit=2)
    assert [actor.key for actor in second.items] == ["ukraine"]
    assert second.next_after is None


def test_claim_filters(session: Session, world: World) -> None:
    claims = ClaimRepository(session)

    def keys(**filters: Any) -> list[str]:
        return [claim.key for claim in claims.find(**filters).items]

    assert keys(kind="prediction") == ["hezbollah-disarmed"]
    assert keys(claimant="test-author") == ["iran-supplied-russia", "war-in-ukraine"]
    assert keys(about="russia") == ["iran-supplied-russia", "war-in-ukraine"]
    assert keys(credibility=["2", "3"]) == ["iran-supplied-russia", "war-in-ukraine"]
    assert keys(source="test-article", credibility=["6"]) == ["hezbollah-disarmed"]


def test_event_and_relationship_date_filters(session: Session, world: World) -> None:
    events = EventRepository(session)
    assert [e.key for e in events.find(actor="ukraine", since=date(2022, 2, 20)).items] == [
        "invasion-of-ukraine"
    ]
    # Known to the month: February 2022 ends before March.
    assert events.find(since=date(2022, 3, 1)).items == []
    relationships = RelationshipRepository(session)

    def keys(**filters: Any) -> list[str]:
        return [r.key for r in relationships.find(**filters).items]

    # 2014 to 2021 holds through the last day of 2021.
    assert keys(actor="ukraine", since=date(2021, 12, 31)) == ["russia-opposes-ukraine"]
    assert keys(actor="ukraine", since=date(2022, 1, 1)) == []
    assert keys(type="supplies_arms_to", until=date(2021, 12, 31)) == []
    assert keys(type="supplies_arms_to", since=date(2030, 1, 1)) == ["iran-supplies-arms-to-russia"]


def test_until_takes_its_whole_period(session: Session, world: World) -> None:
    events = EventRepository(session)

    def keys(until: date | PreciseDate) -> list[str]:
        return [e.key for e in events.find(until=until).items]

    # The invasion is dated 2022-02 (month precision), stored as 2022-02-01.
    assert keys(date(2022, 1, 31)) == []
    assert keys(date(2022, 2, 1)) == ["invasion-of-ukraine"]
    assert keys(PreciseDate(date(2022, 1, 1), "year")) == ["invasion-of-ukraine"]
    assert keys(PreciseDate(date(2021, 1, 1), "year")) == []
    # The timeline answers the same.
    assert [e.key for e in events.timeline(until=PreciseDate(date(2022, 1, 1), "year")).items] == [
        "invasion-of-ukraine"
    ]


def test_timeline_pages_walk_time_order_with_undated_last(session: Session, world: World) -> None:
    for key, start in (
        ("b-2023", (date(2023, 5, 1), "month")),
        ("a-2023", (date(2023, 5, 1), "day")),
        ("undated", None),
        ("planned", (date(2020, 1, 1), "year")),
    ):
        make_event(
            session,
            key,
            evidence=(world.war,),
            start=start,
            factuality="planned" if key == "planned" else "occurred",
        )
    events = EventRepository(session)
    walked, after = [], None
    while True:
        page = events.timeline(after=after, limit=2)
        walked += [entry.key for entry in page.items]
        if page.next_after is None:
            break
        after = page.next_after
    assert walked == ["invasion-of-ukraine", "a-2023", "b-2023", "undated"]
    assert [e.key for e in events.timeline(include_all=True, limit=1).items] == ["planned"]
    first = events.timeline(actor="russia").items[0]
    assert (first.period, first.participants[0].actor_key) == ("2022-02 \u2013 ?", "russia")


@pytest.mark.parametrize(
    ("typed", "match"),
    [
        ("hezbollah", ActorMatch("hezbollah", exact=True)),
        ("HIZBULLAH", ActorMatch("hezbollah", exact=True)),
        ("Hezbolah", ActorMatch("hezbollah", exact=False)),
    ],
)
def test_resolve_finds_an_actor_by_key_name_alias_or_typo(
    session: Session, world: World, typed: str, match: ActorMatch
) -> None:
    assert ActorRepository(session).resolve(typed) == match


def test_resolve_names_what_it_cannot_choose(session: Session, world: World) -> None:
    actors = ActorRepository(session)
    with pytest.raises(RecordNotFoundError, match=r"^no actor 'xyzzy'$"):
        actors.resolve("xyzzy")
    world.ukraine.name = "Iran"
    session.flush()
    with pytest.raises(AmbiguousActorError, match="'Iran' names several actors: iran, ukraine"):
        actors.resolve("Iran")


@pytest.mark.parametrize(
    ("repository", "expected"),
    [
        # One statement for the rows, one per collection loaded with selectinload; events
        # (their participants) and actors (aliases, external ids) carry their collections
        # in the rows' own statement.
        (ClaimRepository, 2),
        (EventRepository, 1),
        (RelationshipRepository, 2),
        (ActorRepository, 1),
        (SourceRepository, 2),
    ],
)
def test_a_listing_costs_the_same_statements_however_many_rows(
    session: Session, world: World, repository: Any, expected: int
) -> None:
    repo = repository(session)
    with count_statements(session) as one_row:
        page = repo.find(limit=1)
    with count_statements(session) as all_rows:
        everything = repo.find(limit=100)
    assert len(page.items) == 1
    assert len(everything.items) >= 1
    assert len(one_row) == len(all_rows) == expected


def test_a_claim_is_added_with_its_span(session: Session, world: World) -> None:
    claim = make_claim(
        session, world.source, key="drones-and-missiles", quote="Shahed drones and Fath-360"
    )
    assert claim.origin == "api"
    text = ClaimRepository(session).get("drones-and-missiles")
    assert (text.claimant_key, text.paragraph, text.span_end - (text.span_start or 0)) == (
        "test-author",
        2,
        len("Shahed drones and Fath-360"),
    )


def record(**fields: Any) -> ClaimRecord:
    base = {
        "key": "new-claim",
        "source": "test-article",
        "kind": "fact",
        "certainty": "asserted",
        "text": "Iran armed Russia.",
        "quote": "Iran supplied Russia",
    }
    return ClaimRecord(**(base | fields))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"quote": "Iran sold Russia"},
            "claim 'new-claim': field 'quote': quote not found in the source; nearest passage",
        ),
        ({"quote": "that"}, "field 'quote': quote occurs 4 times"),
        ({"claimant": "atlantis"}, "field 'claimant': unknown actor key 'atlantis'"),
        ({"about": ["iran", "nobody"]}, "field 'about[1]': unknown actor key 'nobody'"),
        ({"source": "no-such-source"}, "field 'source': unknown source key 'no-such-source'"),
        ({"kind": "rumour"}, "field 'kind': unknown claim kind 'rumour'"),
        ({"key": "war-in-ukraine"}, "field 'key': a claim with this key exists already"),
    ],
)
def test_a_bad_claim_is_refused_in_one_line(
    session: Session, world: World, fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidClaimError) as refused:
        ClaimRepository(session).add(record(**fields))
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


def test_the_database_refuses_a_quote_that_is_not_there(session: Session, world: World) -> None:
    with (
        pytest.raises(IntegrityError, match="quote is not the source text"),
        session.begin_nested(),
    ):
        session.execute(
            update(Claim).where(Claim.key == "war-in-ukraine").values(quote="its war on Russia!")
        )
