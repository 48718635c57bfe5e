"""Helpers the tests share: where things are, engines, and whole-database snapshots."""

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, pool, select

from nexusdb.db.base import Base
from nexusdb.db.engine import sqlalchemy_url

REPOSITORY = Path(__file__).resolve().parents[1]
SEEDS = REPOSITORY / "seeds"


def make_engine(url: str) -> Engine:
    return create_engine(sqlalchemy_url(url), poolclass=pool.NullPool)


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ids and timestamps included, in primary-key order."""
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }
