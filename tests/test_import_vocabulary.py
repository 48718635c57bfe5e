"""The import revision: dataset event types, their preferred crosswalk rows, the quote trigger."""

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

PLOVER_TYPES = [
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]


def preferred(connection: Connection, scheme: str) -> dict[str, str]:
    rows = connection.execute(
        text(
            "SELECT scheme_code, event_type FROM event_type_crosswalk"
            " WHERE scheme = :scheme AND preferred ORDER BY scheme_code"
        ),
        {"scheme": scheme},
    )
    return dict(rows.tuples().all())


def test_every_dataset_code_has_exactly_one_preferred_type(connection: Connection) -> None:
    plover = preferred(connection, "plover")
    assert sorted(plover) == sorted(PLOVER_TYPES)
    assert plover["ASSAULT"] == "assault"
    assert plover["AGREE"] == "agreement"  # an existing type, now the preferred one
    assert plover["SANCTION"] == "sanctions"
    assert preferred(connection, "ucdp") == {
        "1": "state_based_violence",
        "2": "non_state_violence",
        "3": "one_sided_violence",
    }
    acled = preferred(connection, "acled_sub_event")
    assert len(set(acled.values())) == 25  # the codebook's 25 sub-event types
    assert acled["Air/drone strike"] == "air_strike"
    assert acled["Armed clash"] == "armed_clash"


def test_a_second_preferred_type_for_a_code_is_refused(connection: Connection) -> None:
    with pytest.raises(IntegrityError, match="ix_event_type_crosswalk_preferred"):
        connection.execute(
            text(
                "INSERT INTO event_type_crosswalk (event_type, scheme, scheme_code, preferred)"
                " VALUES ('election', 'plover', 'ASSAULT', true)"
            )
        )


def test_the_quote_trigger_fires_only_for_span_grounded_claims(connection: Connection) -> None:
    definition = connection.execute(
        text(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger"
            " WHERE tgname = 'claim_check_quote' AND NOT tgisinternal"
        )
    ).scalar_one()
    assert "WHEN ((new.segment_id IS NOT NULL))" in definition
    assert "DEFERRABLE INITIALLY IMMEDIATE" in definition


def test_places_record_their_location_precision(connection: Connection) -> None:
    codes = connection.execute(text("SELECT code FROM location_precision ORDER BY code")).scalars()
    assert set(codes) == {"exact", "near", "admin2", "admin1", "approximate", "country", "other"}
    with pytest.raises(IntegrityError, match="place_location_precision_fkey"):
        connection.execute(
            text(
                "INSERT INTO place (key, kind, name, location_precision)"
                " VALUES ('somewhere', 'city', 'Somewhere', 'roughly')"
            )
        )
