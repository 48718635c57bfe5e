"""A neighbourhood level that reads only what it can return, and a bounded name lookup.

At 250k events (benchmarks/README.md, revision 81c91680397b) the 2-hop neighbourhood's
p95 was 45 ms against a target of 20, and find_actor's 21 ms against 10:

- each level of `actor_neighbourhood` read up to max_rows adjacency entries of every
  frontier actor, whether or not they had been found already, then de-duplicated them by
  sorting every link with its path text, and joined `actor` twice for up to max_rows
  actors (once for the paths, once for the result). A level now reads, per frontier
  actor, only neighbours not found yet, only as many as the level has room for, and
  only down to a cut: the best of the frontier actors' room-th new link, below which
  nothing can be kept (that actor alone has enough better ones), so a second level
  meeting several hubs reads about one hub's worth of links, not each hub's. Each
  neighbour's heaviest link is found by one hash aggregate instead of sorting the links
  with their path text, and `actor` is joined once, carrying key, name and kind to the
  result.
- `find_actor` checked every name sharing enough trigrams with the query: a name made of
  common words ("... Petroleum Company") matched thousands, each rechecked with
  word_similarity, to return ten. It now looks at a sample of the matches first, and
  from the similarity of the sample's max_rows-th best raises pg_trgm's threshold for
  the real search, so that the trigram index itself leaves out the names that cannot
  make the list. The result is the same, ties at the cut included (broken by key as
  before); only when the cut falls in a crowd of equally similar names are they all
  still read.

Same signatures and columns, same results (tests/test_read_summaries.py, tests/test_views.py).

Revision ID: 29b017527440
Revises: 0ad22d296b23
Create Date: 2026-12-07 05:05:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import context, op

revision: str = "29b017527440"
down_revision: str | None = "0ad22d296b23"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

READER_ROLE = "nexus_reader"

ACTOR_NEIGHBOURHOOD = """
-- Actors within max_depth relationships of the actor `start_key`, either direction, each
-- once with its minimum distance, the weight of the link it was reached by (claims that
-- support the relationships between it and the actor before it on the path) and one
-- shortest path, ordered by distance and key, at most max_rows of them (NULL: all).
-- The start actor is row 0. When a level holds more actors than the cap leaves room
-- for, the most evidenced links are kept (weight, then actor id); the path runs through
-- the frontier actor with the heaviest link (then the first path in key order).
-- Filters as in actor_neighbours; anonymous claimants are skipped unless asked for.
-- An unknown key gives no rows.
--
-- A breadth-first walk, one level at a time, never returning to an actor found. Without
-- type or date filters a level reads actor_adjacency in weight order: of each frontier
-- actor, its neighbours not found yet, at most as many as the level has room for, and
-- none below the cut (see `cut`). That holds the level's best: a neighbour further down
-- an actor's list has that many new neighbours ahead of it, each at least as heavy (then
-- lower id) through that actor alone. With filters a level reads the matching
-- relationships (actor_neighbours) and weighs them the same way. `actor` is read once
-- per actor kept.
CREATE OR REPLACE FUNCTION actor_neighbourhood(
    start_key text,
    max_depth int DEFAULT 2,
    relationship_types text[] DEFAULT NULL,
    as_of date DEFAULT NULL,
    include_anonymous boolean DEFAULT false,
    max_rows int DEFAULT 1000
) RETURNS TABLE (actor_key text, actor_name text, actor_kind text, distance int,
                 weight int, path text[])
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    -- A plan cached for a small actor's one-row frontier would crawl through a hub's
    -- thousands: plan each step for the arrays it really gets.
    SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    -- Everything found so far, in the order found; a path is its keys joined by commas
    -- (a key never holds one).
    found_ids uuid[];
    found_keys text[];
    found_names text[];
    found_kinds text[];
    found_paths text[];
    found_distances int[];
    found_weights int[];
    -- The last level found.
    frontier_ids uuid[];
    frontier_keys text[];
    frontier_names text[];
    frontier_kinds text[];
    frontier_paths text[];
    frontier_weights int[];
    filtered boolean := actor_neighbourhood.relationship_types IS NOT NULL
        OR actor_neighbourhood.as_of IS NOT NULL;
    depth int := 0;
    -- How many more actors the cap allows; NULL without a cap (LIMIT NULL is no limit).
    room int;
