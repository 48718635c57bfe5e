"""Helpers for the CLI tests: run nexusdb as a user would, and read the database back."""

import psycopg
from typer.testing import CliRunner, Result

from nexusdb.cli import app

runner = CliRunner()


def invoke(*arguments: str) -> Result:
    return runner.invoke(app, list(arguments))


def scalar(url: str, query: str) -> object:
    with psycopg.connect(url) as conn:
        row = conn.execute(query.encode()).fetchone()
    assert row is not None
    return row[0]
