"""The read-only role `nexus_reader`, created by a command because migrations never create roles.

`nexusdb sql` runs a researcher's SQL on a session that *logs in* as this role, so the
role itself is the boundary: it must hold nothing but SELECT and EXECUTE grants. A role
that already exists is checked before it is used or granted anything, and refused when
it could do more (superuser, a membership, BYPASSRLS, ...).

Roles belong to the whole server, not one database, and managed services often refuse
CREATE ROLE; so this is idempotent, and a refusal is one clear line. `NEXUSDB_READER_ROLE`
names another role (e.g. `nexus_reader_<database>`) for a reader of one database only.

Where the server asks the reader for a password, `create_reader_role(..., passfile=...)`
gives the role a new random one and keeps it in a libpq password file (mode 0600) for
`nexusdb sql` to log in with. Only a SCRAM verifier computed by libpq on this side is
sent to the server, never the password itself.
"""

import os
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Engine

from nexusdb.errors import NexusError
from nexusdb.models.token import PRIVATE_TABLES

READER_ROLE = "nexus_reader"

# Why a role cannot be trusted to run researchers' SQL: each entry is one reason.
# `pg_auth_members` lists every role it is a member of (pg_execute_server_program,
# pg_read_server_files, pg_write_all_data, a user's own role ...); whatever it owns it can
# change; a write grant on a table (to it or to PUBLIC) is a write the role could make.
ROLE_RISKS = """
SELECT array_remove(ARRAY[
           CASE WHEN r.rolsuper THEN 'SUPERUSER' END,
           CASE WHEN r.rolcreaterole THEN 'CREATEROLE' END,
           CASE WHEN r.rolcreatedb THEN 'CREATEDB' END,
           CASE WHEN r.rolreplication THEN 'REPLICATION' END,
           CASE WHEN r.rolbypassrls THEN 'BYPASSRLS' END,
           CASE WHEN EXISTS (SELECT FROM pg_database WHERE datdba = r.oid)
                  OR EXISTS (SELECT FROM pg_namespace WHERE nspowner = r.oid)
                  OR EXISTS (SELECT FROM pg_class WHERE relowner = r.oid)
                  OR EXISTS (SELECT FROM pg_proc WHERE proowner = r.oid)
                THEN 'owns objects' END
       ], NULL)
       || ARRAY(
           SELECT 'member of ' || g.rolname
           FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
           WHERE m.member = r.oid
           ORDER BY g.rolname
       )
       || ARRAY(
           SELECT 'may write to ' || c.oid::regclass::text
           FROM pg_class c
           WHERE c.relkind IN ('r', 'p')
             AND c.relnamespace NOT IN ('pg_catalog'::regnamespace,
                                        'information_schema'::regnamespace)
             -- By oid: a name in a schema the reader may not use could not be looked up.
             AND has_table_privilege(r.oid, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')
           ORDER BY c.oid::regclass::text
           LIMIT 3
       ),
       r.rolcanlogin
FROM pg_roles r
WHERE r.rolname = %(role)s
"""

# What the research surface needs: read every table and view, run the query functions.
GRANTS = (
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}",
    "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {role}",
)

# ... except the API's tokens and stored responses (those of them this schema has yet).
PRIVATE_TABLES_HERE = (
    "SELECT name FROM unnest(%(names)s::text[]) AS name WHERE to_regclass(name) IS NOT NULL"
)


def _reason(error: psycopg.Error) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def role_risks(conn: psycopg.Connection[Any], role: str) -> tuple[list[str], bool] | None:
    """Why `role` is unsafe to run researchers' SQL as (empty when it is safe), and whether it
    may log in; None when there is no such role."""
    row = conn.execute(ROLE_RISKS, {"role": role}).fetchone()
    return None if row is None else (list(row[0]), bool(row[1]))


def refuse_risky(role: str, risks: Sequence[str]) -> None:
    """One line saying why an existing role will not be used as the reader."""
    if risks:
        raise NexusError(
            f"refused: the role {role} exists but is not a safe read-only role ("
            f"{', '.join(risks)}); drop it or use another name (NEXUSDB_READER_ROLE)"
        )


def _create_or_check(conn: psycopg.Connection[Any], role: str) -> None:
    found = role_risks(conn, role)
    identifier = sql.Identifier(role)
    if found is None:
        statement = sql.SQL(
            "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
        )
        try:
            conn.execute(statement.format(identifier))
        except psycopg.Error as error:
            raise NexusError(
                f"cannot create the role {role}: {_reason(error)} (CREATE ROLE needs CREATEROLE;"
                f" or have an administrator run: CREATE ROLE {role} LOGIN)"
            ) from error
        return
    risks, can_login = found
    refuse_risky(role, risks)
    if not can_login:
        try:
            conn.execute(sql.SQL("ALTER ROLE {} LOGIN").format(identifier))
        except psycopg.Error as error:
            raise NexusError(
                f"the role {role} may not log in and this user cannot change that:"
                f" {_reason(error)} (have an administrator run: ALTER ROLE {role} LOGIN)"
            ) from error


def _escape(field: str) -> str:
    """A field of a libpq password file, where `:` and `\\` are escaped."""
    return field.replace("\\", "\\\\").replace(":", "\\:")


def passfile_entry(host: str, port: int, role: str) -> str:
    """The start of the password file line for `role` on one server (any database)."""
    return f"{_escape(host or 'localhost')}:{port}:*:{_escape(role)}:"


def _remember(passfile: Path, entry: str, password: str) -> None:
    """Write `entry` + `password` into the password file, replacing that server's old line."""
    kept = []
    if passfile.is_file():
        kept = [
            line
            for line in passfile.read_text(encoding="utf-8").splitlines()
            if not line.startswith(entry)
        ]
    passfile.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(passfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write("\n".join([*kept, entry + password]) + "\n")
    passfile.chmod(0o600)


def _set_password(conn: psycopg.Connection[Any], role: str) -> str:
    password = secrets.token_urlsafe(24)
    # libpq computes the verifier (SCRAM unless the server says md5) from the password.
    verifier = conn.pgconn.encrypt_password(password.encode(), role.encode()).decode()
    try:
        conn.execute(
            sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(role), sql.Literal(verifier))
        )
    except psycopg.Error as error:
        raise NexusError(
            f"cannot set a password for the role {role}: {_reason(error)} (it needs a superuser,"
            " or CREATEROLE with ADMIN OPTION on the role)"
        ) from error
    return password


def create_reader_role(
    engine: Engine, *, role: str = READER_ROLE, passfile: Path | None = None
) -> None:
    """Create `role` if missing (or check the existing one) and grant it read access here.

    With `passfile`, also give it a new random password and keep that in `passfile`.
    """
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert isinstance(conn, psycopg.Connection)
        with conn.transaction():
            _create_or_check(conn, role)
            try:
                for grant in GRANTS:
                    conn.execute(sql.SQL(grant).format(role=sql.Identifier(role)))
                private = [
                    name
                    for (name,) in conn.execute(
                        PRIVATE_TABLES_HERE, {"names": list(PRIVATE_TABLES)}
                    )
                ]
                if private:
                    conn.execute(
                        sql.SQL("REVOKE ALL ON {} FROM {}").format(
                            sql.SQL(", ").join(map(sql.Identifier, private)), sql.Identifier(role)
                        )
                    )
            except psycopg.Error as error:
                raise NexusError(
                    f"cannot grant the role {role} read access: {_reason(error)}"
                ) from error
            password = _set_password(conn, role) if passfile else None
        if passfile and password:
            _remember(passfile, passfile_entry(conn.info.host, conn.info.port, role), password)
    finally:
        raw.close()
