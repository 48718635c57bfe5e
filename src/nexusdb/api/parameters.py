"""Query and path parameters the read routes share, and their checks: a bad value is a
422 problem that names the parameter, as FastAPI's own checks are."""

from typing import Annotated, Any

from fastapi import Path, Query
from fastapi.exceptions import RequestValidationError

from nexusdb.schemas.dates import PreciseDate, parse_date

KEY_LENGTH = 200
# PostgreSQL text cannot hold NUL: such a value is a 422 naming its parameter, never a
# query that fails.
TEXT = r"^[^\x00]*$"

Key = Annotated[str, Path(max_length=KEY_LENGTH, pattern=TEXT, description="The record's key.")]


def key_query(what: str) -> Any:
    return Query(max_length=KEY_LENGTH, pattern=TEXT, description=what)


def code_query(what: str) -> Any:
    return Query(max_length=100, pattern=TEXT, description=what)


def text_query(what: str, *, max_length: int) -> Any:
    return Query(min_length=1, max_length=max_length, pattern=TEXT, description=what)


DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
DATE_HELP = "a date to its precision: 2024, 2024-11 or 2024-11-21"


def date_query(what: str, alias: str | None = None) -> Any:
    return Query(alias=alias, pattern=DATE_PATTERN, description=f"{what} ({DATE_HELP}).")


def parse_query_date(name: str, value: str | None) -> PreciseDate | None:
    """`value` of the query parameter `name` as a date with its precision; an impossible
    one (`2024-13`) is a 422 naming the parameter."""
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as error:
        raise RequestValidationError(
            [{"loc": ("query", name), "msg": str(error), "type": "value_error"}]
        ) from None
