"""A neighbourhood level that reads only what it returns, and a name lookup in probes.

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
  with their path text. `actor_adjacency` now carries the neighbour's key, name and kind
  (kept like neighbour_is_anonymous, and covered by the walk's index), so a level reads
  one index range per frontier actor and does not touch `actor`.
- `find_actor` checked every name sharing enough trigrams with the query: a name made of
  common words ("... Petroleum Company") matched thousands, each rechecked with
  word_similarity, to return ten. It now looks at a sample of the matches first, and
  from the similarity of the sample's max_rows-th best raises pg_trgm's threshold for
  the real search, so that the trigram index itself leaves out the names that cannot
  make the list. The result is the same, ties at the cut included (broken by key as
  before); only when the cut falls in a crowd of equally similar names, or barely above
  the threshold, are they all still read.

Same function signatures and columns, same results (tests/test_read_summaries.py and
tests/test_views.py compare them with the previous definitions).

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
-- relationships (actor_neighbours) and weighs them the same way. Keys, names and kinds
-- come with the adjacency entries: `actor` is read only for the start (and by filtered
-- levels).
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
    -- Everything found so far, level by level, each level in path order; a path is its
    -- keys joined by commas (a key never holds one).
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
            SELECT here.path_rank, adj.neighbour_id, adj.weight, adj.neighbour_key,
                   adj.neighbour_name, adj.neighbour_kind
            FROM unnest(frontier_ids) WITH ORDINALITY AS here (id, path_rank)
            CROSS JOIN LATERAL (
                SELECT a.neighbour_id, a.weight, a.neighbour_key, a.neighbour_name,
                       a.neighbour_kind
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
            SELECT here.path_rank, edge.actor_id, sum(support.n)::int, next.key, next.name,
                   next.kind
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
            GROUP BY here.path_rank, edge.actor_id, next.key, next.name, next.kind
        ),
        best AS (
            -- Each neighbour once, by its heaviest link, then the first path: weight in
            -- the high 32 bits, 2^31 - path rank in the low ones, so that one hash
            -- aggregate finds both, without sorting the links.
            SELECT link.neighbour_id, link.neighbour_key, link.neighbour_name,
                   link.neighbour_kind,
                   max((link.weight::bigint << 32) | (2147483648 - link.path_rank)) AS packed
            FROM link
            GROUP BY link.neighbour_id, link.neighbour_key, link.neighbour_name,
                     link.neighbour_kind
        ),
        kept AS (
            SELECT best.neighbour_id, best.neighbour_key, best.neighbour_name,
                   best.neighbour_kind, (best.packed >> 32)::int AS weight,
                   (2147483648 - (best.packed & 4294967295))::int AS path_rank
            FROM best
            ORDER BY best.packed >> 32 DESC, best.neighbour_id
            LIMIT room
        ),
        step AS (
            SELECT kept.neighbour_id AS id, kept.neighbour_key AS key,
                   kept.neighbour_name AS name, kept.neighbour_kind AS kind, kept.weight,
                   frontier_paths[kept.path_rank] || ',' || kept.neighbour_key AS path
            FROM kept
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


# The neighbour's key, name and kind, kept in actor_adjacency like neighbour_is_anonymous
# and covered by the walk's index: a capped level then reads everything it returns from
# one index range, instead of probing `actor` for each of up to max_rows neighbours.
ADJACENCY_COLUMNS = """
ALTER TABLE actor_adjacency
    ADD COLUMN neighbour_key text,
    ADD COLUMN neighbour_name text,
    ADD COLUMN neighbour_kind text;

UPDATE actor_adjacency AS adj
SET neighbour_key = a.key, neighbour_name = a.name, neighbour_kind = a.kind
FROM actor AS a
WHERE a.id = adj.neighbour_id;

-- Filled just above, in the same transaction, which already holds the table exclusively.
ALTER TABLE actor_adjacency
    -- squawk-ignore adding-not-nullable-field
    ALTER COLUMN neighbour_key SET NOT NULL,
    -- squawk-ignore adding-not-nullable-field
    ALTER COLUMN neighbour_name SET NOT NULL,
    -- squawk-ignore adding-not-nullable-field
    ALTER COLUMN neighbour_kind SET NOT NULL;

