"""Record which process owns each actor alias and external id.

Imports and the API add names and identifiers to actors that the seed owns (an ACLED
spelling of Russia, a Wikidata QID). Owned through their actor, those rows were deleted by
the next seed sync as "no longer in the files". With an `origin` of their own, every
writer changes only its own aliases and ids. Existing rows were all written by the seed.

Revision ID: f779881f5822
Revises: acdb9dfa1dc8
Create Date: 2026-12-02 13:04:23.945018+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f779881f5822"
down_revision: str | None = "acdb9dfa1dc8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("actor_alias", "actor_external_id")
ORIGIN_PATTERN = "^(seed|api|import:[a-z0-9_.-]+)$"


def upgrade() -> None:
    # Fail fast rather than queue behind a long transaction on a busy table.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5min'")
    for table in TABLES:
        # A constant default: PostgreSQL 11+ adds the column without rewriting the table.
        op.add_column(table, sa.Column("origin", sa.Text(), server_default="seed", nullable=False))
        # Every existing row is 'seed', and these tables are small next to claims and
        # events (an alias or two per actor): checking and indexing them at once holds
        # the lock the new column takes anyway for moments.
        op.execute(
            f"""
            -- squawk-ignore constraint-missing-not-valid
            ALTER TABLE {table} ADD CONSTRAINT {table}_origin_check
                CHECK (origin ~ '{ORIGIN_PATTERN}');
            -- squawk-ignore require-concurrent-index-creation
            CREATE INDEX ix_{table}_origin ON {table} (origin);
            """
        )


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5min'")
    for table in reversed(TABLES):
        # The column takes its index and check constraint with it.
        op.drop_column(table, "origin")
