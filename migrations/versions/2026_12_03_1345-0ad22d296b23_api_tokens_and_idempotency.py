"""API tokens and stored responses for Idempotency-Key retries.

The HTTP API's writes need a bearer token with the write scope (and reads one too when
NEXUSDB_API_READ_TOKEN_REQUIRED is set); `nexusdb token create` prints a token once and
only its sha256 is kept here. A write sent with an Idempotency-Key stores its first
response, so a client that lost the answer can retry without writing twice.

Neither table is research data: the reader role is not granted them (and loses any
grant it had, should one have been given by hand), and `nexusdb export` skips them.

Revision ID: 0ad22d296b23
Revises: 81c91680397b
Create Date: 2026-12-03 13:45:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0ad22d296b23"
down_revision: str | None = "81c91680397b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

READER_ROLE = "nexus_reader"
TABLES = ("api_token", "api_idempotency")

# Migrations never create roles; an existing reader must not see the new tables.
REVOKE_FROM_READER = f"""
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER_ROLE}') THEN
        REVOKE ALL ON {", ".join(TABLES)} FROM {READER_ROLE};
    END IF;
END
$$;
"""


def upgrade() -> None:
    # Fail fast rather than queue behind a long transaction on a busy table.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5min'")
    op.create_table(
        "api_token",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("token_sha256", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("scope IN ('read', 'write')", name=op.f("api_token_scope_check")),
        sa.CheckConstraint(
            "token_sha256 ~ '^[0-9a-f]{64}$'", name=op.f("api_token_token_sha256_check")
        ),
        sa.CheckConstraint(
            "name ~ '^[A-Za-z0-9][A-Za-z0-9_.-]*$'", name=op.f("api_token_name_check")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("api_token_pkey")),
        sa.UniqueConstraint("name", name=op.f("api_token_name_key")),
        sa.UniqueConstraint("token_sha256", name=op.f("api_token_token_sha256_key")),
    )
    op.create_table(
        "api_idempotency",
        sa.Column("token_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "fingerprint ~ '^[0-9a-f]{64}$'", name=op.f("api_idempotency_fingerprint_check")
        ),
        sa.CheckConstraint(
            "char_length(key) BETWEEN 1 AND 255", name=op.f("api_idempotency_key_length_check")
        ),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["api_token.id"],
            name=op.f("api_idempotency_token_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("token_id", "key", name=op.f("api_idempotency_pkey")),
    )
    op.execute(REVOKE_FROM_READER)


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5min'")
    # Dropping the tables takes their grants, constraints and indexes with them.
    op.drop_table("api_idempotency")
    op.drop_table("api_token")
