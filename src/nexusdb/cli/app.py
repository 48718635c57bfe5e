"""The root `nexusdb` app: wires the command groups and turns expected errors into one line.

Every command hangs below `NexusGroup`, so a command added later gets the same treatment:
its arguments are checked for text PostgreSQL cannot hold, and the failures a user can
cause and fix (a NexusError, an unreachable or refusing database, a schema this version
does not know, a bad setting, bytes that are not UTF-8, a usage mistake) print one line.
"""

from typing import Any

import psycopg
import typer
from alembic.util import CommandError
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError
from typer.core import TyperGroup

from nexusdb.cli import db, export, ingest, query, seed, serve, sql, token
from nexusdb.cli.arguments import check_text
from nexusdb.cli.output import fail
from nexusdb.config import Settings
from nexusdb.errors import NexusError, database_error_line

# Where parse_args keeps the whole command line for invoke to check.
ARGUMENTS = "nexusdb.arguments"


def _usage_line(error: typer.TyperException) -> str:
    context = getattr(error, "ctx", None)
    hint = f" (see `{context.command_path} --help`)" if context is not None else ""
    return f"{error.format_message()}{hint}"


def _settings_line(error: ValidationError) -> str:
    problems = (
        f"{'.'.join(str(part) for part in problem['loc'])}: "
        + problem["msg"].removeprefix("Value error, ")
        for problem in error.errors()
    )
    return "bad setting " + "; ".join(problems)


class NexusGroup(TyperGroup):
    """Turns expected failures anywhere below into one line and exit code 1 (2 for usage)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta[ARGUMENTS] = list(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            for position, argument in enumerate(ctx.meta.get(ARGUMENTS, []), start=1):
                check_text(argument, f"argument {position}")
            return super().invoke(ctx)
        except NexusError as error:
            fail(str(error))
        except DBAPIError as error:
            if not isinstance(error.orig, psycopg.Error):
                raise
            fail(database_error_line(error.orig))
        except psycopg.Error as error:
            fail(database_error_line(error))
        except CommandError as error:
            fail(f"migrations: {error}")
        except ValidationError as error:
            if error.title != Settings.__name__:
                raise
            fail(_settings_line(error))
        except UnicodeError as error:
            fail(f"text that is not UTF-8: {error}")
        except typer.TyperException as error:
            # `nexusdb db` alone shows its help by raising this (typer tests the name too).
            if type(error).__name__ == "NoArgsIsHelpError":
                raise
            fail(_usage_line(error), code=error.exit_code)


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
app.add_typer(ingest.app, name="import")
app.command("serve")(serve.serve)
app.add_typer(token.app, name="token")


def main() -> None:
    """Console entry point."""
    app()
