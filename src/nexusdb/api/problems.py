"""Every 4xx and 5xx as an RFC 9457 problem (`application/problem+json`).

`type` is one of the URNs below, documented in docs/api.md, so a client can branch on it
without parsing `detail`; `instance` is the path that failed.
"""

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from nexusdb.errors import NexusError, first_line
from nexusdb.repositories import InvalidCursorError, RecordNotFoundError

MEDIA_TYPE = "application/problem+json"


class Problem(BaseModel):
    """The body of every error response."""

    type: str
    title: str
    status: int
    detail: str
    instance: str


class Moved(Exception):  # noqa: N818 (not an error: a redirect)
    """What a route raises when the record lives at another URL now (a merged key)."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def _moved(request: Request, error: Exception) -> RedirectResponse:
    assert isinstance(error, Moved)
    return RedirectResponse(error.location, status_code=308)


def problem_type(name: str) -> str:
    return f"urn:nexusdb:problem:{name}"


def problem(
    request: Request,
    status: int,
    name: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        type=problem_type(name),
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
    )
    return JSONResponse(
        body.model_dump(), status_code=status, media_type=MEDIA_TYPE, headers=headers
    )


# How much of a value a client sent a problem's detail quotes.
ECHOED = 100


def echoed(value: str) -> str:
    """`value` quoted for a detail: whole up to ECHOED characters, else its start and its
    length, so a detail stays short whatever was sent."""
    if len(value) <= ECHOED:
        return repr(value)
    return f"{value[:ECHOED]!r}... ({len(value)} characters)"


def _parameter(location: tuple[Any, ...]) -> str:
    """`("query", "limit")` as "query parameter 'limit'"; a body field by its path."""
    where, *path = location or ("request",)
    name = ".".join(str(part) for part in path)
    if where == "body":
        return f"body field {echoed(name)}" if name else "body"
    return f"{where} parameter {echoed(name)}" if name else str(where)


@dataclass(frozen=True)
class BodyProblem:
    """Why a request body cannot be read as JSON (`middleware.JsonBody`), answered in
    place of the validation error its body gets once the route has checked its token."""

    status: int
    name: str
    detail: str


# Where JsonBody leaves a BodyProblem in the request's scope.
BODY_PROBLEM = "nexusdb.body_problem"


def _validation(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    body = request.scope.get(BODY_PROBLEM)
    if isinstance(body, BodyProblem) and any(item["loc"][0] == "body" for item in error.errors()):
        return problem(request, body.status, body.name, body.detail)
    details = "; ".join(
        f"{_parameter(tuple(item['loc']))}: {item['msg']}" for item in error.errors()
    )
    return problem(request, 422, "invalid-parameter", details)


def _allowed(methods: str) -> str:
    """A 405's `Allow`, with HEAD wherever GET is (middleware.HeadAsGet answers it)."""
    listed = [method.strip() for method in methods.split(",")]
    if "GET" in listed and "HEAD" not in listed:
        listed.append("HEAD")
    return ", ".join(listed)


def _http(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    names = {404: "not-found", 405: "method-not-allowed", 401: "unauthorized", 403: "forbidden"}
    detail = error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code).phrase
    headers = dict(error.headers or {})
    if "Allow" in headers:
        headers["Allow"] = _allowed(headers["Allow"])
    return problem(
        request,
        error.status_code,
        names.get(error.status_code, "http-error"),
        detail,
        headers=headers,
    )


def _not_found(request: Request, error: Exception) -> JSONResponse:
    return problem(request, 404, "not-found", str(error))


def _bad_cursor(request: Request, error: Exception) -> JSONResponse:
    """Names the token as the client sent it, not what the repository found inside it."""
    cursor = request.query_params.get("cursor", "")
    return problem(
        request, 400, "invalid-cursor", f"not a cursor of this listing: {echoed(cursor)}"
    )


def _refused(request: Request, error: Exception) -> JSONResponse:
    """A refused record names its kind of refusal (`RecordError.problem`); a write that
    clashes with what is stored says 409."""
    name = getattr(error, "problem", "refused")
    return problem(request, getattr(error, "status", 422), name, str(error))


def _database(request: Request, error: Exception) -> JSONResponse:
    """A query past the statement timeout, or a server that went away, is a 503 to retry."""
    original = error.orig if isinstance(error, DBAPIError) else error
    if isinstance(original, psycopg.errors.QueryCanceled):
        return problem(
            request,
            503,
            "timeout",
            "the query ran longer than the statement timeout; narrow it or retry later",
            headers={"Retry-After": "5"},
        )
    if isinstance(original, psycopg.OperationalError) and original.sqlstate is None:
        return problem(
            request,
            503,
            "unavailable",
            f"the database cannot be reached: {first_line(original)}",
            headers={"Retry-After": "5"},
        )
    return _unexpected(request, error)


def _unexpected(request: Request, error: Exception) -> JSONResponse:
    return problem(request, 500, "internal", "the server failed; the error is in its log")


def install(app: FastAPI) -> None:
    app.add_exception_handler(Moved, _moved)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RecordNotFoundError, _not_found)
    app.add_exception_handler(InvalidCursorError, _bad_cursor)
    app.add_exception_handler(NexusError, _refused)
    app.add_exception_handler(DBAPIError, _database)
    app.add_exception_handler(psycopg.Error, _database)
    app.add_exception_handler(Exception, _unexpected)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """What a route declares for its documented error responses."""
    return {
        status: {
            "model": Problem,
            "content": {MEDIA_TYPE: {}},
            "description": HTTPStatus(status).phrase,
        }
        for status in statuses
    }


PROBLEM_RESPONSES = problem_responses(400, 404, 422, 503)
# A write may also be refused for its token, a body that is not JSON (400) or not sent as
# JSON (415), or clash with what is stored.
WRITE_PROBLEM_RESPONSES = problem_responses(400, 401, 403, 409, 415, 422, 503)
