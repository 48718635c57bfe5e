"""`nexusdb token create|list|revoke`: the bearer tokens the HTTP API accepts."""

from typing import Annotated

import typer
from sqlalchemy.orm import Session

from nexusdb.cli.output import FormatOption, OutputFormat, info, stdout, write_rows
from nexusdb.db.engine import get_engine
from nexusdb.repositories import TokenRepository

app = typer.Typer(help="Manage the HTTP API's bearer tokens.", no_args_is_help=True)

NameArgument = Annotated[str, typer.Argument(help="The token's name, e.g. the application's.")]


@app.command("create")
def create(
    name: Annotated[str, typer.Option("--name", help="A unique name, e.g. the application's.")],
    scope: Annotated[
        str, typer.Option("--scope", help="read (GET only) or write (also POST and PUT).")
    ],
) -> None:
    """Create a token and print it once: only its hash is kept, so store it now.

    Example: nexusdb token create --name dashboard --scope write
    """
    with Session(get_engine()) as session, session.begin():
        token, text = TokenRepository(session).create(name, scope)
    stdout.print(text, highlight=False)
    info(f"token {token.name!r} ({token.scope}) created; it is shown only this once")


@app.command("list")
def list_tokens(output_format: FormatOption = OutputFormat.table) -> None:
    """List the tokens: name, scope, when created and revoked (never the token itself).

    Example: nexusdb token list
    """
    with Session(get_engine()) as session:
        tokens = TokenRepository(session).all()
    write_rows(
        ["name", "scope", "created", "revoked"],
        (
            [
                token.name,
                token.scope,
                f"{token.created_at:%Y-%m-%d %H:%M:%S %Z}",
                f"{token.revoked_at:%Y-%m-%d %H:%M:%S %Z}" if token.revoked_at else None,
            ]
            for token in tokens
        ),
        output_format,
        title="API tokens",
    )


@app.command("revoke")
def revoke(name: NameArgument) -> None:
    """Revoke a token: the API refuses it from the next request on.

    Example: nexusdb token revoke dashboard
    """
    with Session(get_engine()) as session, session.begin():
        token = TokenRepository(session).revoke(name)
    info(f"token {token.name!r} revoked")
