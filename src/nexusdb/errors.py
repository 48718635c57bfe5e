"""Errors a user can cause and fix; the CLI prints them as one line, never a traceback."""

import psycopg


class NexusError(Exception):
    """An expected failure with a message written for the person at the keyboard."""


class DatabaseUnavailableError(NexusError):
    """The database cannot be reached or started."""


class RecordError(NexusError):
    """A record refused by the checks the seeder and the HTTP API share (`seeding.plan`).

    `problem` names the kind of refusal (`unknown-code`, `quote-not-found`, ...), for the
    API's problem type; the message names the entry and the field.
    """

    def __init__(self, message: str, *, problem: str | None = None) -> None:
        super().__init__(message)
        self.problem = problem or "invalid-record"


class SeedError(RecordError):
    """A seed file is invalid: the message names the file, the entry and the field."""


def database_error_line(error: psycopg.Error) -> str:
    """What PostgreSQL or libpq said, as one line: the message, then any detail.

    A failure to connect is an OperationalError without SQLSTATE (libpq's own message).
    """
    first = first_line(error)
    if error.sqlstate is None:
        connecting = isinstance(error, psycopg.OperationalError)
        return f"cannot reach the database: {first}" if connecting else f"database error: {first}"
    detail = error.diag.message_detail
    details = "; ".join(line.strip() for line in detail.splitlines()) if detail else ""
    primary = error.diag.message_primary or first
    return f"database error: {primary}" + (f" ({details})" if details else "")


def first_line(error: BaseException) -> str:
    """The first line of an error's message: libpq and the server often add hints below."""
    message = str(error).strip()
    return message.splitlines()[0] if message else "no message"
