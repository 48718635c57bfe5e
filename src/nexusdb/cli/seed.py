"""`nexusdb seed`: load seeds/ into the database."""

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from nexusdb.cli.output import info, stderr
from nexusdb.db.engine import get_engine
from nexusdb.seeding.loader import seed as load_seeds
from nexusdb.seeding.sync import SyncReport


def seed(
    path: Annotated[
        Path, typer.Option("--path", help="Folder holding the seed YAML files and source texts.")
    ] = Path("seeds"),
    check: Annotated[
        bool, typer.Option("--check", help="Validate the files only; write nothing.")
    ] = False,
) -> None:
    """Load the curated seed files into the database, in one transaction.

    Re-running is safe: the database ends up matching the files; an unchanged seed changes nothing.

    Example: nexusdb seed --path seeds --check
    """
    engine = get_engine()
    with stderr.status("seeding") as status:
        report = load_seeds(engine, path, check=check, progress=lambda step: status.update(step))
    if report is None:
        info(f"{path}: valid, nothing written (--check)")
        return
    print_summary(report)


def print_summary(report: SyncReport) -> None:
    if not report.changed:
        info(
            f"no changes: the database already matches the seed ({sum(report.rows.values())} rows)"
        )
        return
    table = Table(title="seed changes", title_justify="left")
    for heading in ("table", "rows", "inserted", "updated", "deleted"):
        table.add_column(heading, justify="left" if heading == "table" else "right")
    for name, changes in report.tables.items():
        if changes.total:
            table.add_row(
                name,
                str(report.rows[name]),
                str(changes.inserted),
                str(changes.updated),
                str(changes.deleted),
            )
    stderr.print(table)
