"""EDTF-style dates keep their precision and never invent a day."""

from datetime import date

import pytest

from nexusdb.schemas.dates import PreciseDate, format_date, parse_date


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("2024-11-21", PreciseDate(date(2024, 11, 21), "day")),
        ("2022-02", PreciseDate(date(2022, 2, 1), "month")),
        ("2014", PreciseDate(date(2014, 1, 1), "year")),
        ("194X", PreciseDate(date(1940, 1, 1), "decade")),
        ("1940s", PreciseDate(date(1940, 1, 1), "decade")),
        ("19XX", PreciseDate(date(1900, 1, 1), "century")),
    ],
)
def test_dates_parse_to_their_periods_first_day_and_precision(
    written: str, stored: PreciseDate
) -> None:
    assert parse_date(written) == stored


@pytest.mark.parametrize("written", ["2024-11-21", "2022-02", "2014", "194X", "19XX"])
def test_formatting_gives_back_what_the_curator_wrote(written: str) -> None:
    parsed = parse_date(written)
    assert format_date(parsed.value, parsed.precision) == written


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2024-13-45", "impossible date '2024-13-45'"),
        ("2024-02-30", "impossible date '2024-02-30'"),
        ("2024-13", "month must be in 1..12"),
        ("November 2024", "not a date"),
        ("24", "not a date"),
    ],
)
def test_impossible_or_unreadable_dates_say_why(written: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(written)
