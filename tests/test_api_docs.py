"""docs/api.md's and docs/api-writes.md's curl examples run as written against a real
`nexusdb serve`, started on 127.0.0.1 on a free port over the seeded article and stopped
after, each answering the status the doc gives (`# 404` at the end of a line; 200
otherwise)."""

import os
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from nexusdb.api.launch import NEXUSDB, running_server
from nexusdb.db.roles import create_reader_role
from nexusdb.seeding.loader import seed
from tests.support import REPOSITORY, SEEDS, Databases, make_engine

API_DOC = REPOSITORY / "docs" / "api.md"
API_WRITES_DOC = REPOSITORY / "docs" / "api-writes.md"
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


@contextmanager
def serving(url: str, log: Path) -> Iterator[str]:
    """`nexusdb serve` over the database at `url`, whose reader role is granted; yields
    the base URL and stops the server after."""
    with running_server(url, log=log, startup_seconds=STARTUP_SECONDS) as server:
        yield server.base_url


@pytest.fixture(scope="module")
def served(
    seeded_url: str, seeded_api: TestClient, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The API over the seeded database, whose reader role `seeded_api` granted."""
    with serving(seeded_url, tmp_path_factory.mktemp("serve") / "serve.log") as base:
        yield base


@pytest.fixture(scope="module")
def served_for_writes(
    databases: Databases, template_name: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """The API over a seeded database of its own, which the write examples change, and a
    write token made as docs/api-writes.md makes it."""
    url = databases.create("api_writes_doc", template=template_name)
    engine = make_engine(url)
    seed(engine, SEEDS)
    create_reader_role(engine)
    engine.dispose()
    token = subprocess.run(
        [str(NEXUSDB), "token", "create", "--name", "dashboard", "--scope", "write"],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    with serving(url, tmp_path_factory.mktemp("serve") / "serve.log") as base:
        yield base, token


def run_block(path: Path, line: int, block: str, env: dict[str, str]) -> None:
    """Run one sh block as a script of statuses, and compare them with the doc's."""
    script, expected = as_status_script(block)
    assert expected, f"{path.name}:{line}: a block without curl"
    result = subprocess.run(
        ["bash", "-c", script],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert [int(status) for status in result.stdout.split()] == expected, (
        f"{path.name}:{line}: {result.stderr}"
    )


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
    run_block(API_DOC, line, block, {"API": served})


def test_the_write_examples_answer_their_statuses_in_order(
    served_for_writes: tuple[str, str],
) -> None:
    # The examples build on each other (a source, claims quoting it, an event citing
    # them), so they run in the order a reader follows them.
    base, token = served_for_writes
    blocks = examples(API_WRITES_DOC)
    assert len(blocks) >= 6
    for line, block in blocks:
        run_block(API_WRITES_DOC, line, block, {"API": base, "TOKEN": token})
