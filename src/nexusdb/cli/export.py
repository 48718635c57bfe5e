"""`nexusdb export`: the database, or one actor's neighbourhood, for other tools."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import psycopg
import typer
from sqlalchemy import text
from sqlalchemy.orm import Session

from nexusdb.cli.output import fail, info, progress
from nexusdb.cli.query import resolve_actor
from nexusdb.db.engine import database_url, get_engine
from nexusdb.export import graph, tables


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    graphml = "graphml"
    gexf = "gexf"


def _neighbourhood(url: str, key_or_name: str, depth: int) -> list[str]:
    """The keys of the actors within `depth` relationships of an actor (all of them)."""
    with Session(get_engine(url)) as session:
        key = resolve_actor(session, key_or_name)
        rows = session.execute(
            text("SELECT actor_key FROM actor_neighbourhood(:key, :depth, max_rows => NULL)"),
            {"key": key, "depth": depth},
        )
        return [actor_key for (actor_key,) in rows]


def export(
    export_format: Annotated[ExportFormat, typer.Option("--format", "-f", help="What to write.")],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="The file to write (a directory for csv: one file per table)."
        ),
    ],
    actor: Annotated[
        str | None,
        typer.Option(
            "--actor",
            "-a",
            help="Only this actor's neighbourhood: its actors and the relationships among them.",
        ),
    ] = None,
    depth: Annotated[
        int, typer.Option("--depth", "-d", min=1, max=6, help="Hops around --actor.")
    ] = 2,
    withhold_quotes: Annotated[
        bool,
        typer.Option(
            "--withhold-quotes",
            help="For sources that may not be redistributed, leave out claims' quotes too,"
            " keeping each one's span, length and SHA-256 (jsonl, csv).",
        ),
    ] = False,
) -> None:
    """Export every table (jsonl, csv) or the actor graph (graphml, gexf, for Gephi).

    With --actor, only that actor's neighbourhood. Text of sources that may not be
    redistributed is left out; with --withhold-quotes, their quotes as well.

    Example: nexusdb export --format graphml --out nexus.graphml --actor iran --depth 2
    """
    if not out.parent.is_dir():
        fail(f"cannot write {out}: no directory {out.parent}")
    url = database_url()
    actor_keys = _neighbourhood(url, actor, depth) if actor else None
    if export_format in (ExportFormat.jsonl, ExportFormat.csv):
        with psycopg.connect(url) as conn:
            total = len(tables.table_names(conn, subgraph=actor_keys is not None))
        write = tables.write_jsonl if export_format is ExportFormat.jsonl else tables.write_csv
        with progress(f"exporting {export_format}", total=total) as step:
            write(url, out, on_table=step, actor_keys=actor_keys, withhold_quotes=withhold_quotes)
        info(f"exported {total} tables to {out}")
        return
    with progress(f"exporting {export_format}") as step:
        actor_graph = graph.actor_graph(url, actor_keys=actor_keys)
        step("writing")
        graph.WRITERS[export_format](actor_graph, out)
    info(
        f"exported {actor_graph.number_of_nodes()} actors and "
        f"{actor_graph.number_of_edges()} relationships to {out}"
    )
