"""Where output goes: data on stdout, messages and progress on stderr.

Every command that prints rows takes the one shared `--format` option defined here,
so `table`, `csv` and `json` mean the same thing everywhere.
"""

import csv
import itertools
import json
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

stdout = Console(soft_wrap=True)
stderr = Console(stderr=True, soft_wrap=True)


def fail(message: str, *, code: int = 1) -> NoReturn:
    """One line, no traceback: `Error: ...` on stderr and a non-zero exit."""
    stderr.print(f"[bold red]Error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def info(message: str) -> None:
    stderr.print(message, highlight=False)


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="table for reading, csv or json for other programs."),
]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _write_json(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A JSON list of objects, written one object at a time as the rows come."""
    opening = "[\n"
    for row in rows:
        record = json.dumps(
            dict(zip(columns, row, strict=True)), ensure_ascii=False, indent=2, default=str
        )
        sys.stdout.write(opening + textwrap.indent(record, "  "))
        opening = ",\n"
    sys.stdout.write("[]\n" if opening == "[\n" else "\n]\n")


def write_rows(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    output_format: OutputFormat,
    *,
    title: str | None = None,
    table_limit: int | None = None,
) -> None:
    """Print rows on stdout: a rich table (with `title`), CSV with a header, or JSON objects.

    CSV and JSON are written row by row as `rows` yields them. A table is built whole
    before it is printed, so with `table_limit` it shows that many rows and says so on
    stderr when there were more.
    """
    if output_format is OutputFormat.json:
        _write_json(columns, rows)
    elif output_format is OutputFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(value) for value in row] for row in rows)
    else:
        shown = list(rows if table_limit is None else itertools.islice(rows, table_limit + 1))
        table = Table(*columns, title=title, highlight=False)
        for row in shown[:table_limit]:
            table.add_row(*(_cell(value) for value in row))
        stdout.print(table)
        if table_limit is not None and len(shown) > table_limit:
            info(f"showing the first {table_limit} rows; --format csv or json writes them all")


@contextmanager
def progress(description: str, *, total: int | None = None) -> Iterator[Callable[[str], None]]:
    """A status line on stderr for long work; the caller reports each step it finishes.

    With `total` it is a bar that advances one step per report; without, a spinner.
    """
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,
    ) as bar:
        task = bar.add_task(description, total=total)

        def step(done: str) -> None:
            bar.update(task, description=done, advance=1)

        yield step
