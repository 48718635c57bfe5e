"""EDTF-style dates with their precision: `2024`, `2024-11`, `2024-11-21`, `2010s`, `20th century`.

A date is kept as the first day of its period plus the precision, never as a made-up
first of January pretending to be a day.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_DECADE = re.compile(r"^(\d{3})X$|^(\d{3})0s$")
_CENTURY = re.compile(r"^(\d{2})XX$")


@dataclass(frozen=True)
class PreciseDate:
    value: date
    precision: str

    def __str__(self) -> str:
        return format_date(self.value, self.precision)

    def upper(self) -> date:
        """The first day after the period, as SQL's precise_date_upper() gives it."""
        year = self.value.year
        match self.precision:
            case "day":
                return self.value + timedelta(days=1)
            case "month":
                next_month = self.value.month % 12 + 1
                return date(year + (next_month == 1), next_month, 1)
            case "year":
                return date(year + 1, 1, 1)
            case "decade":
                return date(year + 10, 1, 1)
            case _:
                return date(year + 100, 1, 1)


def parse_date(text: str) -> PreciseDate:
    """Parse an EDTF-style date; a ValueError says what is wrong with it."""
    text = text.strip()
    if match := _DAY.match(text):
        year, month, day = (int(part) for part in match.groups())
        try:
            return PreciseDate(date(year, month, day), "day")
        except ValueError as error:
            raise ValueError(f"impossible date {text!r}: {error}") from None
    if match := _MONTH.match(text):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"impossible date {text!r}: month must be in 1..12")
        return PreciseDate(date(year, month, 1), "month")
    if match := _YEAR.match(text):
        return PreciseDate(date(int(match.group(1)), 1, 1), "year")
    if match := _DECADE.match(text):
        return PreciseDate(date(int(match.group(1) or match.group(2)) * 10, 1, 1), "decade")
    if match := _CENTURY.match(text):
        return PreciseDate(date(int(match.group(1)) * 100, 1, 1), "century")
    raise ValueError(
        f"not a date: {text!r} (write YYYY-MM-DD, YYYY-MM, YYYY,"
        " YYYX for a decade, YYXX for a century)"
    )


def format_date(value: date, precision: str) -> str:
    """The inverse of `parse_date`: what the curator wrote."""
    match precision:
        case "day":
            return value.isoformat()
        case "month":
            return f"{value.year:04d}-{value.month:02d}"
        case "year":
            return f"{value.year:04d}"
        case "decade":
            return f"{value.year // 10:03d}X"
        case _:
            return f"{value.year // 100:02d}XX"


def _coerce(value: Any) -> Any:
    if value is None or isinstance(value, PreciseDate):
        return value
    if isinstance(value, date):
        return PreciseDate(value, "day")
    return parse_date(str(value))


EdtfDate = Annotated[PreciseDate, BeforeValidator(_coerce)]
