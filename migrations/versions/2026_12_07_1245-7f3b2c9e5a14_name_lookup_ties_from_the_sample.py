"""Name lookup: ties at the last place come from the sample, not from reading every tie.

At 1M events `find_actor` missed its 10 ms target (p95 12-27 ms, benchmarks/README.md,
revision 29b017527440). The slow calls are names with a common ending: "Kuots
administration" ties with 2,498 "... administration" names at one similarity (0.714),
and to break that tie by key the last probe rechecked every one of them with
word_similarity (about 8 us each, more under load). The key order among equally similar
names means nothing to a reader; reading them all was the whole cost.

The ranking is unchanged above the last place: every actor more similar than the
`max_rows`-th is listed, exactly, in order. When more actors tie at the last place than
the list has room for, the room is filled with tied actors from the first probe's
sample (the first the index finds), listed by key. Probe 2 now reads only the names
strictly more similar than the sample's cut, so the trigram index leaves the whole tie
out. When the cut is 1 (many names contain the typed one), probe 2 also reads the exact
names, so that an exact name or alias always comes first.

find_actor's comment says so, and it reads pg_trgm's threshold as unset when a session
that has not loaded pg_trgm holds an empty placeholder for it (one that created a function
with the setting in its SET clause, as a migration does). Same signatures and columns. Downgrade restores the previous
definitions (29b017527440).

Revision ID: 7f3b2c9e5a14
Revises: 5c3e9a7d41b2
Create Date: 2026-12-07 12:45:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import context, op

revision: str = "7f3b2c9e5a14"
down_revision: str | None = "5c3e9a7d41b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# PL/pgSQL because it sets pg_trgm's threshold per probe; the function's own SET clause
# puts the caller's value back on exit, even on an error. `lowest` is the caller's
# threshold, which find_actor passes in.
ACTOR_NAME_MATCHES = """
-- find_actor's ranking (see there) with candidates of word similarity >= `lowest`.
--
-- Probe 1 reads at most SAMPLE matches per table, in index order. If there are fewer,
-- they are all the matches and the answer is exact. Otherwise the sample's max_rows-th
-- best actor's similarity (`cut`) is a floor for the real max_rows-th: the sample alone
-- has max_rows actors that good, so no actor below the cut can make the list. Probe 2
-- raises pg_trgm's threshold to just above the cut and reads every name more similar:
-- the trigram index leaves out the names that share too few trigrams, among them the
-- crowd tied at the cut ("... administration"). The list is probe 2's actors, then, if
-- room is left, the sample's actors at the cut: when more actors tie at the last place
-- than the list has room for, the ones listed are the first the index found. When the
-- cut is 1, probe 2 reads the names that contain the typed one and keeps the exact
-- ones, so that an exact name always comes first. An exact key is looked up directly.
CREATE FUNCTION actor_name_matches(typed_name text, max_rows int, lowest real)
RETURNS TABLE (actor_key text, actor_name text, matched_name text, similarity real)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET pg_trgm.word_similarity_threshold = 0.6
AS $$
DECLARE
    sample constant int := 64;
    typed text := normalize_name(actor_name_matches.typed_name);
    -- Matches read per table by probe 1; NULL: all of them.
    row_limit int := CASE WHEN actor_name_matches.max_rows IS NOT NULL THEN sample END;
    complete boolean;
    cut real;
    -- Candidate names: actor, name as written, 1 if it is the typed name, similarity.
    actor_ids uuid[];
    names text[];
    exactness int[];
    similarities real[];
