"""Query and path parameters the read routes share, and their checks: a bad value is a
422 problem that names the parameter, as FastAPI's own checks are; so is a query
parameter that the route does not take."""

from typing import Annotated, Any

from fastapi import Path, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import Field

from nexusdb.api.problems import echoed
from nexusdb.schemas.dates import PreciseDate, parse_date

KEY_LENGTH = 200
# PostgreSQL text cannot hold NUL: such a value is a 422 naming its parameter, never a
# query that fails.
TEXT = r"^[^\x00]*$"

Key = Annotated[str, Path(max_length=KEY_LENGTH, pattern=TEXT, description="The record's key.")]


def key_query(what: str) -> Any:
    return Query(max_length=KEY_LENGTH, pattern=TEXT, description=what)


CODE_LENGTH = 100
# One of several codes in a repeatable parameter (`type=a&type=b`).
Code = Annotated[str, Field(max_length=CODE_LENGTH, pattern=TEXT)]


def code_query(what: str) -> Any:
    return Query(max_length=CODE_LENGTH, pattern=TEXT, description=what)


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


def _query_names(dependant: Dependant) -> set[str]:
    """The query parameters a route (or a dependency of it) reads, by the name sent."""
    names = {parameter.alias for parameter in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return names


def refuse_unknown_query_parameters(request: Request) -> None:
    """A query parameter that the route does not take is a 422 naming it and those the
    route takes: a misspelt filter (`actr=iran`) would otherwise be ignored, and the
    answer would look like the answer to the question asked. One problem names them all,
    its length bounded whatever was sent."""
    route: APIRoute = request.scope["route"]
    known = _query_names(route.dependant)
    unknown = sorted(set(request.query_params) - known)
    if not unknown:
        return
    first, *others = unknown
    takes = ", ".join(sorted(known)) or "none"
    message = f"not a parameter of {request.method} {route.path}, which takes: {takes}"
    if others:
        message += f"; nor are {echoed(', '.join(others))}"
    raise RequestValidationError(
        [{"loc": ("query", first), "msg": message, "type": "extra_forbidden"}]
    )
