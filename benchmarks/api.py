"""The HTTP API under load: `nexusdb serve` (uvicorn, one process) on 127.0.0.1 over the
synthetic data set, and a bounded async httpx client loop at 1, 16 and 64 concurrent
clients over a mix of actor profiles, claims pages, searches and timelines.

Target (issue 10), on this 2-core machine with the 50k-event data set: >= 500 requests/s
and p95 < 50 ms at 16 clients. Requests are timed from the client, as an application sees
them: the client, the server and PostgreSQL share the machine's cores, which is the
setting of a dashboard and its API on one small host. Each level runs for a fixed time
(or until its request budget is spent), after a short warm-up that is not counted.
"""

import asyncio
import os
import random
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx2
import psycopg
from rich.table import Table
from sqlalchemy import create_engine, pool

from benchmarks.common import percentile, progress, results, verdict
from benchmarks.queries import HUB_CALL_SHARE, find_actors
from benchmarks.synthetic import CONTENT_WORDS
from nexusdb.api.launch import RunningServer, running_server
from nexusdb.db.engine import redact, sqlalchemy_url
from nexusdb.db.roles import create_reader_role

CLIENTS = (1, 16, 64)
TARGET_CLIENTS = 16
TARGET_RPS = 500.0
TARGET_P95_MS = 50.0
WARM_UP_SECONDS = 2.0
# A request slower than this is cut off and counted as an error at this value.
REQUEST_TIMEOUT_S = 10.0
# Distinct requests drawn per endpoint; the loop cycles through them.
REQUESTS_PER_ENDPOINT = 400
ENDPOINTS = ("actor profile", "claims page", "search", "timeline")


@dataclass(frozen=True)
class Request:
    endpoint: str
    path: str


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a live process has used; 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_tree(root: int) -> list[int]:
    """`root` and every process below it (uvicorn's workers, PostgreSQL's backends)."""
    parents: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents[ppid].append(int(entry.name))
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending += parents.get(pid, [])
    return found


def postmaster_pid(url: str) -> int | None:
    """The server's postmaster, when its data directory is readable here (the embedded
    server, or a server on this machine run by this user); None otherwise."""
    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SHOW data_directory").fetchone()
        return int((Path(str(row[0])) / "postmaster.pid").read_text().split()[0]) if row else None
    except (psycopg.Error, OSError, ValueError):
        return None


CpuSample = tuple[dict[int, float], dict[int, float], float]


@dataclass(frozen=True)
class CpuMeter:
    """CPU seconds used by the API server's processes, the database server's, and this
    client, read from /proc (Linux). A process that ends between two readings takes its
    time with it (pooled connections rarely do during a level)."""

    server: int
    postmaster: int | None

    def read(self) -> CpuSample:
        server = {pid: _cpu_of(pid) for pid in process_tree(self.server)}
        database = (
            {pid: _cpu_of(pid) for pid in process_tree(self.postmaster)} if self.postmaster else {}
        )
        return server, database, time.process_time()

    def per_request(
        self, before: CpuSample, after: CpuSample, requests: int
    ) -> tuple[float, float | None, float]:
        """Milliseconds of CPU per request between two readings: the API server's,
        PostgreSQL's (None when its processes cannot be seen), the client's."""

        def used(start: dict[int, float], end: dict[int, float]) -> float:
            return sum(seconds - start.get(pid, 0.0) for pid, seconds in end.items())

        scale = 1000 / requests
        database = used(before[1], after[1]) * scale if self.postmaster else None
        return used(before[0], after[0]) * scale, database, (after[2] - before[2]) * scale


@dataclass
class Level:
    """What one concurrency level measured."""

    clients: int
    seconds: float = 0.0
    # CPU milliseconds per request: API server, PostgreSQL (None: not measurable), client.
    cpu_ms: tuple[float, float | None, float] = (0.0, None, 0.0)
    ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def requests(self) -> int:
        return sum(len(times) for times in self.ms.values()) + sum(self.errors.values())

    @property
    def all_ms(self) -> list[float]:
        return [value for times in self.ms.values() for value in times]

    def rps(self, endpoint: str | None = None) -> float:
        if self.seconds <= 0:
            return 0.0
        if endpoint is None:
            return self.requests / self.seconds
        return (len(self.ms[endpoint]) + self.errors[endpoint]) / self.seconds


def request_mix(url: str, seed: int) -> list[Request]:
    """The four endpoints in equal shares, interleaved; a tenth of the actor calls (at
    least one per hub) on the hubs, as in queries.py."""
    rng = random.Random(seed)
    with psycopg.connect(url) as conn:
        actors = find_actors(conn)

    def actor() -> tuple[str, str]:
        pool_ = actors.hubs if rng.random() < HUB_CALL_SHARE else actors.others
        return rng.choice(pool_)

    per_endpoint: dict[str, list[Request]] = {name: [] for name in ENDPOINTS}
    for _ in range(REQUESTS_PER_ENDPOINT):
        key, name = actor()
        per_endpoint["actor profile"].append(Request("actor profile", f"/actors/{key}"))
        key, _ = actor()
        per_endpoint["claims page"].append(Request("claims page", f"/actors/{key}/claims"))
        words = name if rng.random() < 0.2 else " ".join(rng.sample(CONTENT_WORDS, 1))
        per_endpoint["search"].append(Request("search", f"/search?q={quote(words)}&limit=20"))
        key, _ = actor()
        per_endpoint["timeline"].append(Request("timeline", f"/timeline?actor={key}"))
    mix = [request for group in zip(*per_endpoint.values(), strict=True) for request in group]
    rng.shuffle(mix)
    return mix


