"""Checks on text a user hands nexusdb, before it reaches PostgreSQL.

PostgreSQL text holds neither NUL characters nor bytes that are not UTF-8. libpq ends a
query at a NUL, so `SELECT 1\\0; DELETE ...` would run its first part silently; Python
turns undecodable bytes of the command line into lone surrogates that fail later, deep
in a driver. Both are refused up front, naming where the text came from.
"""

from nexusdb.errors import NexusError


def check_text(text: str, what: str) -> None:
    """Refuse `text` (from `what`: "argument 2", a file name) if PostgreSQL cannot hold it."""
    if "\x00" in text:
        raise NexusError(f"{what} contains a NUL character, which PostgreSQL text cannot hold")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        shown = text.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
        raise NexusError(f"{what} is not UTF-8 text: {shown}") from None
