"""The database itself refuses data that would break nexusdb's invariants (DESIGN.md).

Each rule is tried with a row that breaks it; the error must name the rule.
"""

import uuid
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from nexusdb.models import Actor, Claim, Relationship, Source, SourceSegment

PARAGRAPH = "Iran provided its prestigious ballistic missiles to Russia."


def make_source(session: Session, key: str = "test-source") -> Source:
    source = Source(key=key, kind="article", title="A test article")
    session.add(source)
    session.flush()
    session.add(
        SourceSegment(
            source_id=source.id,
            ordinal=1,
            kind="paragraph",
            start_offset=10,
            end_offset=10 + len(PARAGRAPH),
            text=PARAGRAPH,
        )
    )
    session.flush()
    return source


def make_actor(session: Session, key: str, kind: str = "state") -> Actor:
    actor = Actor(key=key, kind=kind, name=key.title())
    session.add(actor)
    session.flush()
    return actor


def make_claim(
    session: Session, source: Source, claimant: Actor, *, quote: str, start: int
) -> Claim:
    segment = session.query(SourceSegment).filter_by(source_id=source.id).one()
    claim = Claim(
        key=f"claim-{uuid.uuid4().hex[:8]}",
        source_id=source.id,
        claimant_id=claimant.id,
        kind="fact",
        certainty="asserted",
        text="Iran supplied ballistic missiles to Russia.",
        segment_id=segment.id,
        span_start=start,
        span_end=start + len(quote),
        quote=quote,
    )
    session.add(claim)
    session.flush()
    return claim


def refused(session: Session, constraint: str, *statements: str) -> str:
    """Run the statements in a savepoint; return the error, which must name `constraint`."""
    with pytest.raises(DBAPIError) as raised, session.begin_nested():  # noqa: PT012
        for statement in statements:
            session.execute(text(statement))
    error = raised.value.orig
    named = f"{error} {getattr(getattr(error, 'diag', None), 'constraint_name', '')}"
    assert constraint in named
    return named


def test_a_quote_that_is_the_source_text_at_its_span_is_accepted(session: Session) -> None:
    source = make_source(session)
    author = make_actor(session, "author", "person")
    claim = make_claim(session, source, author, quote="ballistic missiles", start=10 + 30)
    assert claim.quote == PARAGRAPH[30:48]


def test_a_quote_that_differs_from_the_source_text_is_refused(session: Session) -> None:
    source = make_source(session)
    author = make_actor(session, "author", "person")
    with pytest.raises(IntegrityError, match="quote is not the source text") as raised:
        make_claim(session, source, author, quote="ballistic rockets!", start=40)
    assert "claim_quote_matches_source" in str(raised.value.orig.diag.constraint_name)


def test_a_span_outside_its_segment_is_refused(session: Session) -> None:
    source = make_source(session)
    author = make_actor(session, "author", "person")
    with pytest.raises(IntegrityError, match="lies outside its segment"):
        make_claim(session, source, author, quote="Iran", start=0)


def test_a_segment_cannot_change_under_the_quotes_that_rest_on_it(session: Session) -> None:
    source = make_source(session)
    author = make_actor(session, "author", "person")
    make_claim(session, source, author, quote="Iran", start=10)
    message = refused(
        session,
        "claim_quote_matches_source",
        f"UPDATE source_segment SET text = upper(text) WHERE source_id = '{source.id}'",
    )
    assert "quote is not the source text at [10, 14), which reads 'IRAN'" in message


def test_a_text_and_its_quotes_corrected_together_are_judged_at_commit(
    session: Session,
) -> None:
    source = make_source(session)
    author = make_actor(session, "author", "person")
    claim = make_claim(session, source, author, quote="Iran", start=10)
    with session.begin_nested():
        session.execute(text("SET CONSTRAINTS ALL DEFERRED"))
        session.execute(
            text("UPDATE source_segment SET text = upper(text) WHERE source_id = :source"),
            {"source": source.id},
        )
        session.execute(
            text("UPDATE claim SET quote = 'IRAN' WHERE id = :claim"), {"claim": claim.id}
        )
        session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
    assert session.execute(text("SELECT quote FROM claim")).scalar_one() == "IRAN"


def test_a_claim_needs_exactly_one_grounding(session: Session) -> None:
    source = make_source(session)
    author = make_actor(session, "author", "person")
    claim = make_claim(session, source, author, quote="Iran", start=10)
    refused(
        session,
        "claim_grounding_check",
        f"UPDATE claim SET record_id = 'r1' WHERE id = '{claim.id}'",
    )
    refused(
        session,
        "claim_grounding_check",
        f"UPDATE claim SET segment_id = NULL, span_start = NULL, span_end = NULL, quote = NULL"
        f" WHERE id = '{claim.id}'",
    )


def test_interval_start_after_end_is_refused(session: Session) -> None:
    refused(
        session,
        "event_interval_order_check",
        "INSERT INTO event (key, event_type, title, start_date, start_precision, end_date,"
        " end_precision, date_basis) VALUES ('backwards', 'war', 'Backwards', '2024-05-01',"
        " 'day', '2024-04-01', 'day', 'source_text')",
    )


def test_a_year_is_never_stored_as_a_fake_day(session: Session) -> None:
    refused(
        session,
        "event_start_aligned_check",
        "INSERT INTO event (key, event_type, title, start_date, start_precision, date_basis)"
        " VALUES ('fake-day', 'war', 'Fake day', '2014-02-20', 'year', 'source_text')",
    )


