"""`python -m benchmarks`: nexusdb's performance targets, measured as ratios in one run.

    python -m benchmarks all --events 50000        # what `make bench` runs
    python -m benchmarks synthetic --events 1000000 --keep
    python -m benchmarks queries --database nexusdb_bench_synthetic_1234
    python -m benchmarks ingest --records 100000
    python -m benchmarks sql --rows 1000000 10000000
    python -m benchmarks import --import-records 100000 1000000 --layouts acled
    python -m benchmarks api --database nexusdb_bench_synthetic_1234 --seconds 20

The server is DATABASE_URL's when set, else the embedded PostgreSQL. Every benchmark
works in a database of its own, migrated to head, and drops it at the end unless
--keep. They exit 0 whether targets pass or not: they measure, they do not test.
"""

import argparse
import os
import tempfile
from pathlib import Path

from benchmarks import api, importer, ingest, queries, sql_stream, synthetic
from benchmarks.common import (
    DEFAULT_TIMEOUT_MS,
    existing_database,
    fresh_database,
    results,
    server_url,
    server_version,
)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0] if __doc__ else None
    )
    commands = root.add_subparsers(dest="command", required=True)

    def data_options(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--events",
            type=int,
            default=50_000,
            help="events to generate; relationships = events, claims = 2 x events (default 50000)",
        )
        command.add_argument(
            "--hub-share",
            type=float,
            default=0.1,
            help="share of edge and participant ends that fall on the 12 hubs (default 0.1)",
        )
        command.add_argument("--seed", type=int, default=20241121, help="RNG seed")
        command.add_argument(
            "--keep", action="store_true", help="keep the database instead of dropping it"
        )

    def query_options(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--calls", type=int, default=300, help="timed calls per query (default 300)"
        )
        command.add_argument(
            "--timeout-ms",
            type=int,
            default=DEFAULT_TIMEOUT_MS,
            help=f"stop a call after this long and count it at this value "
            f"(default {DEFAULT_TIMEOUT_MS})",
        )
        command.add_argument(
            "--full-plans", action="store_true", help="print the whole EXPLAIN of each hub call"
        )

    def ingest_options(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--records", type=int, default=100_000, help="claim records per COPY (default 100000)"
        )
        command.add_argument(
            "--repeats", type=int, default=3, help="alternating runs of each COPY (default 3)"
        )

    def import_options(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--import-records",
            type=int,
            nargs="+",
            default=[100_000],
            help="records per generated file, one run each (default 100000)",
        )
        command.add_argument(
            "--layouts",
            nargs="+",
            choices=importer.FORMATS,
            default=list(importer.FORMATS),
            help="file layouts to import (default: all three)",
        )
        command.add_argument(
            "--workdir", type=Path, default=None, help="where the generated files go (a temp dir)"
        )

    import_command = commands.add_parser(
        "import", help="target 1 end to end: nexusdb import vs a flat COPY of the file"
    )
    import_options(import_command)
    import_command.add_argument("--seed", type=int, default=20241121, help="RNG seed")
    import_command.add_argument(
        "--keep", action="store_true", help="keep the databases instead of dropping them"
    )

    synthetic_command = commands.add_parser("synthetic", help="generate and load a data set")
    data_options(synthetic_command)

    queries_command = commands.add_parser("queries", help="target 2: query latency on the data")
    data_options(queries_command)
    query_options(queries_command)
    queries_command.add_argument(
        "--database", help="use this kept database (from --keep) instead of generating one"
    )

    ingest_command = commands.add_parser("ingest", help="target 1: claim ingest vs a flat COPY")
    ingest_options(ingest_command)
    ingest_command.add_argument("--seed", type=int, default=20241121, help="RNG seed")
    ingest_command.add_argument(
        "--keep", action="store_true", help="keep the database instead of dropping it"
    )

    sql_command = commands.add_parser("sql", help="nexusdb sql: peak memory by row count")
    sql_command.add_argument(
        "--rows",
        type=int,
        nargs="+",
        default=[1_000_000, 10_000_000],
        help="row counts to print, smallest first (default 1000000 10000000)",
    )
    sql_command.add_argument(
        "--formats",
        nargs="+",
        choices=["csv", "json", "table"],
        default=["csv", "json"],
        help="output formats to measure (default csv json)",
    )
    sql_command.add_argument(
        "--keep", action="store_true", help="keep the database instead of dropping it"
    )

    api_command = commands.add_parser(
        "api", help="the HTTP API: requests/s and p95 at 1, 16 and 64 clients"
    )
    data_options(api_command)
    api_command.add_argument(
        "--database", help="use this kept database (from --keep) instead of generating one"
    )
    api_command.add_argument(
        "--seconds", type=float, default=20.0, help="timed seconds per client count (default 20)"
    )
    api_command.add_argument(
        "--budget",
        type=int,
        default=50_000,
        help="at most this many requests per client count (default 50000)",
    )
    api_command.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="nexusdb serve worker processes (default: one per core)",
    )

    all_command = commands.add_parser("all", help="ingest, then synthetic load and queries")
    data_options(all_command)
    query_options(all_command)
    ingest_options(all_command)
    import_options(all_command)
    return root


def main() -> None:
    args = parser().parse_args()
    results.print(
        f"nexusdb benchmarks on PostgreSQL {server_version(server_url())}", highlight=False
    )
    if args.command == "sql":
        sql_stream.run(row_counts=args.rows, formats=args.formats, keep=args.keep)
        return
    if args.command in ("ingest", "all"):
        ingest.run(records=args.records, repeats=args.repeats, seed=args.seed, keep=args.keep)
    if args.command in ("import", "all"):
        with tempfile.TemporaryDirectory() as scratch:
            importer.run(
                records=args.import_records,
                layouts=args.layouts,
                seed=args.seed,
                keep=args.keep,
                workdir=args.workdir or Path(scratch),
            )
    if args.command == "api":
        run_api(args)
        return
    if args.command == "queries" and args.database:
        run_queries(existing_database(args.database), args)
        return
    if args.command in ("synthetic", "queries", "all"):
        scale = synthetic.Scale(events=args.events, hub_share=args.hub_share, seed=args.seed)
        with fresh_database("synthetic", keep=args.keep) as url:
            synthetic.print_report(synthetic.load(url, scale), scale)
            if args.command != "synthetic":
                run_queries(url, args)


def run_api(args: argparse.Namespace) -> None:
    def measure(url: str) -> None:
        api.run(url, seconds=args.seconds, budget=args.budget, seed=args.seed, workers=args.workers)

    if args.database:
        measure(existing_database(args.database))
        return
    scale = synthetic.Scale(events=args.events, hub_share=args.hub_share, seed=args.seed)
    with fresh_database("synthetic", keep=args.keep) as url:
        synthetic.print_report(synthetic.load(url, scale), scale)
        measure(url)


def run_queries(url: str, args: argparse.Namespace) -> None:
    queries.run(
        url,
        calls=args.calls,
        timeout_ms=args.timeout_ms,
        full_plans=args.full_plans,
        seed=args.seed,
    )


if __name__ == "__main__":
    main()
