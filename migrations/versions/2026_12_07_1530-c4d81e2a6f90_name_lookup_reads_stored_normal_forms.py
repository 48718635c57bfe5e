"""Name lookup: actors and aliases keep their normal form, so a recheck does not compute it.

At 1M events `find_actor` still missed its 10 ms target (p95 12-19 ms, benchmarks/README.md,
revision 7f3b2c9e5a14). Its slow calls recheck a crowd of names that share trigrams with
the typed one ("... Liberation Front", "... Petroleum Company"), and each recheck computed
`normalize_name(name)` (lower case, accents removed through unaccent's dictionary) before
pg_trgm's `word_similarity`: about a fifth of the recheck.

`actor` and `actor_alias` gain `normalized_name`, a stored generated column
(`normalize_name(name)`, kept by PostgreSQL on every write path: seed, import, API); the
trigram indexes `ix_actor_name_trgm` and `ix_actor_alias_name_trgm` move from the
expression to the column, and `actor_name_matches` reads and compares the column. Same
results: the column holds exactly what the expression computed. A later revision that
changes `normalize_name` must recompute the column (any UPDATE of a row does), as it
would have had to rebuild the expression indexes.

With statistics on a real column, the planner estimates a common ending's matches well
(3,012 "... Liberation Front" names) and then reads the first probe's sample of 64 with a
sequential scan that it expects to stop early; it stops after ~2,900 rows, each costing
word_similarity ~5 us, 14 ms against ~4 for the index. Every read in the function has an
index, so it runs with `enable_seqscan = off`.

Adding the columns rewrites both tables: seconds at 1M events (about 150,000 actors and
30,000 aliases). Downgrade restores the expression indexes and the previous
`actor_name_matches` (7f3b2c9e5a14), then drops the columns.

Revision ID: c4d81e2a6f90
Revises: 7f3b2c9e5a14
Create Date: 2026-12-07 15:30:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import context, op

revision: str = "c4d81e2a6f90"
down_revision: str | None = "7f3b2c9e5a14"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STORED_NORMAL_FORMS = """
ALTER TABLE actor ADD COLUMN normalized_name text NOT NULL
    -- squawk-ignore adding-field-with-default
    GENERATED ALWAYS AS (normalize_name(name)) STORED;
ALTER TABLE actor_alias ADD COLUMN normalized_name text NOT NULL
    -- squawk-ignore adding-field-with-default
    GENERATED ALWAYS AS (normalize_name(name)) STORED;
DROP INDEX ix_actor_name_trgm;
DROP INDEX ix_actor_alias_name_trgm;
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ix_actor_name_trgm ON actor USING gin (normalized_name gin_trgm_ops);
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ix_actor_alias_name_trgm ON actor_alias USING gin (normalized_name gin_trgm_ops);
"""

STORED_NORMAL_FORMS_DOWN = """
DROP INDEX ix_actor_name_trgm;
DROP INDEX ix_actor_alias_name_trgm;
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ix_actor_name_trgm ON actor USING gin (normalize_name(name) gin_trgm_ops);
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ix_actor_alias_name_trgm ON actor_alias USING gin (normalize_name(name) gin_trgm_ops);
ALTER TABLE actor DROP COLUMN normalized_name;
ALTER TABLE actor_alias DROP COLUMN normalized_name;
"""


def actor_name_matches(previous: str) -> str:
    """7f3b2c9e5a14's actor_name_matches, reading and comparing the stored normal forms."""
    replacements = (
        # (old, new, occurrences): each probe reads both tables and scores what it read.
        (
            "-- find_actor's ranking (see there) with candidates of word similarity >= `lowest`.\n",
            "-- find_actor's ranking (see there) with candidates of word similarity >= `lowest`.\n"
            "-- Names are compared in their stored normal form (`normalized_name`).\n",
            1,
        ),
        (
            "SELECT a.id AS actor_id, a.name FROM actor AS a",
            "SELECT a.id AS actor_id, a.name, a.normalized_name FROM actor AS a",
            2,
        ),
        (
            "SELECT alias.actor_id, alias.name FROM actor_alias AS alias",
            "SELECT alias.actor_id, alias.name, alias.normalized_name FROM actor_alias AS alias",
            2,
        ),
        ("typed <% normalize_name(a.name)", "typed <% a.normalized_name", 2),
        ("typed <% normalize_name(alias.name)", "typed <% alias.normalized_name", 2),
        ("normalize_name(named.name)", "named.normalized_name", 4),
        (
            "    SET pg_trgm.word_similarity_threshold = 0.6\n",
            "    SET pg_trgm.word_similarity_threshold = 0.6\n"
            "    -- Every read below has an index. With statistics on a real column the planner\n"
            "    -- expects a common ending's first 64 matches early in a sequential scan, and it\n"
            "    -- costs word_similarity as one operator, not the ~5 us a row it takes.\n"
            "    SET enable_seqscan = off\n",
            1,
        ),
    )
    for old, new, occurrences in replacements:
        assert previous.count(old) == occurrences, old
        previous = previous.replace(old, new)
    return previous


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    # Two table rewrites and two GIN builds: seconds at 1M events.
    op.execute("SET LOCAL statement_timeout = '30min'")
    op.execute(STORED_NORMAL_FORMS)
    # Same signature: CREATE OR REPLACE (7f3b2c9e5a14's helper), so grants stay.
    previous = context.script.get_revision("7f3b2c9e5a14").module
    op.execute(previous.or_replace(actor_name_matches(previous.ACTOR_NAME_MATCHES)))


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '30min'")
    # The previous definition, from the revision that made it.
    previous = context.script.get_revision("7f3b2c9e5a14").module
    op.execute(previous.or_replace(previous.ACTOR_NAME_MATCHES))
    op.execute(STORED_NORMAL_FORMS_DOWN)
