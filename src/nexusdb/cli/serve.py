"""`nexusdb serve`: the HTTP API on uvicorn, over the same database as every other command."""

import os
from typing import Annotated

import typer
import uvicorn

from nexusdb.api import create_app
from nexusdb.cli.output import info
from nexusdb.config import get_settings
from nexusdb.db import migrations
from nexusdb.db.engine import database_url, get_engine
from nexusdb.db.readonly import reader_ready
from nexusdb.db.roles import create_reader_role
from nexusdb.errors import NexusError


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; the default is this machine only.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1, max=64, help="Worker processes: one per core serves the most requests."
        ),
    ] = 1,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) until interrupted.

    The database is checked first: it must be at the head revision, and the reader role
    the read paths log in as is created or granted here if needed.

    Example: nexusdb serve --port 8000   (then: curl http://127.0.0.1:8000/actors/iran)
    """
    url = database_url()
    engine = get_engine(url)
    current, head = migrations.current_revision(engine), migrations.head_revision()
    if current != head:
        raise NexusError(
            f"the database schema is at {current or 'base'}, not {head}: run `nexusdb db upgrade`"
        )
    settings = get_settings()
    if not reader_ready(url, settings.reader_role):
        create_reader_role(engine, role=settings.reader_role)
    info(f"serving nexusdb on http://{host}:{port} (API docs at /docs); Ctrl-C stops it")
    if workers == 1:
        uvicorn.run(create_app(url, settings), host=host, port=port, log_level="warning")
    else:
        # Each worker process builds its own app (and connection pools) from the environment.
        os.environ.setdefault("DATABASE_URL", url)
        uvicorn.run(
            "nexusdb.api.app:from_environment",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="warning",
        )