DROP INDEX ix_actor_adjacency_actor_id_weight_neighbour_id;
-- A derived table, rewritten above under the same lock.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ix_actor_adjacency_actor_id_weight_neighbour_id
    ON actor_adjacency (actor_id, weight DESC, neighbour_id)
    INCLUDE (neighbour_is_anonymous, neighbour_key, neighbour_name, neighbour_kind);
"""

ADJACENCY_COLUMNS_DOWN = """
DROP INDEX ix_actor_adjacency_actor_id_weight_neighbour_id;
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ix_actor_adjacency_actor_id_weight_neighbour_id
    ON actor_adjacency (actor_id, weight DESC, neighbour_id) INCLUDE (neighbour_is_anonymous);
ALTER TABLE actor_adjacency
    DROP COLUMN neighbour_key,
    DROP COLUMN neighbour_name,
    DROP COLUMN neighbour_kind;
"""

# Everything that writes actor_adjacency, now with the neighbour's key, name and kind.
ADJACENCY_WRITERS = """
-- Add relationship and weight deltas to actor_adjacency, given per directed pair.
CREATE OR REPLACE FUNCTION actor_adjacency_apply(
    actor_ids uuid[], neighbour_ids uuid[], relationship_deltas int[], weight_deltas int[]
) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO actor_adjacency AS adj
        (actor_id, neighbour_id, neighbour_is_anonymous, neighbour_key, neighbour_name,
         neighbour_kind, relationship_count, weight)
    SELECT d.actor_id, d.neighbour_id, neighbour.is_anonymous, neighbour.key, neighbour.name,
           neighbour.kind, sum(d.relationships), sum(d.weight)
    FROM unnest(actor_ids, neighbour_ids, relationship_deltas, weight_deltas)
        AS d (actor_id, neighbour_id, relationships, weight)
    JOIN actor AS neighbour ON neighbour.id = d.neighbour_id
    GROUP BY d.actor_id, d.neighbour_id, neighbour.is_anonymous, neighbour.key, neighbour.name,
             neighbour.kind
    HAVING sum(d.relationships) <> 0 OR sum(d.weight) <> 0
    ORDER BY d.actor_id, d.neighbour_id
    ON CONFLICT (actor_id, neighbour_id) DO UPDATE
        SET relationship_count = adj.relationship_count + excluded.relationship_count,
            weight = adj.weight + excluded.weight;
END
$$;

-- Recount actor_adjacency for these pairs (either order) from the relationships and
-- their evidence as they are now: after deletes and updates, where the evidence that
-- went with a deleted relationship can no longer be joined to it.
CREATE OR REPLACE FUNCTION actor_adjacency_refresh(firsts uuid[], seconds uuid[]) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    DELETE FROM actor_adjacency AS adj
    USING unnest(firsts, seconds) AS p (a, b)
    WHERE (adj.actor_id = p.a AND adj.neighbour_id = p.b)
       OR (adj.actor_id = p.b AND adj.neighbour_id = p.a);
    INSERT INTO actor_adjacency
        (actor_id, neighbour_id, neighbour_is_anonymous, neighbour_key, neighbour_name,
         neighbour_kind, relationship_count, weight)
    SELECT ends.actor_id, ends.neighbour_id, neighbour.is_anonymous, neighbour.key,
           neighbour.name, neighbour.kind, count(*), sum(support.n)
    FROM (SELECT DISTINCT least(p.a, p.b) AS lo, greatest(p.a, p.b) AS hi
          FROM unnest(firsts, seconds) AS p (a, b)) AS p
    JOIN relationship AS r
        ON (r.subject_id = p.lo AND r.object_id = p.hi)
        OR (r.subject_id = p.hi AND r.object_id = p.lo)
    CROSS JOIN LATERAL (
        SELECT count(*) AS n FROM relationship_evidence AS ev
        WHERE ev.relationship_id = r.id AND ev.stance = 'supports'
    ) AS support
    CROSS JOIN LATERAL (VALUES (r.subject_id, r.object_id), (r.object_id, r.subject_id))
        AS ends (actor_id, neighbour_id)
    JOIN actor AS neighbour ON neighbour.id = ends.neighbour_id
    -- The neighbour's columns, not its id: grouping by a key hides the group count from
    -- the planner.
    GROUP BY ends.actor_id, ends.neighbour_id, neighbour.is_anonymous, neighbour.key,
             neighbour.name, neighbour.kind
    ORDER BY ends.actor_id, ends.neighbour_id;
