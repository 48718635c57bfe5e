"""Target 2: research queries at scale, hubs included, with the plans that explain them.

DESIGN.md: at 1M events / 1M relationships / 2M claims, with hubs in the sample, actor
profile and 2-hop neighbourhood p95 < 20 ms, full-text search p95 < 50 ms, and EXPLAIN
showing index use. One call in ten goes to a hub (the most connected actors, found in
the data rather than assumed), because the average actor is cheap and a researcher's
first questions are about Iran or the United States. Calls are timed from the client,
result transfer included, as an application sees them.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

import psycopg
from psycopg import sql
from rich.table import Table

from benchmarks.common import percentile, progress, results, server_version, verdict
from benchmarks.synthetic import CONTENT_WORDS

HUB_COUNT = 12
HUB_CALL_SHARE = 0.1
WARM_UP_CALLS = 20
# A sequential scan over a table this small is the right plan, not a missing index.
SMALL_TABLE_ROWS = 10_000


@dataclass(frozen=True)
class Query:
    name: str
    statement: str
    target_ms: float | None


QUERIES = (
    Query("actor profile", "SELECT * FROM actor_profile WHERE actor_key = %s", 20.0),
    Query("2-hop neighbourhood", "SELECT * FROM actor_neighbourhood(%s, 2)", 20.0),
    Query("full-text search", "SELECT * FROM search_text(%s, 20)", 50.0),
    Query("fuzzy actor lookup", "SELECT * FROM find_actor(%s)", 10.0),
    Query("actor timeline, first page", "SELECT * FROM actor_timeline(%s, NULL, 50)", 20.0),
)


@dataclass(frozen=True)
class Call:
    argument: str
    is_hub: bool


@dataclass
class Timings:
    """Milliseconds per call; a call stopped by the timeout counts at the timeout."""

    query: Query
    hub_ms: list[float] = field(default_factory=list)
    other_ms: list[float] = field(default_factory=list)
    timeouts: int = 0

    @property
    def all_ms(self) -> list[float]:
        return self.hub_ms + self.other_ms


@dataclass(frozen=True)
class Actors:
    hubs: list[tuple[str, str]]  # key, name; most connected first
    others: list[tuple[str, str]]


def find_actors(conn: psycopg.Connection[Any]) -> Actors:
    """Hubs are the actors with the most relationships; the rest are named, non-hub actors."""
    hubs = conn.execute(
        """
        SELECT a.key, a.name
        FROM (
            SELECT actor_id, count(*) AS degree
            FROM (SELECT subject_id AS actor_id FROM relationship
                  UNION ALL SELECT object_id FROM relationship) AS edge_end
            GROUP BY actor_id
            ORDER BY degree DESC, actor_id
            LIMIT %s
        ) AS d
        JOIN actor AS a ON a.id = d.actor_id
        ORDER BY d.degree DESC, a.key
        """,
        [HUB_COUNT],
    ).fetchall()
    others = conn.execute(
        "SELECT key, name FROM actor WHERE NOT is_anonymous AND NOT key = ANY(%s) ORDER BY key",
        [[key for key, _ in hubs]],
    ).fetchall()
    return Actors(hubs=list(hubs), others=list(others))


def typo(rng: random.Random, name: str) -> str:
    """A name as a hurried researcher types it: one letter dropped or two swapped."""
    if len(name) < 5:
        return name.lower()
    position = rng.randrange(1, len(name) - 2)
    if rng.random() < 0.5:
        return name[:position] + name[position + 1 :]
    return name[:position] + name[position + 1] + name[position] + name[position + 2 :]


def calls_for(query: Query, actors: Actors, count: int, rng: random.Random) -> list[Call]:
    """`count` arguments for `query`, HUB_CALL_SHARE of them (at least one each) on hubs."""
    hub_calls = max(len(actors.hubs), round(count * HUB_CALL_SHARE))
    picks = [(actors.hubs[i % len(actors.hubs)], True) for i in range(hub_calls)]
    picks += [(rng.choice(actors.others), False) for _ in range(count - hub_calls)]
    rng.shuffle(picks)
    return [Call(argument(query, actor, is_hub, rng), is_hub) for actor, is_hub in picks]


def argument(query: Query, actor: tuple[str, str], is_hub: bool, rng: random.Random) -> str:
    """A key for the actor queries; a name, topic words or a typo for the searches."""
    key, name = actor
    if query.name == "full-text search":
        if is_hub or rng.random() < 0.2:
            return name
        return " ".join(rng.sample(CONTENT_WORDS, rng.choice((1, 1, 2))))
    if query.name == "fuzzy actor lookup":
        return typo(rng, name)
    return key


def time_calls(
    conn: psycopg.Connection[Any], query: Query, calls: list[Call], timeout_ms: int
) -> Timings:
    timings = Timings(query)
    conn.execute(sql.SQL("SET statement_timeout = {}").format(sql.Literal(timeout_ms)))
    for call in calls:
        started = perf_ms()
        try:
            conn.execute(query.statement, [call.argument]).fetchall()
            elapsed = perf_ms() - started
        except psycopg.errors.QueryCanceled:
            elapsed = float(timeout_ms)
            timings.timeouts += 1
        (timings.hub_ms if call.is_hub else timings.other_ms).append(elapsed)
    return timings


def perf_ms() -> float:
    return perf_counter() * 1000


@dataclass
class PlanSummary:
    """What one EXPLAIN (ANALYZE, BUFFERS) says, in a line or two."""

    execution_ms: float
    shared_hit: int
    shared_read: int
    temp_written: int
    indexes: list[str]
    seq_scans: list[str]
    hottest: str


def nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def inclusive_ms(node: dict[str, Any]) -> float:
    return float(node["Actual Total Time"]) * int(node["Actual Loops"])


def node_label(node: dict[str, Any]) -> str:
    label = str(node["Node Type"])
    if "Index Name" in node:
        label += f" {node['Index Name']}"
    elif "Relation Name" in node:
        label += f" on {node['Relation Name']}"
    elif "CTE Name" in node:
        label += f" {node['CTE Name']}"
    return label


def summarise(explained: dict[str, Any], table_rows: dict[str, float]) -> PlanSummary:
    """Index use, big sequential scans, and the node where the time goes (self time)."""
    root = explained["Plan"]
    indexes: dict[str, None] = {}
    seq_scans: dict[str, None] = {}
    # A CTE Scan's time includes evaluating its CTE, which has a node of its own.
    cte_ms = {
        str(node["Subplan Name"]).removeprefix("CTE "): inclusive_ms(node)
        for node in nodes(root)
        if str(node.get("Subplan Name", "")).startswith("CTE ")
    }
    hottest, hottest_ms = "", -1.0
    for node in nodes(root):
        if "Index Name" in node:
            indexes[str(node["Index Name"])] = None
        relation = str(node.get("Relation Name", ""))
        if node["Node Type"] == "Seq Scan" and table_rows.get(relation, 0) > SMALL_TABLE_ROWS:
            rows = node["Actual Rows"] * node["Actual Loops"]
            seq_scans[f"{relation} ({table_rows[relation]:,.0f} rows, {rows:,} out)"] = None
        own_ms = inclusive_ms(node) - sum(inclusive_ms(c) for c in node.get("Plans", []))
        if node["Node Type"] == "CTE Scan":
            own_ms -= cte_ms.get(str(node.get("CTE Name")), 0.0)
        if own_ms > hottest_ms:
            hottest, hottest_ms = node_label(node), own_ms
    return PlanSummary(
        execution_ms=float(explained["Execution Time"]),
        shared_hit=int(root.get("Shared Hit Blocks", 0)),
        shared_read=int(root.get("Shared Read Blocks", 0)),
        temp_written=int(root.get("Temp Written Blocks", 0)),
        indexes=list(indexes),
        seq_scans=list(seq_scans),
        hottest=f"{hottest} ({hottest_ms:,.0f} ms self)",
    )


def explain(
    conn: psycopg.Connection[Any], query: Query, value: str, *, full: bool
) -> PlanSummary | str:
    """EXPLAIN (ANALYZE, BUFFERS) of one call; a string when the call timed out."""
    try:
        row = conn.execute(
            "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + query.statement, [value]
        ).fetchone()
        if full:
            text = conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + query.statement, [value])
            results.print(f"\n[bold]{query.name}[/bold]({value!r})", highlight=False)
            results.print("\n".join(str(line[0]) for line in text), highlight=False, markup=False)
    except psycopg.errors.QueryCanceled:
        return "timed out"
    assert row is not None
    return summarise(row[0][0], table_sizes(conn))


def table_sizes(conn: psycopg.Connection[Any]) -> dict[str, float]:
    rows = conn.execute(
        "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND relnamespace = "
        "'public'::regnamespace"
    ).fetchall()
    return {str(name): float(tuples) for name, tuples in rows}


def print_data(conn: psycopg.Connection[Any], actors: Actors) -> None:
    counts = conn.execute(
        """
        SELECT (SELECT count(*) FROM event), (SELECT count(*) FROM relationship),
               (SELECT count(*) FROM claim), (SELECT count(*) FROM source_segment),
               (SELECT count(*) FROM actor)
        """
    ).fetchone()
    assert counts is not None
    results.print(
        f"data: {counts[0]:,} events, {counts[1]:,} relationships, {counts[2]:,} claims, "
        f"{counts[3]:,} paragraphs, {counts[4]:,} actors",
        highlight=False,
    )
    degrees = conn.execute(
        """
        SELECT a.name,
               (SELECT count(*) FROM relationship AS r
                WHERE r.subject_id = a.id OR r.object_id = a.id),
               (SELECT count(*) FROM event_participant AS p WHERE p.actor_id = a.id),
               (SELECT count(*) FROM claim_actor AS c WHERE c.actor_id = a.id)
        FROM actor AS a WHERE a.key = ANY(%s)
        """,
        [[key for key, _ in actors.hubs[:3]]],
    ).fetchall()
    for name, relationships, events, claims in sorted(degrees, key=lambda d: -d[1]):
        results.print(
            f"  hub {name}: {relationships:,} relationships, {events:,} events, "
            f"{claims:,} claims about it",
            highlight=False,
        )


def fmt(value: float, timeout_ms: int) -> str:
    return f">= {value:,.0f}" if value >= timeout_ms else f"{value:,.1f}"


def run(url: str, *, calls: int, timeout_ms: int, full_plans: bool, seed: int) -> None:
    """Time every query over the same sample, print the table, then one hub's plans."""
    rng = random.Random(seed)
    with psycopg.connect(url, autocommit=True) as conn:
        actors = find_actors(conn)
        print_data(conn, actors)
        samples = {query: calls_for(query, actors, calls, rng) for query in QUERIES}
        timings: list[Timings] = []
        for query, query_calls in samples.items():
            progress.print(f"  timing {query.name}: {len(query_calls)} calls")
            time_calls(conn, query, query_calls[:WARM_UP_CALLS], timeout_ms)
            timings.append(time_calls(conn, query, query_calls, timeout_ms))
        print_timings(timings, timeout_ms, server_version(url), calls)
        conn.execute(sql.SQL("SET statement_timeout = {}").format(sql.Literal(timeout_ms * 6)))
        hub = actors.hubs[0]
        plans = {
            query: explain(conn, query, argument(query, hub, True, rng), full=full_plans)
            for query in QUERIES
        }
        print_plans(plans, hub[1])


