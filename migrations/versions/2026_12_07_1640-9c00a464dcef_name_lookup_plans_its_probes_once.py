"""Name lookup: its probes are planned once per session, not on every call.

At 1M events `find_actor` still missed its 10 ms target by 3-6% on PostgreSQL 18 (p95
10.3-10.6 ms, benchmarks/README.md, revision c4d81e2a6f90). Part of each call was
planning, not reading: PL/pgSQL re-plans a statement for its parameters (a custom plan)
until it trusts a generic one, and to estimate `typed <% normalized_name` the planner
applies word_similarity to the column's statistics sample (101 histogram bounds, up to
100 common values) for each table. That is ~0.6 ms per table, ~2.4 ms for a call with
two probes, about a quarter of a slow call.

`actor_name_matches` now runs with `plan_cache_mode = force_generic_plan`: each probe
is planned once per session, for any typed name. The estimate does not choose the plan
here: every read has an index and the function already runs with `enable_seqscan =
off`, so the generic plan reads through the same trigram indexes, in the same order, and
finds the same names (checked on the 1M benchmark database: identical results for the
benchmark's 100 typed names and four others). Downgrade restores per-call planning.

Revision ID: 9c00a464dcef
Revises: c4d81e2a6f90
Create Date: 2026-12-07 16:40:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "9c00a464dcef"
down_revision: str | None = "c4d81e2a6f90"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNATURE = "actor_name_matches(text, int, real)"


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5s'")
    op.execute(f"ALTER FUNCTION {SIGNATURE} SET plan_cache_mode = force_generic_plan")


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5s'")
    op.execute(f"ALTER FUNCTION {SIGNATURE} RESET plan_cache_mode")
