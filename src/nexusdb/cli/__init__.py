"""The `nexusdb` command line: thin typer commands over the library, grouped by module."""

from nexusdb.cli.app import app, main

__all__ = ["app", "main"]
