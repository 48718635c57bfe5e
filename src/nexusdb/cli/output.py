"""Where output goes: data on stdout, messages and progress on stderr.

Every command that prints rows takes the one shared `--format` option defined here,
so `table`, `csv` and `json` mean the same thing everywhere.
"""

import csv
import json
import sys
from collections.abc import Callable, Iterator, Sequence
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


def write_rows(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    output_format: OutputFormat,
    *,
    title: str | None = None,
) -> None:
    """Print rows on stdout: a rich table (with `title`), CSV with a header, or JSON objects."""
    if output_format is OutputFormat.json:
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2, default=str) + "\n")
    elif output_format is OutputFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(value) for value in row] for row in rows)
    else:
        table = Table(*columns, title=title, highlight=False)
        for row in rows:
            table.add_row(*(_cell(value) for value in row))
        stdout.print(table)


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
