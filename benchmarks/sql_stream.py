"""`nexusdb sql` memory against row count: streamed output should be flat.

Each run is `nexusdb sql` in a process of its own, writing a generated result (an integer
and an md5 per row) to /dev/null in one format; its peak RSS comes from the kernel's
accounting of that one child (`os.wait4`), so runs do not mask each other.
"""

import os
import resource
import subprocess
import time

from rich.table import Table

from benchmarks.common import fresh_database, progress, rate, results
from nexusdb.api.launch import NEXUSDB

QUERY = "SELECT g AS n, md5(g::text) AS hash FROM generate_series(1, {rows}) AS g"


def measure(url: str, rows: int, output_format: str) -> tuple[float, float]:
    """Peak RSS (MiB) and wall time (s) of one `nexusdb sql` printing `rows` rows."""
    environment = {**os.environ, "DATABASE_URL": url, "NEXUSDB_STATEMENT_TIMEOUT_MS": "0"}
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        child = subprocess.Popen(
            [str(NEXUSDB), "sql", QUERY.format(rows=rows), "--format", output_format],
            stdout=sink,
            env=environment,
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"nexusdb sql exited {child.returncode} at {rows} rows")
    # ru_maxrss is in KiB on Linux.
    return usage.ru_maxrss / 1024, elapsed


def run(*, row_counts: list[int], formats: list[str], keep: bool) -> None:
    table = Table(title="nexusdb sql: peak RSS by row count (output to /dev/null)")
    for column in ("format", "rows", "peak RSS MiB", "seconds", "rows/s"):
        table.add_column(column, justify="left" if column == "format" else "right")
    with fresh_database("sql", keep=keep) as url:
        for output_format in formats:
            peaks = []
            for rows in row_counts:
                progress.print(f"sql --format {output_format}: {rows:,} rows")
                peak, seconds = measure(url, rows, output_format)
                peaks.append(peak)
                table.add_row(
                    output_format,
                    f"{rows:,}",
                    f"{peak:,.1f}",
                    f"{seconds:,.1f}",
                    rate(rows, seconds),
                )
            table.add_row(
                output_format, "largest / smallest", f"{peaks[-1] / peaks[0]:.2f}x", "", ""
            )
    results.print(table)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.print(f"(this benchmark's own process: {own:,.1f} MiB)", highlight=False)