@contextmanager
def serving(url: str, *, workers: int) -> Iterator[RunningServer]:
    """`nexusdb serve --workers N` over `url` in a process of its own, its reader role
    granted first; stopped (with its workers) at the end."""
    engine = create_engine(sqlalchemy_url(url), poolclass=pool.NullPool)
    try:
        create_reader_role(engine)
    finally:
        engine.dispose()
    with (
        tempfile.TemporaryDirectory() as scratch,
        running_server(url, log=Path(scratch) / "serve.log", workers=workers) as server,
    ):
        progress.print(f"nexusdb serve on {server.base_url} over {redact(url)} (pid {server.pid})")
        yield server


async def drive(
    base: str, mix: list[Request], *, clients: int, seconds: float, budget: int, meter: CpuMeter
) -> Level:
    """`clients` concurrent loops over the mix until `seconds` pass or `budget` requests
    are sent; the first WARM_UP_SECONDS are not counted."""
    level = Level(clients)
    cursor = 0
    limits = httpx2.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx2.AsyncClient(
        base_url=base, limits=limits, timeout=REQUEST_TIMEOUT_S
    ) as client:
        warm_until = time.perf_counter() + WARM_UP_SECONDS
        started = warm_until
        stop = warm_until + seconds
        sent = 0
        cpu_at_start: CpuSample | None = None

        async def meter_after_warm_up() -> None:
            nonlocal cpu_at_start
            await asyncio.sleep(WARM_UP_SECONDS)
            cpu_at_start = meter.read()

        async def one_client() -> None:
            nonlocal cursor, sent
            while time.perf_counter() < stop and sent < budget:
                request = mix[cursor % len(mix)]
                cursor += 1
                began = time.perf_counter()
                try:
                    response = await client.get(request.path)
                    ok = response.status_code == 200
                except httpx2.HTTPError:
                    ok = False
                ended = time.perf_counter()
                if began < warm_until:
                    continue
                sent += 1
                if ok:
                    level.ms[request.endpoint].append((ended - began) * 1000)
                else:
                    level.errors[request.endpoint] += 1

        await asyncio.gather(meter_after_warm_up(), *(one_client() for _ in range(clients)))
        level.seconds = max(time.perf_counter(), started) - started
        cpu_at_end = meter.read()
    if cpu_at_start is not None and level.requests:
        level.cpu_ms = meter.per_request(cpu_at_start, cpu_at_end, level.requests)
    return level


def report(levels: list[Level]) -> None:
    table = Table(title="HTTP API: requests/s and latency per endpoint (client-side, ms)")
    for column in ("clients", "endpoint", "requests", "req/s", "p50", "p95", "max", "errors"):
        table.add_column(column, justify="left" if column == "endpoint" else "right")
    for level in levels:
        for endpoint in (*ENDPOINTS, None):
            times = level.all_ms if endpoint is None else level.ms[endpoint]
            errors = sum(level.errors.values()) if endpoint is None else level.errors[endpoint]
            count = len(times) + errors
            table.add_row(
                str(level.clients),
                endpoint or "[bold]all[/bold]",
                f"{count:,}",
                f"{level.rps(endpoint):,.0f}",
                f"{percentile(times, 0.5):.1f}" if times else "-",
                f"{percentile(times, 0.95):.1f}" if times else "-",
                f"{max(times):.1f}" if times else "-",
                str(errors),
            )
        table.add_section()
    results.print(table)
    cpu = Table(title="CPU per request (ms), and what it allows on this machine's idle cores")
    for column in ("clients", "API server", "PostgreSQL", "client", "server side req/s max"):
        cpu.add_column(column, justify="right")
    cores = os.cpu_count() or 1
    for level in levels:
        server, database, client = level.cpu_ms
        side = server + (database or 0.0)
        cpu.add_row(
            str(level.clients),
            f"{server:.2f}",
            f"{database:.2f}" if database is not None else "-",
            f"{client:.2f}",
            f"{cores * 1000 / side:,.0f}" if side > 0 else "-",
        )
    results.print(cpu)
    target = next((level for level in levels if level.clients == TARGET_CLIENTS), None)
    if target is None or not target.all_ms:
        return
    rps, p95 = target.rps(), percentile(target.all_ms, 0.95)
    errors = sum(target.errors.values())
    results.print(
        f"target at {TARGET_CLIENTS} clients: {rps:,.0f} requests/s"
        f" = {rps / TARGET_RPS:.2f}x of >= {TARGET_RPS:.0f} {verdict(rps >= TARGET_RPS)};"
        f" p95 {p95:.1f} ms = {p95 / TARGET_P95_MS:.2f}x of < {TARGET_P95_MS:.0f} ms"
        f" {verdict(p95 < TARGET_P95_MS)}; {errors} errors",
        highlight=False,
    )


def run(
    url: str,
    *,
    seconds: float,
    budget: int,
    seed: int,
    workers: int,
    clients: tuple[int, ...] = CLIENTS,
) -> None:
    """Measure the API over the data set at `url` (loaded already), level by level."""
    mix = request_mix(url, seed)
    load = os.getloadavg()
    progress.print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    levels = []
    progress.print(f"nexusdb serve with {workers} worker process(es)")
    with serving(url, workers=workers) as server:
        meter = CpuMeter(server=server.pid, postmaster=postmaster_pid(url))
        for count in clients:
            progress.print(f"{count} client(s) for {seconds:.0f} s ...")
            levels.append(
                asyncio.run(
                    drive(
                        server.base_url,
                        mix,
                        clients=count,
                        seconds=seconds,
                        budget=budget,
                        meter=meter,
                    )
                )
            )
    load = os.getloadavg()
    results.print(
        f"machine load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        f" ({os.cpu_count()} cores)",
        highlight=False,
    )
    report(levels)
