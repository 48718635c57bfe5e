"""`nexusdb sql` and `nexusdb psql`: SQL by hand, read-only or in psql."""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from nexusdb.cli.output import FormatOption, OutputFormat, fail, info, write_rows
from nexusdb.config import get_settings
from nexusdb.db.engine import database_url, get_engine
from nexusdb.db.readonly import reader_can_read, run_read_only
from nexusdb.db.roles import create_reader_role
from nexusdb.db.tools import find_program, server_major


def _read_query(query_or_file: str) -> str:
    """The SQL itself, a file holding it, or `-` for standard input."""
    if query_or_file == "-":
        return sys.stdin.read()
    path = Path(query_or_file)
    if path.is_file():
        return path.read_text(encoding="utf-8")
    if path.suffix == ".sql":
        fail(f"no SQL file {path}")
    return query_or_file


def sql(
    query_or_file: Annotated[
        str, typer.Argument(help="A SELECT, a .sql file holding one, or - to read standard input.")
    ],
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """Run one read-only SQL statement and print its rows (writes are refused).

    Example: nexusdb sql "SELECT key, name FROM actor ORDER BY key" --format csv
    """
    query = _read_query(query_or_file)
    url = database_url()
    if not reader_can_read(url):
        create_reader_role(get_engine())
    result = run_read_only(url, query, timeout_ms=get_settings().statement_timeout_ms)
    if not result.columns:
        info("the statement returned no rows")
        return
    write_rows(result.columns, result.rows, output_format)


def psql(
    arguments: Annotated[
        list[str] | None,
        typer.Argument(help="Passed on to psql, after a `--`.", show_default=False),
    ] = None,
) -> None:
    """Open psql on the database (the wheel's or the system's psql, whichever suits the server).

    Example: nexusdb psql -- -c "SELECT count(*) FROM claim"
    """
    url = database_url()
    program = find_program("psql", server_major(url))
    os.execv(program.path, [str(program.path), url, *(arguments or [])])