END
$$;

-- actor: what the walk copies of a neighbour (whether it may step to it, and what it
-- shows). The rows naming an actor as neighbour are found through their mirror rows,
-- which start with it (both directions are stored), so the primary key serves both.
CREATE OR REPLACE FUNCTION actor_maintain_reads() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE actor_adjacency AS adj
    SET neighbour_is_anonymous = changed.is_anonymous, neighbour_key = changed.key,
        neighbour_name = changed.name, neighbour_kind = changed.kind
    FROM (
        SELECT mirror.neighbour_id AS actor_id, n.id, n.is_anonymous, n.key, n.name, n.kind
        FROM new_rows AS n
        JOIN old_rows AS o ON o.id = n.id
        JOIN actor_adjacency AS mirror ON mirror.actor_id = n.id
        WHERE (n.is_anonymous, n.key, n.name, n.kind)
              IS DISTINCT FROM (o.is_anonymous, o.key, o.name, o.kind)
    ) AS changed
    WHERE adj.actor_id = changed.actor_id AND adj.neighbour_id = changed.id;
    RETURN NULL;
END
$$;
"""


def refresh_read_summaries(previous: str) -> str:
    """The previous refresh_read_summaries(), filling the neighbour's key, name and kind."""
    old_columns = "(actor_id, neighbour_id, neighbour_is_anonymous, relationship_count, weight)"
    new_columns = (
        "(actor_id, neighbour_id, neighbour_is_anonymous, neighbour_key, neighbour_name,\n"
        "         neighbour_kind, relationship_count, weight)"
    )
    old_values = "SELECT ends.actor_id, ends.neighbour_id, neighbour.is_anonymous, count(*),"
    new_values = (
        "SELECT ends.actor_id, ends.neighbour_id, neighbour.is_anonymous, neighbour.key,\n"
        "           neighbour.name, neighbour.kind, count(*),"
    )
    old_group = "GROUP BY ends.actor_id, ends.neighbour_id, neighbour.is_anonymous;"
    new_group = (
        "GROUP BY ends.actor_id, ends.neighbour_id, neighbour.is_anonymous, neighbour.key,\n"
        "             neighbour.name, neighbour.kind;"
    )
    for old, new in ((old_columns, new_columns), (old_values, new_values), (old_group, new_group)):
        assert previous.count(old) == 1, old
        previous = previous.replace(old, new)
    return or_replace(previous)


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


def or_replace(definitions: str) -> str:
    """Definitions as CREATE OR REPLACE: same signatures and columns, so grants stay."""
    return definitions.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    # Filling the adjacency's new columns rewrites it: ~1 minute at 1M events.
    op.execute("SET LOCAL statement_timeout = '30min'")
    op.execute(ADJACENCY_COLUMNS)
    op.execute(ADJACENCY_WRITERS)
    summaries = context.script.get_revision("81c91680397b").module
    op.execute(refresh_read_summaries(summaries.REFRESH))
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
    op.execute(or_replace(previous.APPLY_FUNCTIONS))
    op.execute(or_replace(previous.TRIGGER_FUNCTIONS))
    op.execute(or_replace(previous.REFRESH))
    op.execute(ADJACENCY_COLUMNS_DOWN)
    op.execute(or_replace(context.script.get_revision("acdb9dfa1dc8").module.FIND_ACTOR))
    op.execute("DROP FUNCTION actor_name_matches(text, int, real)")