BEGIN
    SELECT ARRAY[a.id], ARRAY[a.key], ARRAY[a.name], ARRAY[a.kind], ARRAY[a.key]
    INTO frontier_ids, frontier_keys, frontier_names, frontier_kinds, frontier_paths
    FROM actor AS a
    WHERE a.key = actor_neighbourhood.start_key;
    IF frontier_ids IS NULL
        OR (actor_neighbourhood.max_rows IS NOT NULL AND actor_neighbourhood.max_rows < 1) THEN
        RETURN;
    END IF;
    found_ids := frontier_ids;
    found_keys := frontier_keys;
    found_names := frontier_names;
    found_kinds := frontier_kinds;
    found_paths := frontier_paths;
    found_distances := ARRAY[0];
    found_weights := ARRAY[NULL::int];
    room := actor_neighbourhood.max_rows - 1;
    WHILE depth < actor_neighbourhood.max_depth
        AND cardinality(frontier_ids) > 0
        AND (room IS NULL OR room > 0) LOOP
        depth := depth + 1;
        WITH cut AS (
            -- The best of the frontier actors' room-th new link: that actor alone has
            -- `room` new neighbours at least as good, so no link below it can be kept,
            -- and the other actors' lists are read only down to it.
            SELECT last.weight, last.neighbour_id
            FROM unnest(frontier_ids) AS here (id)
            CROSS JOIN LATERAL (
                SELECT a.weight, a.neighbour_id
                FROM actor_adjacency AS a
                WHERE a.actor_id = here.id
                  AND (actor_neighbourhood.include_anonymous OR NOT a.neighbour_is_anonymous)
                  AND a.neighbour_id NOT IN (SELECT unnest(found_ids))
                ORDER BY a.weight DESC, a.neighbour_id
                OFFSET room - 1
                LIMIT 1
            ) AS last
            -- (A lone frontier actor's list is cut by its LIMIT alone.)
            WHERE room IS NOT NULL AND NOT filtered AND cardinality(frontier_ids) > 1
            ORDER BY last.weight DESC, last.neighbour_id
            LIMIT 1
        ),
        link AS (
            -- A frontier actor is known by its place in the frontier, which is in path
            -- order.
            SELECT here.path_rank, adj.neighbour_id, adj.weight
            FROM unnest(frontier_ids) WITH ORDINALITY AS here (id, path_rank)
            CROSS JOIN LATERAL (
                SELECT a.neighbour_id, a.weight
                FROM actor_adjacency AS a
                WHERE a.actor_id = here.id
                  AND (actor_neighbourhood.include_anonymous OR NOT a.neighbour_is_anonymous)
                  AND a.neighbour_id NOT IN (SELECT unnest(found_ids))
                  -- Weights are never negative: no cut, no bound.
                  AND a.weight >= coalesce((SELECT cut.weight FROM cut), -1)
                  AND NOT EXISTS (
                      SELECT FROM cut
                      WHERE a.weight = cut.weight AND a.neighbour_id > cut.neighbour_id)
                ORDER BY a.weight DESC, a.neighbour_id
                LIMIT room
            ) AS adj
            WHERE NOT filtered
            UNION ALL
            SELECT here.path_rank, edge.actor_id, sum(support.n)::int
            FROM unnest(frontier_ids) WITH ORDINALITY AS here (id, path_rank)
            JOIN actor_neighbours(frontier_ids, actor_neighbourhood.relationship_types,
                                  actor_neighbourhood.as_of) AS edge
                ON edge.from_id = here.id
            JOIN actor AS next ON next.id = edge.actor_id
            CROSS JOIN LATERAL (
                SELECT count(*) AS n FROM relationship_evidence AS ev
                WHERE ev.relationship_id = edge.relationship_id AND ev.stance = 'supports'
            ) AS support
            WHERE filtered
              AND (actor_neighbourhood.include_anonymous OR NOT next.is_anonymous)
              AND edge.actor_id NOT IN (SELECT unnest(found_ids))
            GROUP BY here.path_rank, edge.actor_id
        ),
        best AS (
            -- Each neighbour once, by its heaviest link, then the first path: weight in
            -- the high 32 bits, 2^31 - path rank in the low ones, so that one hash
            -- aggregate finds both, without sorting the links.
            SELECT link.neighbour_id,
                   max((link.weight::bigint << 32) | (2147483648 - link.path_rank)) AS packed
            FROM link
            GROUP BY link.neighbour_id
        ),
        kept AS (
            SELECT best.neighbour_id, (best.packed >> 32)::int AS weight,
                   (2147483648 - (best.packed & 4294967295))::int AS path_rank
            FROM best
            ORDER BY best.packed >> 32 DESC, best.neighbour_id
            LIMIT room
        ),
        step AS (
            SELECT next.id, next.key, next.name, next.kind, kept.weight,
                   frontier_paths[kept.path_rank] || ',' || next.key AS path
            FROM kept
            JOIN actor AS next ON next.id = kept.neighbour_id
        )
        -- The next frontier, in path order (sorted once: the aggregates keep the order
        -- of a sorted subquery).
        SELECT coalesce(array_agg(step.id), '{}'), coalesce(array_agg(step.key), '{}'),
               coalesce(array_agg(step.name), '{}'), coalesce(array_agg(step.kind), '{}'),
               coalesce(array_agg(step.path), '{}'), coalesce(array_agg(step.weight), '{}')
        INTO frontier_ids, frontier_keys, frontier_names, frontier_kinds, frontier_paths,
             frontier_weights
        FROM (SELECT * FROM step ORDER BY step.path COLLATE "C") AS step;
        found_ids := found_ids || frontier_ids;
        found_keys := found_keys || frontier_keys;
        found_names := found_names || frontier_names;
        found_kinds := found_kinds || frontier_kinds;
        found_paths := found_paths || frontier_paths;
        found_weights := found_weights || frontier_weights;
        found_distances := found_distances
            || array_fill(depth, ARRAY[cardinality(frontier_ids)]);
        room := room - cardinality(frontier_ids);
    END LOOP;
    RETURN QUERY
    SELECT walk.key, walk.name, walk.kind, walk.distance, walk.weight,
           string_to_array(walk.path, ',')
    FROM unnest(found_keys, found_names, found_kinds, found_distances, found_weights,
                found_paths) AS walk (key, name, kind, distance, weight, path)
    ORDER BY walk.distance, walk.key;
END
$$;
"""


# The ranked search behind find_actor. PL/pgSQL because it sets pg_trgm's threshold per
# probe; the function's own SET clause puts the caller's value back on exit, even on an
# error. `lowest` is the caller's threshold, which find_actor passes in.
ACTOR_NAME_MATCHES = """
-- find_actor's ranking (see there) with candidates of word similarity >= `lowest`.
--
-- Probe 1 reads at most SAMPLE matches per table, in index order. If there are fewer,
-- they are all the matches and the answer is exact. Otherwise the sample's max_rows-th
-- best similarity (`cut`) is a floor for the real max_rows-th (the sample alone has
-- max_rows actors that good), so no actor below it can make the list. Probe 2 raises
-- the threshold to the next multiple of 0.05 above the cut, probe 3 (if probe 2 found
-- fewer than max_rows) to the cut itself: the trigram index then skips every name that
-- shares too few trigrams, and only the names at least that similar are rechecked. An
-- exact key or name has similarity 1 and is found by every probe.
CREATE FUNCTION actor_name_matches(typed_name text, max_rows int, lowest real)
RETURNS TABLE (actor_key text, actor_name text, matched_name text, similarity real)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET pg_trgm.word_similarity_threshold = 0.6
AS $$
DECLARE
    sample constant int := 64;
    typed text := normalize_name(actor_name_matches.typed_name);
    thresholds real[] := ARRAY[actor_name_matches.lowest];
    threshold real;
    -- Matches read per table; NULL: all of them.
    row_limit int := CASE WHEN actor_name_matches.max_rows IS NOT NULL THEN sample END;
    complete boolean;
    cut real;
    found_keys text[];
    found_names text[];
    found_matched text[];
    found_similarities real[];
BEGIN
    WHILE cardinality(thresholds) > 0 LOOP
        threshold := thresholds[1];
        thresholds := thresholds[2:];
        PERFORM set_config('pg_trgm.word_similarity_threshold', threshold::text, true);
        WITH named AS (
            (SELECT a.id AS actor_id, a.name FROM actor AS a
             WHERE typed <% normalize_name(a.name)
             LIMIT row_limit)
            UNION ALL
            (SELECT alias.actor_id, alias.name FROM actor_alias AS alias
             WHERE typed <% normalize_name(alias.name)
             LIMIT row_limit)
        ),
        candidate AS (
            SELECT a.id AS actor_id, a.key AS matched_name, 0 AS exactness,
                   1::real AS similarity
            FROM actor AS a
            WHERE a.key = actor_name_matches.typed_name
            UNION ALL
            SELECT named.actor_id, named.name,
                   CASE WHEN normalize_name(named.name) = typed THEN 1 ELSE 2 END,
                   word_similarity(typed, normalize_name(named.name))
            FROM named
        ),
        best AS (
            SELECT DISTINCT ON (c.actor_id) c.actor_id, c.matched_name, c.exactness,
                   c.similarity
            FROM candidate AS c
            ORDER BY c.actor_id, c.exactness, c.similarity DESC, c.matched_name
        ),
        kept AS (
            SELECT a.key, a.name, best.matched_name, best.similarity, best.exactness
            FROM best
            JOIN actor AS a ON a.id = best.actor_id
            ORDER BY best.exactness, best.similarity DESC, a.key
            LIMIT actor_name_matches.max_rows
        )
        SELECT row_limit IS NULL OR (SELECT count(*) FROM named) < row_limit,
               coalesce(array_agg(kept.key
                                  ORDER BY kept.exactness, kept.similarity DESC, kept.key), '{}'),
               array_agg(kept.name ORDER BY kept.exactness, kept.similarity DESC, kept.key),
               array_agg(kept.matched_name
                         ORDER BY kept.exactness, kept.similarity DESC, kept.key),
               array_agg(kept.similarity
                         ORDER BY kept.exactness, kept.similarity DESC, kept.key)
        INTO complete, found_keys, found_names, found_matched, found_similarities
        FROM kept;
        IF row_limit IS NOT NULL THEN
            EXIT WHEN complete;
            row_limit := NULL;
            cut := CASE WHEN cardinality(found_keys) >= actor_name_matches.max_rows
                        THEN found_similarities[actor_name_matches.max_rows] END;
            -- A hair below the cut: a real printed and read back may come out above it.
            thresholds := ARRAY(
                SELECT DISTINCT t
                FROM unnest(ARRAY[least(1, (floor(cut * 20) + 1) / 20), cut - 0.000001,
                                  actor_name_matches.lowest]) AS t
                WHERE t >= actor_name_matches.lowest
                ORDER BY t DESC);
        ELSE
            EXIT WHEN cardinality(found_keys) >= actor_name_matches.max_rows
                OR threshold <= actor_name_matches.lowest;
        END IF;
    END LOOP;
    RETURN QUERY
    SELECT * FROM unnest(found_keys, found_names, found_matched, found_similarities);
END
$$;
"""

FIND_ACTOR = """
-- Actors whose name or an alias resembles `name`, ignoring case and accents:
-- "Zelenskyy", "Hizbullah", the typo "Hezbolah". An exact key comes first, then an exact
-- name or alias, then the closest (pg_trgm word_similarity of `name` to the candidate,
-- at least pg_trgm.word_similarity_threshold, 0.6 by default), then key. One row per
-- actor, with the name or alias that matched best. actor_name_matches does the work.
CREATE OR REPLACE FUNCTION find_actor(name text, max_rows int DEFAULT 10)
RETURNS TABLE (key text, name text, matched_name text, similarity real)
    LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
SELECT m.actor_key, m.actor_name, m.matched_name, m.similarity
FROM actor_name_matches(
    find_actor.name, find_actor.max_rows,
    -- Unset until pg_trgm is first used in the session: its default then.
    coalesce(current_setting('pg_trgm.word_similarity_threshold', true), '0.6')::real
) AS m
$$;
"""

GRANT_TO_READER = f"""
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER_ROLE}') THEN
        GRANT EXECUTE ON FUNCTION actor_name_matches(text, int, real) TO {READER_ROLE};
    END IF;
END
$$;
"""


def or_replace(definition: str) -> str:
    """A definition as CREATE OR REPLACE: same signature and columns, so grants stay."""
    return definition.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5min'")
    op.execute(ACTOR_NEIGHBOURHOOD)
    op.execute(ACTOR_NAME_MATCHES)
    op.execute(FIND_ACTOR)
    op.execute(GRANT_TO_READER)


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5min'")
    # The previous definitions, from the revision that made them.
    previous = context.script.get_revision("81c91680397b").module
    op.execute(or_replace(previous.ACTOR_NEIGHBOURHOOD))
    op.execute(or_replace(context.script.get_revision("acdb9dfa1dc8").module.FIND_ACTOR))
    op.execute("DROP FUNCTION actor_name_matches(text, int, real)")