def print_timings(timings: list[Timings], timeout_ms: int, version: str, calls: int) -> None:
    table = Table(
        title=f"Target 2: query latency in ms, {calls} calls each, "
        f"{HUB_CALL_SHARE:.0%} on hubs (PostgreSQL {version})"
    )
    for column in ("query", "p50", "p95", "max", "p95 hubs", "p95 others", "timeouts"):
        table.add_column(column, justify="left" if column == "query" else "right")
    for column in ("target p95", "target/p95", "verdict"):
        table.add_column(column, justify="right")
    for timing in timings:
        p95 = percentile(timing.all_ms, 0.95)
        target = timing.query.target_ms
        table.add_row(
            timing.query.name,
            fmt(percentile(timing.all_ms, 0.5), timeout_ms),
            fmt(p95, timeout_ms),
            fmt(max(timing.all_ms), timeout_ms),
            fmt(percentile(timing.hub_ms, 0.95), timeout_ms),
            fmt(percentile(timing.other_ms, 0.95), timeout_ms),
            str(timing.timeouts),
            f"< {target:.0f}" if target else "none set",
            f"{target / p95:.2f}x" if target else "",
            verdict(p95 < target) if target else "",
        )
    results.print(table)


def print_plans(plans: dict[Query, PlanSummary | str], hub_name: str) -> None:
    table = Table(title=f"EXPLAIN (ANALYZE, BUFFERS) of one call on the top hub, {hub_name}")
    for column in ("query", "ms", "buffers hit/read", "indexes used", "big seq scans", "hottest"):
        table.add_column(column, overflow="fold")
    for query, summary in plans.items():
        if isinstance(summary, str):
            table.add_row(query.name, summary, "", "", "", "")
            continue
        buffers = f"{summary.shared_hit:,}/{summary.shared_read:,}"
        if summary.temp_written:
            buffers += f"\n{summary.temp_written:,} temp written"
        table.add_row(
            query.name,
            f"{summary.execution_ms:,.1f}",
            buffers,
            "\n".join(summary.indexes) or "[red]none[/red]",
            "\n".join(summary.seq_scans) or "none",
            summary.hottest,
        )
    results.print(table)
