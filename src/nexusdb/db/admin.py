"""Creating and dropping whole databases: first use, test templates, restores."""

import psycopg
from psycopg import sql

# A fixed locale, so sorting and text search behave the same on every machine.
LOCALE = "C.UTF-8"


def database_exists(server_url: str, name: str) -> bool:
    with psycopg.connect(server_url, autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def create_database(server_url: str, name: str, *, template: str = "template0") -> None:
    """Create `name` as a copy of `template`, in UTF-8 with nexusdb's fixed locale."""
    statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
        sql.Identifier(name), sql.Identifier(template)
    )
    if template == "template0":
        statement += sql.SQL(" ENCODING 'UTF8' LC_COLLATE {locale} LC_CTYPE {locale}").format(
            locale=sql.Literal(LOCALE)
        )
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(statement)


def drop_database(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
