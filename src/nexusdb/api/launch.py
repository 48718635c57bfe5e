"""`nexusdb serve` as a child process on 127.0.0.1, for code that needs a real server for
a while and must stop it after: the API benchmark, the tests that run docs/api.md's curl
examples, a notebook that calls the API over HTTP."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# The `nexusdb` console script installed next to the running interpreter (the project's
# .venv): the one path to it for everything that runs nexusdb as a child process.
NEXUSDB = Path(sys.executable).with_name("nexusdb")


@dataclass(frozen=True)
class RunningServer:
    base_url: str
    pid: int


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def running_server(
    database_url: str, *, log: Path, workers: int = 1, startup_seconds: float = 60
) -> Iterator[RunningServer]:
    """`nexusdb serve` over `database_url` (whose reader role must be ready), its output in
    `log`; yields once `/health` answers, and stops the server and its workers at the end.

    Raises RuntimeError with the server's output if it exits or does not answer in time.
    """
    port = free_port()
    command = [str(NEXUSDB), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("w") as output:
        server = subprocess.Popen(
            [*command, "--workers", str(workers)],
            env={**os.environ, "DATABASE_URL": database_url},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_seconds
        while not _answers(f"{base_url}/health"):
            if server.poll() is not None:
                raise RuntimeError(f"nexusdb serve stopped: {log.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"nexusdb serve did not answer within {startup_seconds} s: {log.read_text()}"
                )
            time.sleep(0.2)
        yield RunningServer(base_url, server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
