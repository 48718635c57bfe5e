"""`nexusdb sql` and `nexusdb psql`: SQL by hand, read-only or in psql."""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from nexusdb.cli.arguments import check_text
from nexusdb.cli.output import FormatOption, OutputFormat, fail, info, write_rows
from nexusdb.config import get_settings
from nexusdb.db.engine import database_url, get_engine
from nexusdb.db.readonly import read_only_query, reader_ready
from nexusdb.db.roles import create_reader_role
from nexusdb.db.tools import client_connection, find_program, server_major


def _names_a_file(path: Path) -> bool:
    """Whether the argument is a file; a query too long to be a file name is not one."""
    try:
        return path.is_file()
    except OSError:
        return False


def _read_query(query_or_file: str) -> str:
    """The SQL itself, a file holding it, or `-` for standard input."""
    if query_or_file == "-":
        query = sys.stdin.read()
        check_text(query, "standard input")
        return query
    path = Path(query_or_file)
    if _names_a_file(path):
        try:
            query = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            fail(f"{path} is not UTF-8 text: byte {error.object[error.start]:#x} at {error.start}")
        check_text(query, str(path))
        return query
    if path.suffix == ".sql":
        fail(f"no SQL file {path}")
    return query_or_file


# A table is built whole before it is printed: more rows than this want csv or json.
TABLE_ROWS = 1_000


def sql(
    query_or_file: Annotated[
        str, typer.Argument(help="A SELECT, a .sql file holding one, or - to read standard input.")
    ],
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """Run one SQL statement logged in as the read-only role and print its rows as they come.

    Example: nexusdb sql "SELECT key, name FROM actor ORDER BY key" --format csv
    """
    query = _read_query(query_or_file)
    url = database_url()
    settings = get_settings()
    role = settings.reader_role
    if not reader_ready(url, role):
        create_reader_role(get_engine(), role=role)
    with read_only_query(
        url,
        query,
        role=role,
        passfile=settings.reader_passfile,
        timeout_ms=settings.statement_timeout_ms,
    ) as result:
        if not result.columns:
            info("the statement returned no rows")
            return
        write_rows(result.columns, result.rows, output_format, table_limit=TABLE_ROWS)


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
    connection = client_connection(url)
    os.execve(
        program.path, [str(program.path), connection.conninfo, *(arguments or [])], connection.env
    )
