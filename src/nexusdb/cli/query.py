"""`nexusdb search`, `actor`, `timeline`, `graph`, `stats`: answers from the research views.

The commands read the views and functions of the query layer (`docs/queries.md`); an
actor can be named by key, by name or by alias, and a near miss gets suggestions.
"""

import json
from typing import Annotated, Any

import psycopg
import typer

from nexusdb.cli.output import FormatOption, OutputFormat, info, write_rows
from nexusdb.db import migrations
from nexusdb.db.engine import database_url, get_engine
from nexusdb.db.stats import row_counts
from nexusdb.errors import NexusError
from nexusdb.schemas.dates import PreciseDate, parse_date

ActorArgument = Annotated[str, typer.Argument(help="An actor's key, name or alias.")]

# One actor whose key, name or alias is exactly what was typed (ignoring case and
# accents), else the closest candidates for a "did you mean".
ACTOR_CANDIDATES = """
SELECT key, key = %(typed)s OR normalize_name(matched_name) = normalize_name(%(typed)s)
FROM find_actor(%(typed)s, 5)
"""


def resolve_actor(conn: psycopg.Connection, key_or_name: str) -> str:
    """The key of the actor `key_or_name` names, or of its only close match (a typo);
    otherwise an error with the close matches as suggestions."""
    candidates = conn.execute(ACTOR_CANDIDATES, {"typed": key_or_name}).fetchall()
    exact = list(dict.fromkeys(key for key, is_exact in candidates if is_exact))
    if len(exact) == 1:
        return str(exact[0])
    if exact:
        raise NexusError(f"'{key_or_name}' names several actors: {', '.join(exact)}; use a key")
    if len(candidates) == 1:
        ((closest, _),) = candidates
        info(f"no actor named '{key_or_name}'; the one close match is {closest}")
        return str(closest)
    suggestions = ", ".join(key for key, _ in candidates)
    raise NexusError(
        f"no actor '{key_or_name}'" + (f"; did you mean: {suggestions}?" if suggestions else "")
    )


def search(
    text: Annotated[
        str, typer.Argument(help="Words to look for; quotes and `or` work as on the web.")
    ],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="At most this many hits.")
    ] = 20,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """Full-text search over claims, events and source paragraphs, with snippets.

    Example: nexusdb search "drone supplies"
    """
    with psycopg.connect(database_url()) as conn:
        cursor = conn.execute(
            "SELECT kind, key, title, round(rank::numeric, 3), snippet FROM search_text(%s, %s)",
            [text, limit],
        )
        rows = cursor.fetchall()
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
    with psycopg.connect(database_url()) as conn:
        key = resolve_actor(conn, key_or_name)
        cursor = conn.execute("SELECT * FROM actor_profile WHERE actor_key = %s", [key])
        row = cursor.fetchone()
        # resolve_actor found the actor, so its profile is there.
        assert row is not None
        assert cursor.description is not None
        columns = [column.name for column in cursor.description]
    if output_format is not OutputFormat.table:
        write_rows(columns, [row], output_format)
        return
    profile = dict(zip(columns, row, strict=True))
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

# Events that overlap [from, to], every date taken as its whole period (`--to 2024` is
# all of 2024; an event ending "2024-11" has not ended before 2024-11-20); an unknown end
# counts as the start.
TIMELINE = """
SELECT period, event_key, type, factuality, title, participants
FROM event_timeline
WHERE (%(all)s OR factuality IN ('occurred', 'ongoing'))
  AND (%(actor)s::text IS NULL OR EXISTS (
        SELECT 1 FROM unnest(participants) AS p WHERE split_part(p, ':', 1) = %(actor)s))
  AND (%(from)s::date IS NULL OR is_ongoing
        OR coalesce(precise_date_upper(end_date, end_precision),
                    precise_date_upper(start_date, start_precision)) > %(from)s::date)
  AND (%(to)s::date IS NULL
        OR start_date < precise_date_upper(%(to)s::date, %(to_precision)s::text))
"""


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
    with psycopg.connect(database_url()) as conn:
        key = resolve_actor(conn, actor_name) if actor_name else None
        rows = conn.execute(
            TIMELINE,
            {
                "all": include_all,
                "actor": key,
                "from": date_from.value if date_from else None,
                "to": date_to.value if date_to else None,
                "to_precision": date_to.precision if date_to else None,
            },
        ).fetchall()
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
        int, typer.Option("--limit", "-n", min=1, help="At most this many actors.")
    ] = 1000,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """List the actors within --depth relationships of an actor, with one shortest path.

    Example: nexusdb graph russia --depth 2 --type supplies_arms_to
    """
    with psycopg.connect(database_url()) as conn:
        key = resolve_actor(conn, key_or_name)
        rows = conn.execute(
            "SELECT actor_key, actor_name, actor_kind, distance, array_to_string(path, ' → ')"
            " FROM actor_neighbourhood(%s, %s, %s, NULL, false, %s)",
            [key, depth, relationship_types or None, limit],
        ).fetchall()
    write_rows(["actor", "name", "kind", "distance", "path"], rows, output_format)


def stats(output_format: FormatOption = OutputFormat.table) -> None:
    """Count the rows in every table, and say which schema revision the database is at.

    Example: nexusdb stats --format json
    """
    revision = migrations.current_revision(get_engine()) or "base"
    counts = row_counts(database_url())
    write_rows(["table", "rows"], list(counts.items()), output_format, title=f"schema {revision}")
