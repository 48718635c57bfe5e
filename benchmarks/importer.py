"""Target 1, end to end: `nexusdb import` of a dataset file against a flat COPY of that file.

A generator writes N records in each real layout (ACLED's 31-column CSV, UCDP GED, PLOVER
JSONL), with hubs: a dozen actors appear in a large share of the records, the rest of
the names repeat the way dataset actors do. The benchmark then, in one run and on the
same server, (a) COPYs the file as it is into one flat text table and (b) imports it
end to end into a database at head, with every constraint, trigger and index in place.
The import runs in a child process so its peak memory is its own: streaming keeps it
flat in N.
"""

import csv
import json
import multiprocessing
import random
import resource
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from rich.table import Table
from sqlalchemy import create_engine, pool

from benchmarks.common import (
    fresh_database,
    progress,
    rate,
    results,
    server_url,
    server_version,
    verdict,
)
from nexusdb.db.engine import sqlalchemy_url
from nexusdb.ingest.acled import COLUMNS as ACLED_COLUMNS
from nexusdb.ingest.acled import Acled
from nexusdb.ingest.dataset import Dataset
from nexusdb.ingest.plover import Plover
from nexusdb.ingest.run import run_import
from nexusdb.ingest.ucdp import REQUIRED as UCDP_COLUMNS
from nexusdb.ingest.ucdp import Ucdp

TARGET_RATIO = 0.5
FAILED_BELOW = 0.25
HUBS = 12
HUB_SHARE = 0.3
FORMATS = ("acled", "ucdp", "plover")

SUB_EVENTS = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
    ("Riots", "Mob violence"),
    ("Strategic developments", "Arrests"),
]
COUNTRIES = [("804", "Ukraine"), ("643", "Russia"), ("760", "Syria"), ("422", "Lebanon"),
             ("364", "Iran"), ("887", "Yemen")]  # fmt: skip
PLOVER_TYPES = ["ASSAULT", "COERCE", "CONSULT", "ACCUSE", "AID", "PROTEST", "THREATEN"]


