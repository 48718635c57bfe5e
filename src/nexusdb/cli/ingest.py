"""`nexusdb import acled|ucdp|plover`: bring an event dataset's records in, in one transaction."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from nexusdb.cli.output import info, stderr
from nexusdb.db.engine import get_engine
from nexusdb.ingest.acled import Acled
from nexusdb.ingest.dataset import Dataset
from nexusdb.ingest.plover import Plover
from nexusdb.ingest.run import ImportReport, ProgressCallback, run_import
from nexusdb.ingest.ucdp import Ucdp

app = typer.Typer(
    help="Import an event dataset (ACLED, UCDP GED, PLOVER) as events, actors, places and claims.",
    no_args_is_help=True,
)

DataFile = Annotated[
    Path, typer.Argument(help="The dataset file.", exists=True, dir_okay=False, readable=True)
]
SkipInvalid = Annotated[
    Path | None,
    typer.Option(
        "--skip-invalid",
        metavar="REJECTS.csv",
        help="Load the good records; write each bad one, with its reason, to this CSV file.",
    ),
]


@app.command("acled")
def acled(
    file: DataFile,
    deletions: Annotated[
        Path | None,
        typer.Option(
            "--deletions",
            metavar="DELETED.csv",
            exists=True,
            dir_okay=False,
            help="ACLED deletions (event_id_cnty, deleted_timestamp), removed with their evidence.",
        ),
    ] = None,
    skip_invalid: SkipInvalid = None,
) -> None:
    """Import an ACLED export (the 31 standard columns); newer timestamps update in place.

    Example: nexusdb import acled acled_2024.csv --deletions deleted.csv
    """
    run(Acled(), file, deletions=deletions, rejects=skip_invalid)


@app.command("ucdp")
def ucdp(
    file: DataFile,
    version: Annotated[
        str | None,
        typer.Option(
            "--version",
            help="The GED release, e.g. 24.1 (default: read from a name like GEDEvent_v24_1.csv).",
        ),
    ] = None,
    skip_invalid: SkipInvalid = None,
) -> None:
    """Import a UCDP GED CSV release; a newer release supersedes an older one's records.

    Example: nexusdb import ucdp GEDEvent_v24_1.csv --version 24.1
    """
    run(Ucdp(file, version), file, rejects=skip_invalid)


@app.command("plover")
def plover(file: DataFile, skip_invalid: SkipInvalid = None) -> None:
    """Import PLOVER-coded events, one JSON object a line (POLECAT style).

    Example: nexusdb import plover polecat_2024_w40.jsonl --skip-invalid rejects.csv
    """
    run(Plover(), file, rejects=skip_invalid)


def run(
    dataset: Dataset, file: Path, *, deletions: Path | None = None, rejects: Path | None = None
) -> None:
    engine = get_engine()
    with progress_bar(file) as update:
        report = run_import(
            engine, dataset, file, deletions=deletions, rejects=rejects, progress=update
        )
    print_summary(report, rejects)


@contextmanager
def progress_bar(file: Path) -> Iterator[ProgressCallback]:
    """A progress bar on stderr: bytes of the file read, records, records per second."""
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[records]:,} records, {task.fields[rate]:,.0f}/s"),
        TimeElapsedColumn(),
    )
    # Only on a terminal: piped or captured output gets the summary alone.
    with Progress(*columns, console=stderr, transient=True, disable=not stderr.is_terminal) as bar:
        task = bar.add_task(file.name, total=file.stat().st_size, records=0, rate=0.0)

        def update(done: int, total: int, records: int) -> None:
            elapsed = bar.tasks[task].elapsed or 0.0
            bar.update(
                task,
                completed=done,
                total=total,
                records=records,
                rate=records / elapsed if elapsed else 0.0,
            )

        yield update


def print_summary(report: ImportReport, rejects: Path | None) -> None:
    if report.changed or report.rejected:
        print_table(report)
    else:
        info(
            f"no changes: the database is up to date with the {report.read:,} records of"
            f" {report.dataset} ({report.seconds:.1f} s)"
        )
    if report.deletions_not_found:
        info(
            f"{report.deletions_not_found:,} listed deletions were not in the database"
            " (or were older than the record there)"
        )
    if report.rejected and rejects:
        info(f"{report.rejected:,} rejected records written to {rejects}")


def print_table(report: ImportReport) -> None:
    table = Table(title=f"import {report.dataset}", title_justify="left", show_header=False)
    table.add_column("", justify="left")
    table.add_column("", justify="right")
    for label, value in (
        ("records read", report.read),
        ("created", report.created),
        ("updated", report.updated),
        ("unchanged", report.unchanged),
        ("deleted", report.deleted),
        ("withdrawn by deletions", report.withdrawn),
        ("rejected", report.rejected),
        ("new actors", report.new_actors),
        ("new places", report.new_places),
    ):
        table.add_row(label, f"{value:,}")
    table.add_row("seconds", f"{report.seconds:.1f}")
    stderr.print(table)
