"""Errors a user can cause and fix; the CLI prints them as one line, never a traceback."""


class NexusError(Exception):
    """An expected failure with a message written for the person at the keyboard."""


class DatabaseUnavailableError(NexusError):
    """The database cannot be reached or started."""


class SeedError(NexusError):
    """A seed file is invalid: the message names the file, the entry and the field."""
