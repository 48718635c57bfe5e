"""`nexusdb search`, `actor`, `timeline`, `graph`, `stats`: answers from the research views.

The commands read the views and functions of the query layer (`docs/queries.md`); an
actor can be named by key, by name or by alias, and a near miss gets suggestions.
"""

import json
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from nexusdb.cli.output import FormatOption, OutputFormat, info, write_rows
from nexusdb.db import migrations
from nexusdb.db.engine import database_url, get_engine
from nexusdb.db.stats import row_counts
from nexusdb.repositories import (
    ActorRepository,
    EventRepository,
    RelationshipRepository,
    SearchRepository,
)
from nexusdb.schemas.dates import PreciseDate, parse_date

# How many events the timeline reads per round trip.
TIMELINE_PAGE = 500

ActorArgument = Annotated[str, typer.Argument(help="An actor's key, name or alias.")]

# The most rows a --limit may ask for: the SQL functions take an int, and a page of a
# million rows is already more than a terminal or a notebook wants.
MAX_ROWS = 1_000_000


def resolve_actor(session: Session, key_or_name: str) -> str:
    """The key of the actor `key_or_name` names; a typo's one close match is taken, and said."""
    match = ActorRepository(session).resolve(key_or_name)
    if not match.exact:
        info(f"no actor named '{key_or_name}'; the one close match is {match.key}")
    return match.key


def search(
    text: Annotated[
        str, typer.Argument(help="Words to look for; quotes and `or` work as on the web.")
    ],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=MAX_ROWS, help="At most this many hits.")
    ] = 20,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """Full-text search over claims, events and source paragraphs, with snippets.

    Example: nexusdb search "drone supplies"
    """
    with Session(get_engine()) as session:
        page = SearchRepository(session).search(text, limit=limit)
    rows = [(hit.kind, hit.key, hit.title, round(hit.rank, 3), hit.snippet) for hit in page.items]
    write_rows(["kind", "key", "title", "rank", "snippet"], rows, output_format)


def _relationship_line(edge: dict[str, Any]) -> str:
    period = edge.get("period")
    return f"{edge['label']} {edge['other_name']} ({edge['other_key']})" + (
        f", {period}" if period else ""
    )


def actor(
    key_or_name: ActorArgument,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """Show an actor's profile: names, ids, relationships, events and claims about it.

    Example: nexusdb actor "Hizbullah"
    """
    with Session(get_engine()) as session:
        key = resolve_actor(session, key_or_name)
        profile = ActorRepository(session).profile_row(key)
    columns, row = list(profile), tuple(profile.values())
    if output_format is not OutputFormat.table:
        write_rows(columns, [row], output_format)
        return
    lines = {
        **{name: value for name, value in profile.items() if not isinstance(value, list | dict)},
        "aliases": "; ".join(profile["aliases"]),
        "external_ids": json.dumps(profile["external_ids"]),
        "relationships": "\n".join(map(_relationship_line, profile["relationships"])),
        "events": ", ".join(profile["events"]),
        "claims_about": ", ".join(profile["claims_about"]),
    }
    write_rows(["field", "value"], list(lines.items()), output_format, title=profile["name"])


def _precise_date(value: str) -> PreciseDate:
    try:
        return parse_date(value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error


DATE_HELP = "2024, 2024-11 or 2024-11-21"


def timeline(
    actor_name: Annotated[
        str | None,
        typer.Option("--actor", "-a", help="Only events this actor (key, name or alias) was in."),
    ] = None,
    date_from: Annotated[
        PreciseDate | None,
        typer.Option(
            "--from", parser=_precise_date, help=f"Events ending on or after {DATE_HELP}."
        ),
    ] = None,
    date_to: Annotated[
        PreciseDate | None,
        typer.Option(
            "--to", parser=_precise_date, help=f"Events starting by the end of {DATE_HELP}."
        ),
    ] = None,
    include_all: Annotated[
        bool, typer.Option("--all", help="Also planned, predicted, hypothetical and denied events.")
    ] = False,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """List events in time order (what occurred, unless --all).

    Example: nexusdb timeline --actor iran --from 2023 --to 2024-11
    """
    with Session(get_engine()) as session:
        key = resolve_actor(session, actor_name) if actor_name else None
        events = EventRepository(session)
        rows: list[tuple[Any, ...]] = []
        after: str | None = None
        while True:
            page = events.timeline(
                actor=key,
                since=date_from,
                until=date_to,
                include_all=include_all,
                after=after,
                limit=TIMELINE_PAGE,
            )
            rows += (
                (
                    entry.period,
                    entry.key,
                    entry.type,
                    entry.factuality,
                    entry.title,
                    [f"{p.actor_key}:{p.role}" for p in entry.participants],
                )
                for entry in page.items
            )
            if page.next_after is None:
                break
            after = page.next_after
    columns = ["period", "event", "type", "factuality", "title", "participants"]
    write_rows(columns, rows, output_format)


def graph(
    key_or_name: ActorArgument,
    depth: Annotated[int, typer.Option("--depth", "-d", min=1, max=6, help="How many hops.")] = 2,
    relationship_types: Annotated[
        list[str] | None,
        typer.Option("--type", "-t", help="Only these relationship types (repeat the option)."),
    ] = None,
    limit: Annotated[
        int,
        typer.Option("--limit", "-n", min=1, max=MAX_ROWS, help="At most this many actors."),
    ] = 1000,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """List the actors within --depth relationships of an actor, with one shortest path.

    Example: nexusdb graph russia --depth 2 --type supplies_arms_to
    """
    with Session(get_engine()) as session:
        RelationshipRepository(session).check_types(relationship_types or [])
        key = resolve_actor(session, key_or_name)
        page = ActorRepository(session).neighbourhood(
            key, depth=depth, types=relationship_types or None, cap=limit, limit=limit
        )
    rows = [(n.key, n.name, n.kind, n.distance, " → ".join(n.path)) for n in page.items]
    write_rows(["actor", "name", "kind", "distance", "path"], rows, output_format)


def stats(output_format: FormatOption = OutputFormat.table) -> None:
    """Count the rows in every table, and say which schema revision the database is at.

    Example: nexusdb stats --format json
    """
    revision = migrations.current_revision(get_engine()) or "base"
    counts = row_counts(database_url())
    write_rows(["table", "rows"], list(counts.items()), output_format, title=f"schema {revision}")
