"""docs/api.md's curl examples run as written against a real `nexusdb serve`, started on
127.0.0.1 on a free port over the seeded article and stopped after, each answering the
status the doc gives (`# 404` at the end of a line; 200 otherwise)."""

import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.support import REPOSITORY

NEXUSDB = REPOSITORY / ".venv" / "bin" / "nexusdb"
API_DOC = REPOSITORY / "docs" / "api.md"
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```\n", re.DOTALL | re.MULTILINE)
EXPECTED = re.compile(r"^(curl .*?)(?:\s+#\s*(\d{3}))?$")
STARTUP_SECONDS = 30


def examples(path: Path) -> list[tuple[int, str]]:
    """Each sh block with the line it starts on."""
    content = path.read_text(encoding="utf-8")
    return [
        (content.count("\n", 0, match.start()) + 1, match.group(1))
        for match in SH_BLOCK.finditer(content)
    ]


def as_status_script(block: str) -> tuple[str, list[int]]:
    """The block as a script that prints each curl's status instead of its body, and the
    statuses the doc expects."""
    lines, expected = [], []
    for line in block.strip().splitlines():
        match = EXPECTED.match(line)
        if match is None:
            lines.append(line)
            continue
        expected.append(int(match.group(2) or 200))
        lines.append(
            "curl -o /dev/null -w '%{http_code}\\n' " + match.group(1).removeprefix("curl ")
        )
    return "\n".join(lines), expected


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def served(
    seeded_url: str, seeded_api: TestClient, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`nexusdb serve` over the seeded database, whose reader role `seeded_api` granted;
    yields the base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    env = {**os.environ, "DATABASE_URL": seeded_url}
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(NEXUSDB), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert server.poll() is None, log.read_text()
            try:
                if httpx2.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_doc_has_a_section_for_every_read_route(seeded_api: TestClient) -> None:
    app = seeded_api.app
    assert isinstance(app, FastAPI)
    text = API_DOC.read_text(encoding="utf-8")
    for route in app.routes:
        if isinstance(route, APIRoute) and "GET" in route.methods:
            heading = f"`GET {route.path}`"
            assert heading in text, f"docs/api.md has no section {heading}"
    assert "[api-writes.md](api-writes.md)" in text


@pytest.mark.parametrize(
    ("line", "block"), examples(API_DOC), ids=[f"line-{line}" for line, _ in examples(API_DOC)]
)
def test_each_curl_example_answers_its_status(served: str, line: int, block: str) -> None:
    script, expected = as_status_script(block)
    assert expected, f"docs/api.md:{line}: a block without curl"
    result = subprocess.run(
        ["bash", "-c", script],
        env={**os.environ, "API": served},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert [int(status) for status in result.stdout.split()] == expected, (
        f"docs/api.md:{line}: {result.stderr}"
    )