@dataclass
class Names:
    """Actor and place names: HUBS of them take HUB_SHARE of all mentions."""

    rng: random.Random
    actors: list[str]
    places: list[tuple[str, float, float]]

    @classmethod
    def make(cls, records: int, seed: int) -> "Names":
        rng = random.Random(seed)
        actors = [f"Military Forces of State {i} (2000-)" for i in range(HUBS)]
        actors += [f"Militia Ārmy {i} of Région {i % 97}" for i in range(max(50, records // 40))]
        places = [
            (f"Town {i} \u2013 Mārket", rng.uniform(30, 50), rng.uniform(30, 50))
            for i in range(max(20, records // 20))
        ]
        return cls(rng, actors, places)

    def actor(self) -> str:
        if self.rng.random() < HUB_SHARE:
            return self.actors[self.rng.randrange(HUBS)]
        return self.actors[self.rng.randrange(HUBS, len(self.actors))]

    def place(self) -> tuple[str, float, float]:
        return self.places[self.rng.randrange(len(self.places))]


def acled_rows(records: int, seed: int) -> Iterator[list[str]]:
    names = Names.make(records, seed)
    rng = names.rng
    for i in range(records):
        event_type, sub_event = SUB_EVENTS[i % len(SUB_EVENTS)]
        iso, country = COUNTRIES[i % len(COUNTRIES)]
        place, latitude, longitude = names.place()
        day = 1 + i % 28
        date = f"2024-10-{day:02d}" if i % 2 else f"{day:02d} October 2024"
        actor2 = names.actor() if i % 3 else ""
        values = {
            "event_id_cnty": f"BEN{i:08d}",
            "event_date": date,
            "year": "2024",
            "time_precision": str(1 + (i % 10 == 0) + (i % 25 == 0)),
            "disorder_type": "Political violence",
            "event_type": event_type,
            "sub_event_type": sub_event,
            "actor1": names.actor(),
            "assoc_actor_1": "; ".join(names.actor() for _ in range(i % 3 == 0)),
            "inter1": "1",
            "actor2": actor2,
            "assoc_actor_2": "",
            "inter2": "3" if actor2 else "",
            "interaction": "13",
            "civilian_targeting": "",
            "iso": iso,
            "region": "Europe",
            "country": country,
            "admin1": f"Oblast {i % 40}",
            "admin2": "",
            "admin3": "",
            "location": place,
            "latitude": f"{latitude:.4f}",
            "longitude": f"{longitude:.4f}",
            "geo_precision": str(1 + i % 3),
            "source": "Local media; Ministry of Defence",
            "source_scale": "National",
            "notes": f'On {date}, "forces" clashed near {place}, {rng.randrange(9)} killed.'
            + ("\nLater reports differ." if i % 7 == 0 else ""),
            "fatalities": str(rng.randrange(9)),
            "tags": "",
            "timestamp": str(1_728_000_000 + i),
        }
        yield [values[column] for column in ACLED_COLUMNS]


def ucdp_rows(records: int, seed: int) -> Iterator[list[str]]:
    names = Names.make(records, seed)
    rng = names.rng
    for i in range(records):
        place, latitude, longitude = names.place()
        low = rng.randrange(20)
        best, high = low + rng.randrange(3), low + 5
        values = dict.fromkeys(UCDP_COLUMNS, "")
        values.update(
            id=str(400_000 + i),
            year="2023",
            type_of_violence=str(1 + i % 3),
            conflict_name="State 1 - Militia",
            side_a=names.actor(),
            side_b="Civilians" if i % 3 == 2 else names.actor(),
            source_headline=f'Clashes near {place}, "{best} dead"',
            where_prec=str(1 + i % 7),
            where_description=place,
            latitude=f"{latitude:.4f}",
            longitude=f"{longitude:.4f}",
            country="Ukraine",
            date_start=f"2023-05-{1 + i % 28:02d}",
            date_end=f"2023-05-{1 + i % 28:02d}",
            deaths_a=str(low),
            deaths_b="0",
            deaths_civilians="0",
            deaths_unknown=str(best - low),
            best=str(best),
            low=str(low),
            high=str(high),
        )
        yield [values[column] for column in UCDP_COLUMNS]


def plover_lines(records: int, seed: int) -> Iterator[str]:
    names = Names.make(records, seed)
    for i in range(records):
        place, latitude, longitude = names.place()
        record = {
            "id": f"plv-{i:09d}",
            "date": f"2024-11-{1 + i % 28:02d}",
            "actor": [{"name": names.actor(), "actor_type": "MIL"}],
            "recipient": [{"country": "UKR"}] if i % 4 == 0 else [{"name": names.actor()}],
            "event": PLOVER_TYPES[i % len(PLOVER_TYPES)],
            "mode": "",
            "event_loc": {"name": place, "lat": round(latitude, 4), "lon": round(longitude, 4)},
            "event_text": f"Forces struck targets near {place}.",
            "text_info": {"sentence": 1},
            "cite_info": {"source": "wire"},
        }
        yield json.dumps(record, ensure_ascii=False) + "\n"


def write_file(layout: str, path: Path, records: int, seed: int) -> Path:
    """The same seed gives the same file, byte for byte."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        if layout == "plover":
            handle.writelines(plover_lines(records, seed))
            return path
        writer = csv.writer(handle)
        writer.writerow(ACLED_COLUMNS if layout == "acled" else UCDP_COLUMNS)
        writer.writerows(
            acled_rows(records, seed) if layout == "acled" else ucdp_rows(records, seed)
        )
    return path


def dataset_for(layout: str, path: Path) -> Dataset:
    if layout == "acled":
        return Acled()
    if layout == "ucdp":
        return Ucdp(path, "24.1")
    return Plover()


def flat_copy(url: str, layout: str, path: Path) -> float:
    """Seconds to COPY the file as it is into one table of text columns, and commit."""
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle)) if layout != "plover" else ["record"]
    columns = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(c)) for c in header)
    if layout == "plover":
        # One field per line: quote and delimiter characters that JSON never contains raw.
        options = sql.SQL("(FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')")
    else:
        options = sql.SQL("(FORMAT csv, HEADER true)")
    table = sql.Identifier(f"flat_{layout}")
    with psycopg.connect(url) as conn:
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
        conn.execute(sql.SQL("CREATE TABLE {} ({})").format(table, columns))
        conn.commit()
        started = time.perf_counter()
        with (
            path.open("rb") as handle,
            conn.cursor().copy(sql.SQL("COPY {} FROM STDIN {}").format(table, options)) as copy,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        conn.commit()
        return time.perf_counter() - started


def import_in_child(url: str, layout: str, path: Path, queue: Any) -> None:
    engine = create_engine(sqlalchemy_url(url), poolclass=pool.NullPool)
    report = run_import(engine, dataset_for(layout, path), path)
    engine.dispose()
    # ru_maxrss is in KiB on Linux.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((report.seconds, report.timings, peak, report.created, report.new_actors))


@dataclass
class Measurement:
    layout: str
    records: int
    flat: float
    imported: float
    timings: dict[str, float]
    peak_mib: float
    created: int
    new_actors: int


def measure(layout: str, records: int, seed: int, workdir: Path, *, keep: bool) -> Measurement:
    suffix = "jsonl" if layout == "plover" else "csv"
    path = write_file(layout, workdir / f"{layout}_{records}.{suffix}", records, seed)
    progress.print(f"  {layout}: wrote {records:,} records, {path.stat().st_size / 1e6:.0f} MB")
    with fresh_database(f"import_{layout}", keep=keep) as url:
        flat = flat_copy(url, layout, path)
        progress.print(f"  {layout}: flat COPY {flat:.1f} s")
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        child = context.Process(target=import_in_child, args=(url, layout, path, queue))
        child.start()
        seconds, timings, peak, created, new_actors = queue.get()
        child.join()
        progress.print(f"  {layout}: import {seconds:.1f} s")
    path.unlink()
    return Measurement(layout, records, flat, seconds, timings, peak, created, new_actors)


def run(*, records: list[int], layouts: list[str], seed: int, keep: bool, workdir: Path) -> None:
    measured = [measure(layout, n, seed, workdir, keep=keep) for n in records for layout in layouts]
    print_results(measured, server_version(server_url()))


def print_results(measured: list[Measurement], version: str) -> None:
    table = Table(
        title=f"Target 1: nexusdb import vs a flat COPY of the same file (PostgreSQL {version})"
    )
    for column in ("file", "records", "flat COPY s", "import s", "records/s", "vs flat",
                   "target", "verdict", "peak MiB"):  # fmt: skip
        table.add_column(column, justify="left" if column == "file" else "right")
    for m in measured:
        ratio = m.flat / m.imported
        table.add_row(
            m.layout,
            f"{m.records:,}",
            f"{m.flat:.2f}",
            f"{m.imported:.2f}",
            rate(m.records, m.imported),
            f"{ratio:.2f}x",
            f">= {TARGET_RATIO}x",
            verdict(ratio >= TARGET_RATIO),
            f"{m.peak_mib:.0f}",
        )
    results.print(table)
    steps = Table(title="Where the import's time goes (seconds)")
    steps.add_column("step")
    for m in measured:
        steps.add_column(f"{m.layout} {m.records:,}", justify="right")
    for step in measured[0].timings:
        steps.add_row(step, *(f"{m.timings.get(step, 0.0):.2f}" for m in measured))
    results.print(steps)