BEGIN
    PERFORM set_config('pg_trgm.word_similarity_threshold',
                       actor_name_matches.lowest::text, true);
    WITH named AS (
        (SELECT a.id AS actor_id, a.name FROM actor AS a
         WHERE typed <% normalize_name(a.name)
         LIMIT row_limit)
        UNION ALL
        (SELECT alias.actor_id, alias.name FROM actor_alias AS alias
         WHERE typed <% normalize_name(alias.name)
         LIMIT row_limit)
    ),
    scored AS (
        SELECT named.actor_id, named.name,
               CASE WHEN normalize_name(named.name) = typed THEN 1 ELSE 2 END AS exactness,
               word_similarity(typed, normalize_name(named.name)) AS similarity
        FROM named
    )
    SELECT row_limit IS NULL OR (SELECT count(*) FROM named) < row_limit,
           array_agg(scored.actor_id), array_agg(scored.name),
           array_agg(scored.exactness), array_agg(scored.similarity)
    INTO complete, actor_ids, names, exactness, similarities
    FROM scored;
    IF NOT complete THEN
        SELECT best.similarity INTO cut
        FROM (SELECT s.actor_id, max(s.similarity) AS similarity
              FROM unnest(actor_ids, similarities) AS s (actor_id, similarity)
              GROUP BY s.actor_id) AS best
        ORDER BY best.similarity DESC
        OFFSET greatest(actor_name_matches.max_rows, 1) - 1
        LIMIT 1;
        -- Without max_rows actors in the sample (aliases of a few), read all matches.
        PERFORM set_config('pg_trgm.word_similarity_threshold',
                           coalesce(least(1, cut + 0.000001), actor_name_matches.lowest)::text,
                           true);
        WITH named AS (
            SELECT a.id AS actor_id, a.name FROM actor AS a
            WHERE typed <% normalize_name(a.name)
            UNION ALL
            SELECT alias.actor_id, alias.name FROM actor_alias AS alias
            WHERE typed <% normalize_name(alias.name)
        ),
        scored AS (
            SELECT named.actor_id, named.name,
                   CASE WHEN normalize_name(named.name) = typed THEN 1 ELSE 2 END
                       AS exactness,
                   word_similarity(typed, normalize_name(named.name)) AS similarity
            FROM named
        ),
        kept AS (
            SELECT scored.actor_id, scored.name, scored.exactness, scored.similarity
            FROM scored
            WHERE cut IS NULL OR scored.similarity > cut OR scored.exactness = 1
            UNION ALL
            SELECT s.actor_id, s.name, s.exactness, s.similarity
            FROM unnest(actor_ids, names, exactness, similarities)
                AS s (actor_id, name, exactness, similarity)
            WHERE s.similarity = cut AND s.exactness = 2
        )
        SELECT array_agg(kept.actor_id), array_agg(kept.name),
               array_agg(kept.exactness), array_agg(kept.similarity)
        INTO actor_ids, names, exactness, similarities
        FROM kept;
    END IF;
    RETURN QUERY
    WITH candidate AS (
        SELECT a.id AS actor_id, a.key AS matched_name, 0 AS exactness,
               1::real AS similarity
        FROM actor AS a
        WHERE a.key = actor_name_matches.typed_name
        UNION ALL
        SELECT s.actor_id, s.name, s.exactness, s.similarity
        FROM unnest(actor_ids, names, exactness, similarities)
            AS s (actor_id, name, exactness, similarity)
    ),
    best AS (
        SELECT DISTINCT ON (c.actor_id) c.actor_id, c.matched_name, c.exactness,
               c.similarity
        FROM candidate AS c
        ORDER BY c.actor_id, c.exactness, c.similarity DESC, c.matched_name
    )
    SELECT a.key, a.name, best.matched_name, best.similarity
    FROM best
    JOIN actor AS a ON a.id = best.actor_id
    ORDER BY best.exactness, best.similarity DESC, a.key
    LIMIT actor_name_matches.max_rows;
END
$$;
"""


def find_actor(previous: str) -> str:
    """The previous find_actor, its comment saying how ties at the last place are listed
    and its threshold read as unset when pg_trgm's placeholder is empty."""
    replacements = {
        "-- actor, with the name or alias that matched best. actor_name_matches does the work.": (
            "-- actor, with the name or alias that matched best. When more actors tie at the last\n"
            "-- place than the list has room for, the ones listed are the first the trigram index\n"
            "-- finds. actor_name_matches does the work."
        ),
        "    -- Unset until pg_trgm is first used in the session: its default then.\n"
        "    coalesce(current_setting('pg_trgm.word_similarity_threshold', true), '0.6')::real": (
            "    -- Unset (or an empty placeholder) until pg_trgm is first used in the session: its\n"
            "    -- default then.\n"
            "    coalesce(nullif(current_setting('pg_trgm.word_similarity_threshold', true), ''),\n"
            "             '0.6')::real"
        ),
    }
    for old, new in replacements.items():
        assert previous.count(old) == 1, old
        previous = previous.replace(old, new)
    return previous


def or_replace(definitions: str) -> str:
    """Definitions as CREATE OR REPLACE (29b017527440's helper): same signature, grants stay."""
    return str(context.script.get_revision("29b017527440").module.or_replace(definitions))


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5min'")
    op.execute(or_replace(ACTOR_NAME_MATCHES))
    previous = context.script.get_revision("29b017527440").module
    op.execute(find_actor(previous.FIND_ACTOR))


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5min'")
    # The previous definition, from the revision that made it.
    previous = context.script.get_revision("29b017527440").module
    op.execute(or_replace(previous.ACTOR_NAME_MATCHES))
    op.execute(previous.FIND_ACTOR)
