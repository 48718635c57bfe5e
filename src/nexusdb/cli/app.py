"""The root `nexusdb` app: wires the command groups and turns expected errors into one line."""

from typing import Any

import typer
from sqlalchemy.exc import OperationalError
from typer.core import TyperGroup

from nexusdb.cli import db, export, query, seed, sql
from nexusdb.cli.output import fail
from nexusdb.errors import NexusError


class NexusGroup(TyperGroup):
    """Turns expected failures anywhere below into one line and exit code 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except NexusError as error:
            fail(str(error))
        except OperationalError as error:
            fail(f"database error: {str(error.orig).strip().splitlines()[0]}")


app = typer.Typer(
    name="nexusdb",
    cls=NexusGroup,
    help="A PostgreSQL knowledge base of actors, events, claims, sources and relationships.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(db.app, name="db")
app.command("seed")(seed.seed)
app.command("sql")(sql.sql)
app.command("psql", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(
    sql.psql
)
app.command("search")(query.search)
app.command("actor")(query.actor)
app.command("timeline")(query.timeline)
app.command("graph")(query.graph)
app.command("stats")(query.stats)
app.command("export")(export.export)


def main() -> None:
    """Console entry point."""
    app()