def test_precision_and_coded_fields_come_from_their_vocabulary(session: Session) -> None:
    refused(
        session,
        "event_start_precision_fkey",
        "INSERT INTO event (key, event_type, title, start_date, start_precision, date_basis)"
        " VALUES ('bad-precision', 'war', 'Bad', '2014-01-01', 'fortnight', 'source_text')",
    )
    refused(
        session,
        "event_event_type_fkey",
        "INSERT INTO event (key, event_type, title) VALUES ('bad-type', 'picnic', 'Bad')",
    )
    refused(
        session,
        "actor_kind_fkey",
        "INSERT INTO actor (key, kind, name) VALUES ('bad-kind', 'wizard', 'Bad')",
    )


def test_keys_are_unique_and_slugs(session: Session) -> None:
    make_actor(session, "iran")
    refused(
        session,
        "actor_key_key",
        "INSERT INTO actor (key, kind, name) VALUES ('iran', 'state', 'Iran')",
    )
    refused(
        session,
        "actor_key_check",
        "INSERT INTO actor (key, kind, name) VALUES ('Iran!', 'state', 'Iran')",
    )


def relationship_sql(
    key: str, subject: uuid.UUID, kind: str, obj: uuid.UUID, start: str, end: str
) -> str:
    return (
        "INSERT INTO relationship (key, subject_id, relationship_type, object_id, start_date,"
        f" start_precision, end_date, end_precision, date_basis) VALUES ('{key}', '{subject}',"
        f" '{kind}', '{obj}', '{start}', 'year', '{end}', 'year', 'source_text')"
    )


def test_overlapping_relationships_with_the_same_ends_and_type_are_refused(
    session: Session,
) -> None:
    iran, russia = make_actor(session, "iran"), make_actor(session, "russia")
    session.execute(
        text(
            relationship_sql(
                "first", iran.id, "supplies_arms_to", russia.id, "2022-01-01", "2023-01-01"
            )
        )
    )
    refused(
        session,
        "relationship_no_overlap_excl",
        relationship_sql(
            "second", iran.id, "supplies_arms_to", russia.id, "2023-01-01", "2024-01-01"
        ),
    )
    # Disjoint intervals, or another type, are fine.
    session.execute(
        text(
            relationship_sql(
                "third", iran.id, "supplies_arms_to", russia.id, "2025-01-01", "2026-01-01"
            )
        )
    )
    session.execute(
        text(
            relationship_sql(
                "fourth", iran.id, "cooperates_with", russia.id, "2022-01-01", "2023-01-01"
            )
            if iran.id < russia.id
            else relationship_sql(
                "fourth", russia.id, "cooperates_with", iran.id, "2022-01-01", "2023-01-01"
            )
        )
    )
    assert session.query(Relationship).count() == 3


def test_symmetric_relationships_are_stored_in_one_direction(session: Session) -> None:
    first, second = sorted(
        [make_actor(session, "israel"), make_actor(session, "hamas", "armed_group")],
        key=lambda a: a.id,
    )
    refused(
        session,
        "relationship_symmetric_canonical",
        relationship_sql(
            "backwards", second.id, "at_war_with", first.id, "2023-01-01", "2024-01-01"
        ),
    )
    session.execute(
        text(
            relationship_sql(
                "canonical", first.id, "at_war_with", second.id, "2023-01-01", "2024-01-01"
            )
        )
    )


def test_deleting_a_source_with_claims_is_refused(session: Session) -> None:
    source = make_source(session)
    author = make_actor(session, "author", "person")
    make_claim(session, source, author, quote="Iran", start=10)
    refused(session, "claim_source_id_fkey", f"DELETE FROM source WHERE id = '{source.id}'")


def test_deleting_a_claim_takes_its_evidence_links_with_it(session: Session) -> None:
    source = make_source(session)
    author = make_actor(session, "author", "person")
    claim = make_claim(session, source, author, quote="Iran", start=10)
    session.execute(
        text(
            "INSERT INTO event (key, event_type, title)"
            " VALUES ('transfer', 'arms_transfer', 'Transfer')"
        )
    )
    session.execute(
        text(
            "INSERT INTO event_evidence (event_id, claim_id)"
            " SELECT id, :claim FROM event WHERE key = 'transfer'"
        ),
        {"claim": claim.id},
    )
    session.execute(text("DELETE FROM claim WHERE id = :claim"), {"claim": claim.id})
    assert session.execute(text("SELECT count(*) FROM event_evidence")).scalar_one() == 0


def test_an_anonymous_actor_is_scoped_to_a_source(session: Session) -> None:
    refused(
        session,
        "actor_anonymous_scoped_check",
        "INSERT INTO actor (key, kind, name, is_anonymous)"
        " VALUES ('a-minister', 'person', 'A minister', true)",
    )


def test_dates_read_back_as_stored(session: Session) -> None:
    session.execute(
        text(
            "INSERT INTO event (key, event_type, title, start_date, start_precision, date_basis,"
            " date_basis_ref) VALUES ('crimea', 'annexation', 'Crimea', '2014-01-01', 'year',"
            " 'external', 'source:test-background')"
        )
    )
    row = session.execute(
        text("SELECT start_date, start_precision FROM event WHERE key = 'crimea'")
    ).one()
    assert tuple(row) == (date(2014, 1, 1), "year")
