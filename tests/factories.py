"""Small builders for test data that read like the domain: make_claim(source, quote=...).

They add rows to the test's session and flush; the test's transaction is rolled back
afterwards (or the test's own database is dropped), so nothing needs cleaning up.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from nexusdb.grounding import split_segments
from nexusdb.models import (
    Actor,
    ActorAlias,
    Claim,
    Event,
    EventEvidence,
    EventParticipant,
    Materiel,
    ParticipantEvidence,
    Relationship,
    RelationshipEvidence,
    RelationshipMateriel,
    RelationshipMaterielEvidence,
    Source,
    SourceAuthor,
    SourceSegment,
)
from nexusdb.repositories import ClaimRepository
from nexusdb.schemas.seed import ClaimRecord

ARTICLE = (
    "Analysts in Tehran\n\n"
    "Iran supplied Russia with Shahed drones and Fath-360 missiles for its war in Ukraine,"
    " a transfer that deepened the security partnership between the two states in 2022.\n\n"
    "An Israeli minister said that Hezbollah would be disarmed by the end of the year,"
    " although most observers doubted that such an outcome was realistic at that time.\n"
)


def make_actor(
    session: Session,
    key: str,
    *,
    name: str | None = None,
    kind: str = "state",
    aliases: tuple[str, ...] = (),
    anonymous_in: Source | None = None,
) -> Actor:
    actor = Actor(
        key=key,
        kind=kind,
        name=name or key.replace("-", " ").title(),
        is_anonymous=anonymous_in is not None,
        scope_source_id=anonymous_in.id if anonymous_in else None,
    )
    session.add(actor)
    session.flush()
    session.add_all(ActorAlias(actor_id=actor.id, name=alias, kind="spelling") for alias in aliases)
    session.flush()
    return actor


def make_source(
    session: Session, key: str = "test-article", *, text: str = ARTICLE, author: Actor | None = None
) -> Source:
    """A source with its text split into paragraphs, as the seeder stores it."""
    source = Source(
        key=key,
        kind="article",
        title=f"Test article {key}",
        published_date=date(2024, 11, 1),
        published_precision="month",
        content_sha256=hashlib.sha256(text.encode()).hexdigest(),
        reliability="C",
    )
    session.add(source)
    session.flush()
    session.add_all(
        SourceSegment(
            source_id=source.id,
            ordinal=segment.ordinal,
            kind=segment.kind,
            start_offset=segment.start,
            end_offset=segment.end,
            text=segment.text,
        )
        for segment in split_segments(text)
    )
    if author is not None:
        session.add(SourceAuthor(source_id=source.id, position=1, actor_id=author.id))
    session.flush()
    return source


def make_claim(
    session: Session,
    source: Source,
    *,
    quote: str,
    key: str,
    claimant: Actor | None = None,
    about: tuple[Actor, ...] = (),
    kind: str = "fact",
    credibility: str = "6",
) -> Claim:
    """A claim added the way an application adds one: through ClaimRepository.add."""
    record = ClaimRecord(
        key=key,
        source=source.key,
        claimant=claimant.key if claimant else None,
        kind=kind,
        certainty="asserted",
        credibility=credibility,
        text=f"Statement of {key}.",
        quote=quote,
        about=[actor.key for actor in about],
    )
    ClaimRepository(session).add(record)
    return session.scalars(select(Claim).where(Claim.key == key)).one()


def dated(start: tuple[date, str] | None, end: tuple[date, str] | None) -> dict[str, object]:
    """Interval columns from (date, precision) pairs; any date needs a date_basis."""
    return {
        "start_date": start[0] if start else None,
        "start_precision": start[1] if start else None,
        "end_date": end[0] if end else None,
        "end_precision": end[1] if end else None,
        "date_basis": "source_text" if start or end else None,
    }


def make_event(
    session: Session,
    key: str,
    *,
    evidence: tuple[Claim, ...],
    participants: tuple[tuple[Actor, str], ...] = (),
    start: tuple[date, str] | None = None,
    end: tuple[date, str] | None = None,
    event_type: str = "armed_attack",
    factuality: str = "occurred",
    parent: Event | None = None,
) -> Event:
    """An event backed by `evidence`; each participant is backed by its first claim."""
    event = Event(
        key=key,
        event_type=event_type,
        title=key.replace("-", " ").capitalize(),
        factuality=factuality,
        parent_event_id=parent.id if parent else None,
        **dated(start, end),
    )
    session.add(event)
    session.flush()
    session.add_all(EventEvidence(event_id=event.id, claim_id=claim.id) for claim in evidence)
    for actor, role in participants:
        participant = EventParticipant(event_id=event.id, actor_id=actor.id, role=role)
        session.add(participant)
        session.flush()
        session.add(ParticipantEvidence(participant_id=participant.id, claim_id=evidence[0].id))
    session.flush()
    return event


def make_materiel(session: Session, key: str, *, category: str = "uav") -> Materiel:
    item = Materiel(key=key, name=key.replace("-", " ").title(), category=category)
    session.add(item)
    session.flush()
    return item


def make_relationship(
    session: Session,
    subject: Actor,
    relationship_type: str,
    target: Actor,
    *,
    evidence: tuple[Claim, ...],
    start: tuple[date, str] | None = None,
    end: tuple[date, str] | None = None,
    ongoing: bool = False,
    materiel: tuple[Materiel, ...] = (),
) -> Relationship:
    """`subject relationship_type target`, keyed "subject-type-target", backed by `evidence`."""
    relationship = Relationship(
        key=f"{subject.key}-{relationship_type.replace('_', '-')}-{target.key}",
        subject_id=subject.id,
        relationship_type=relationship_type,
        object_id=target.id,
        is_ongoing=ongoing,
        **dated(start, end),
    )
    session.add(relationship)
    session.flush()
    session.add_all(
        RelationshipEvidence(relationship_id=relationship.id, claim_id=claim.id)
        for claim in evidence
    )
    for item in materiel:
        link = RelationshipMateriel(relationship_id=relationship.id, materiel_id=item.id)
        session.add(link)
        session.flush()
        session.add(
            RelationshipMaterielEvidence(relationship_materiel_id=link.id, claim_id=evidence[0].id)
        )
    session.flush()
    return relationship


@dataclass
class World:
    """A small, complete corner of the article: sources, actors, claims, events, edges."""

    source: Source
    author: Actor
    iran: Actor
    russia: Actor
    ukraine: Actor
    hezbollah: Actor
    minister: Actor
    supply: Claim
    war: Claim
    prediction: Claim
    shahed: Materiel
    arms: Relationship
    hostility: Relationship
    threat: Relationship
    invasion: Event


def make_world(session: Session) -> World:
    author = make_actor(session, "test-author", name="Test Author", kind="person")
    source = make_source(session, author=author)
    iran = make_actor(session, "iran", name="Iran")
    russia = make_actor(session, "russia", name="Russia")
    ukraine = make_actor(session, "ukraine", name="Ukraine")
    hezbollah = make_actor(
        session, "hezbollah", name="Hezbollah", kind="armed_group", aliases=("Hizbullah",)
    )
    minister = make_actor(
        session,
        "an-israeli-minister",
        kind="person",
        name="An Israeli minister",
        anonymous_in=source,
    )
    supply = make_claim(
        session,
        source,
        key="iran-supplied-russia",
        credibility="2",
        about=(iran, russia),
        quote="Iran supplied Russia with Shahed drones and Fath-360 missiles",
    )
    war = make_claim(
        session,
        source,
        key="war-in-ukraine",
        credibility="3",
        about=(russia, ukraine),
        quote="its war in Ukraine",
    )
    prediction = make_claim(
        session,
        source,
        key="hezbollah-disarmed",
        kind="prediction",
        claimant=minister,
        about=(hezbollah,),
        quote="Hezbollah would be disarmed by the end of the year",
    )
    shahed = make_materiel(session, "shahed-136", category="loitering_munition")
    arms = make_relationship(
        session,
        iran,
        "supplies_arms_to",
        russia,
        evidence=(supply,),
        start=(date(2022, 1, 1), "year"),
        ongoing=True,
        materiel=(shahed,),
    )
    hostility = make_relationship(
        session,
        russia,
        "opposes",
        ukraine,
        evidence=(war,),
        start=(date(2014, 1, 1), "year"),
        end=(date(2021, 1, 1), "year"),
    )
    threat = make_relationship(session, minister, "threatens", hezbollah, evidence=(prediction,))
    invasion = make_event(
        session,
        "invasion-of-ukraine",
        event_type="invasion",
        evidence=(war,),
        participants=((russia, "initiator"), (ukraine, "target")),
        start=(date(2022, 2, 1), "month"),
    )
    return World(
        source,
        author,
        iran,
        russia,
        ukraine,
        hezbollah,
        minister,
        supply,
        war,
        prediction,
        shahed,
        arms,
        hostility,
        threat,
        invasion,
    )
