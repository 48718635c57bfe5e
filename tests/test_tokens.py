"""`nexusdb token` and the token repository: a token is shown once, kept as a hash, listed
without it, revoked by name; and no reader or export ever sees the token tables."""

import hashlib
import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from nexusdb.models import PRIVATE_TABLES, ApiToken
from nexusdb.repositories import (
    RecordNotFoundError,
    StoredResponses,
    TokenError,
    TokenRepository,
)
from tests.cli_support import error_line, invoke, scalar
from tests.support import make_engine, snapshot


def test_create_prints_the_token_once_and_keeps_only_its_hash(fresh: str) -> None:
    result = invoke("token", "create", "--name", "dashboard", "--scope", "write")
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert token.startswith("nxdb_")
    assert len(token) == len("nxdb_") + 43  # 32 random bytes, base64url
    assert result.stderr.strip() == "token 'dashboard' (write) created; it is shown only this once"
    stored = scalar(fresh, "SELECT token_sha256 FROM api_token WHERE name = 'dashboard'")
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    listed = invoke("token", "list", "-f", "json")
    assert token not in listed.stdout
    assert str(stored) not in listed.stdout


def test_list_shows_name_scope_created_and_revoked(fresh: str) -> None:
    invoke("token", "create", "--name", "notebook", "--scope", "read")
    invoke("token", "create", "--name", "checker", "--scope", "write")
    assert invoke("token", "revoke", "checker").stderr.strip() == "token 'checker' revoked"
    rows = json.loads(invoke("token", "list", "--format", "json").stdout)
    assert [(row["name"], row["scope"], row["revoked"] is None) for row in rows] == [
        ("checker", "write", False),
        ("notebook", "read", True),
    ]
    assert all(row["created"].endswith(" UTC") for row in rows)
    table = invoke("token", "list").stdout
    assert "API tokens" in table
    assert "notebook" in table


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (
            ["create", "--name", "app", "--scope", "admin"],
            "Error: unknown scope 'admin' (known: read, write)",
        ),
        (
            ["create", "--name", "my app", "--scope", "read"],
            "Error: a token name is letters, digits, '.', '_' and '-', not 'my app'",
        ),
        (
            ["create", "--name", "taken", "--scope", "read"],
            "Error: a token named 'taken' exists already; pick another name",
        ),
        (["revoke", "nobody"], "Error: no token named 'nobody' (see `nexusdb token list`)"),
    ],
)
def test_mistakes_are_one_line_and_change_nothing(
    fresh: str, arguments: list[str], line: str
) -> None:
    invoke("token", "create", "--name", "taken", "--scope", "write")
    engine = make_engine(fresh)
    before = snapshot(engine)
    assert error_line(invoke("token", *arguments)) == line
    assert snapshot(engine) == before
    engine.dispose()


def test_revoking_twice_says_when(fresh: str) -> None:
    invoke("token", "create", "--name", "once", "--scope", "read")
    invoke("token", "revoke", "once")
    assert error_line(invoke("token", "revoke", "once")).startswith(
        "Error: the token 'once' was revoked already, at 20"
    )


def test_the_repository_finds_a_token_by_its_text_only(shared_engine: Engine) -> None:
    with Session(shared_engine) as session:
        tokens = TokenRepository(session)
        created, text = tokens.create("repo", "write")
        found = tokens.authenticate(text)
        assert found is not None
        assert (found.name, found.scope, found.revoked_at) == ("repo", "write", None)
        assert tokens.authenticate(text + "x") is None
        assert tokens.authenticate(found.token_sha256) is None
        revoked = tokens.revoke("repo")
        assert revoked.revoked_at is not None
        assert revoked.created_at == created.created_at
        assert tokens.authenticate(text) is not None  # the API refuses it by revoked_at
        with pytest.raises(TokenError, match="exists already"):
            tokens.create("repo", "read")
        with pytest.raises(RecordNotFoundError):
            tokens.revoke("missing")
        session.rollback()


def test_the_reader_role_cannot_read_the_token_tables(fresh: str) -> None:
    assert invoke("db", "create-reader").exit_code == 0
    invoke("token", "create", "--name", "secret", "--scope", "write")
    for table in PRIVATE_TABLES:
        assert (
            scalar(fresh, f"SELECT has_table_privilege('nexus_reader', '{table}', 'SELECT')")
            is False
        )
    assert scalar(fresh, "SELECT has_table_privilege('nexus_reader', 'claim', 'SELECT')") is True
    refused = invoke("sql", "SELECT token_sha256 FROM api_token")
    assert error_line(refused) == (
        "Error: refused, `sql` runs as nexus_reader: permission denied for table api_token"
    )
    # The reader counts as ready without them, so `nexusdb serve` does not re-grant each start.
    assert invoke("sql", "SELECT count(*) FROM claim").exit_code == 0


def test_export_leaves_the_token_tables_out(fresh: str, tmp_path: Path) -> None:
    invoke("token", "create", "--name", "secret", "--scope", "write")
    out = tmp_path / "all.jsonl"
    assert invoke("export", "--format", "jsonl", "--out", str(out)).exit_code == 0
    tables = {json.loads(line)["table"] for line in out.read_text(encoding="utf-8").splitlines()}
    assert "alembic_version" in tables
    assert not tables & set(PRIVATE_TABLES)
    folder = tmp_path / "csv"
    assert invoke("export", "--format", "csv", "--out", str(folder)).exit_code == 0
    written = {path.stem for path in folder.iterdir()}
    assert "claim" in written
    assert not written & set(PRIVATE_TABLES)


def test_a_second_request_with_a_key_waits_for_the_first(fresh: str) -> None:
    """Two requests with one Idempotency-Key at once: the second waits on the key's lock
    until the first commits, then finds its answer instead of writing again."""
    engine = make_engine(fresh)
    with Session(engine) as session, session.begin():
        token = TokenRepository(session).create("racer", "write")[0]
        token_id = session.scalar(select(ApiToken.id).where(ApiToken.name == token.name))
    assert token_id is not None
    first = Session(engine)
    assert StoredResponses(first).claim_key(token_id, "k") is None
    found: list[object] = []

    def second() -> None:
        with Session(engine) as session:
            stored = StoredResponses(session).claim_key(token_id, "k")
            found.append(stored.body if stored else None)

    waiting = threading.Thread(target=second)
    waiting.start()
    waiting.join(timeout=1)
    assert waiting.is_alive()  # blocked on the first request's lock
    StoredResponses(first).store(
        token_id, "k", fingerprint="0" * 64, status=201, location="/claims/x", body="{}"
    )
    first.commit()
    first.close()
    waiting.join(timeout=10)
    assert found == ["{}"]
    engine.dispose()
