"""`nexusdb db ...`: the database itself: where it is, its server, its schema."""

from pathlib import Path
from typing import Annotated

import typer

from nexusdb.cli.output import info, progress, stdout
from nexusdb.config import get_settings
from nexusdb.db import dump as backup
from nexusdb.db import embedded, migrations
from nexusdb.db.engine import database_url, get_engine, redact
from nexusdb.db.roles import create_reader_role
from nexusdb.errors import NexusError

app = typer.Typer(
    help="Manage the database: its server, its schema, its roles.", no_args_is_help=True
)


@app.command("url")
def url() -> None:
    """Print the database's connection string (starts the embedded server if needed).

    Example: psql "$(nexusdb db url)"
    """
    stdout.print(database_url(), highlight=False)


@app.command("start")
def start() -> None:
    """Start the embedded PostgreSQL and leave it running for psql, notebooks and GUI tools.

    Example: nexusdb db start
    """
    settings = get_settings()
    if settings.database_url:
        info("DATABASE_URL is set: nexusdb uses that server and starts none of its own.")
        return
    stdout.print(redact(database_url(settings)), highlight=False)


@app.command("stop")
def stop() -> None:
    """Stop the embedded PostgreSQL.

    Example: nexusdb db stop
    """
    if embedded.stop(get_settings().data_dir):
        info("embedded PostgreSQL stopped")
    else:
        info("embedded PostgreSQL was not running")


@app.command("status")
def status() -> None:
    """Say which database nexusdb uses and whether the embedded server runs.

    Example: nexusdb db status
    """
    settings = get_settings()
    if settings.database_url:
        stdout.print(f"DATABASE_URL: {redact(settings.database_url)}", highlight=False)
        return
    current = embedded.status(settings.data_dir)
    state = f"running (pid {current.pid})" if current.running else "stopped"
    stdout.print(f"embedded PostgreSQL in {current.pgdata}: {state}", highlight=False)


@app.command("upgrade")
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Upgrade the schema to REVISION (default: the newest).

    Example: nexusdb db upgrade
    """
    move = migrations.upgrade(get_engine(), revision)
    if move.before == move.after:
        info(f"already at {move.after or 'base'}: nothing to do")
    else:
        info(f"schema upgraded from {move.before or 'base'} to {move.after}")


@app.command("downgrade")
def downgrade(
    revision: str = typer.Argument(..., help="Target revision, or 'base'."),
    yes: Annotated[
        bool, typer.Option("--yes", help="Confirm `base`: it drops every table and its rows.")
    ] = False,
) -> None:
    """Downgrade the schema to REVISION; `base` removes nexusdb from the database (with --yes).

    Extensions that were there before nexusdb stay.

    Example: nexusdb db downgrade base --yes
    """
    if revision == "base" and not yes:
        raise NexusError(
            "downgrading to base drops every nexusdb table and all its rows: pass --yes to do so"
        )
    move = migrations.downgrade(get_engine(), revision)
    if move.before == move.after:
        info(f"already at {move.after or 'base'}: nothing to do")
    else:
        info(f"schema downgraded from {move.before or 'base'} to {move.after or 'base'}")


@app.command("current")
def current() -> None:
    """Print the schema revision the database is at.

    Example: nexusdb db current
    """
    stdout.print(migrations.current_revision(get_engine()) or "base", highlight=False)


@app.command("history")
def history() -> None:
    """List the schema revisions, oldest first.

    Example: nexusdb db history
    """
    for revision in migrations.history():
        head = " (head)" if revision.is_head else ""
        stdout.print(f"{revision.revision}{head}  {revision.message}", highlight=False)


@app.command("create-reader")
def create_reader(
    password: Annotated[
        bool,
        typer.Option(
            "--password",
            help="Give the role a new random password, kept in NEXUSDB_DATA_DIR/reader.pgpass,"
            " for servers that ask the reader for one.",
        ),
    ] = False,
) -> None:
    """Create (or check) the read-only role nexus_reader and grant it read access here.

    Example: nexusdb db create-reader --password
    """
    settings = get_settings()
    role = settings.reader_role
    passfile = settings.reader_passfile if password else None
    create_reader_role(get_engine(), role=role, passfile=passfile)
    info(f"role {role} can read this database")
    if passfile:
        info(f"its password is in {passfile}")


@app.command("dump")
def dump(file: Annotated[Path, typer.Argument(help="The dump file to write.")]) -> None:
    """Back up the whole database to FILE (pg_dump's custom format, text included).

    Example: nexusdb db dump nexusdb.dump
    """
    url = database_url()
    with progress("dumping", total=backup.table_count(url)) as step:
        backup.dump(url, file, on_table=step)
    info(f"dumped to {file}")


@app.command("restore")
def restore(
    file: Annotated[Path, typer.Argument(help="A dump file written by `nexusdb db dump`.")],
    clean: Annotated[
        bool, typer.Option("--clean", help="Drop what the dump holds before restoring it.")
    ] = False,
) -> None:
    """Restore FILE into the database, in one transaction (it must be empty unless --clean).

    Example: nexusdb db restore nexusdb.dump
    """
    url = database_url()
    with progress("restoring") as step:
        backup.restore(url, file, clean=clean, on_table=step)
    info(f"restored {file}")
