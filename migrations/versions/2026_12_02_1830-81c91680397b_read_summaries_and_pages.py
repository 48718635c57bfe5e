"""Read summaries, an adjacency table and keyset pages, so hub actors read like minor ones.

At 250k events the top hub's profile took 2 s, its 2-hop neighbourhood timed out at 10 s,
and search ranked every match (benchmarks/README.md): each aggregated all of a hub's rows
on every call. This revision adds tables derived from the curated ones, kept true by
set-based statement-level triggers with transition tables, so every write path (seed
sync, COPY and INSERT ... SELECT imports, the API) keeps them right in its own
transaction without knowing they exist:

- `actor_count`: an actor's relationships by type, events by type and by start year,
  claims about it by kind;
- `actor_event` and `actor_claim`: an actor's events in timeline order and the claims
  about it in key order, so a page is one index range;
- `actor_adjacency`: the relationship graph, both directions, one row per actor pair,
  weighted by the claims that support the pair's relationships and indexed
  (actor, weight desc, neighbour), so a capped neighbourhood level reads its first rows.

`actor_profile` now returns counts and the first 20 of each list; full lists come from
keyset-paginated functions (`actor_relationships`, `actor_timeline`, `actor_claims`,
`timeline`). `actor_neighbourhood` keeps the most evidenced neighbours when it caps a
level, and `search_text` ranks a bounded candidate set per table. Existing rows are
backfilled by `refresh_read_summaries()`, which also rebuilds everything after a load
that disabled triggers. docs/scaling.md says why and what it costs.

Revision ID: 81c91680397b
Revises: 27c53c3842be
Create Date: 2026-12-02 17:50:34.361884+00:00
"""

from collections.abc import Sequence

from alembic import context, op

revision: str = "81c91680397b"
down_revision: str | None = "27c53c3842be"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

READER_ROLE = "nexus_reader"
# How many entries of each list actor_profile shows; the page functions give the rest.
PROFILE_FIRST = 20

# ---------------------------------------------------------------------------
# Tables. No foreign keys: a row lives exactly as long as the rows it is derived from,
# which the triggers below guarantee, and a bulk load pays no RI check per derived row.
# ---------------------------------------------------------------------------

TABLES = """
CREATE TABLE actor_count (
    actor_id uuid NOT NULL,
    facet text NOT NULL,
    category text NOT NULL,
    n bigint NOT NULL,
    CONSTRAINT actor_count_pkey PRIMARY KEY (actor_id, facet, category),
    CONSTRAINT actor_count_facet_check CHECK (
        facet IN ('relationship_type', 'event_type', 'event_year', 'claim_kind'))
    -- No CHECK on n: PostgreSQL checks the row an upsert proposes (a decrement of -1)
    -- before it finds the row to update.
);

CREATE TABLE actor_event (
    event_id uuid NOT NULL,
    actor_id uuid NOT NULL,
    event_key text NOT NULL,
    event_type text NOT NULL,
    start_date date,
    sort_date date NOT NULL,
    CONSTRAINT actor_event_pkey PRIMARY KEY (event_id, actor_id)
);
-- INCLUDE, so a page is an index-only scan in order: the heap of a hub's rows is never
-- read (actor_event's physical order is the load's, not the timeline's).
CREATE UNIQUE INDEX ix_actor_event_actor_id_sort_date_event_key
    ON actor_event (actor_id, sort_date, event_key) INCLUDE (event_id);

CREATE TABLE actor_claim (
    claim_id uuid NOT NULL,
    actor_id uuid NOT NULL,
    claim_key text NOT NULL,
    claim_kind text NOT NULL,
    CONSTRAINT actor_claim_pkey PRIMARY KEY (claim_id, actor_id)
);
CREATE UNIQUE INDEX ix_actor_claim_actor_id_claim_key
    ON actor_claim (actor_id, claim_key) INCLUDE (claim_id);

CREATE TABLE actor_adjacency (
    actor_id uuid NOT NULL,
    neighbour_id uuid NOT NULL,
    neighbour_is_anonymous boolean NOT NULL,
    relationship_count integer NOT NULL,
    weight integer NOT NULL,
    CONSTRAINT actor_adjacency_pkey PRIMARY KEY (actor_id, neighbour_id)
);
CREATE INDEX ix_actor_adjacency_actor_id_weight_neighbour_id
    ON actor_adjacency (actor_id, weight DESC, neighbour_id) INCLUDE (neighbour_is_anonymous);
"""

# An actor's relationships in page order, (type, key), from either end: two index ranges
# merged. They replace the single-column indexes on subject_id and object_id, which they
# also serve. relationship is rewritten by nothing here; a plain build holds SHARE.
RELATIONSHIP_INDEXES = """
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ix_relationship_subject_id_relationship_type_key
    ON relationship (subject_id, relationship_type, key);
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ix_relationship_object_id_relationship_type_key
    ON relationship (object_id, relationship_type, key);
DROP INDEX ix_relationship_subject_id;
DROP INDEX ix_relationship_object_id;
"""

RELATIONSHIP_INDEXES_DOWN = """
CREATE INDEX ix_relationship_subject_id ON relationship (subject_id);
CREATE INDEX ix_relationship_object_id ON relationship (object_id);
DROP INDEX ix_relationship_subject_id_relationship_type_key;
DROP INDEX ix_relationship_object_id_relationship_type_key;
"""

# ---------------------------------------------------------------------------
# Applying changes: every trigger turns its transition tables into deltas and hands them
# to one of these, so the arithmetic lives in one place.
# ---------------------------------------------------------------------------

APPLY_FUNCTIONS = """
-- Add deltas to actor_count (one entry per actor, facet, category; repeats are summed)
-- and drop the counts that reach zero. Rows are locked in key order, so two writers
-- touching the same hubs wait for each other instead of deadlocking.
CREATE FUNCTION actor_count_apply(
    actor_ids uuid[], facets text[], categories text[], deltas bigint[]
) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO actor_count AS c (actor_id, facet, category, n)
    SELECT d.actor_id, d.facet, d.category, sum(d.delta)
    FROM unnest(actor_ids, facets, categories, deltas) AS d (actor_id, facet, category, delta)
    GROUP BY d.actor_id, d.facet, d.category
    HAVING sum(d.delta) <> 0
    ORDER BY d.actor_id, d.facet, d.category
    ON CONFLICT (actor_id, facet, category) DO UPDATE SET n = c.n + excluded.n;
    DELETE FROM actor_count AS c
    USING unnest(actor_ids, facets, categories) AS d (actor_id, facet, category)
    WHERE c.n = 0
      AND c.actor_id = d.actor_id AND c.facet = d.facet AND c.category = d.category;
END
$$;

-- Add relationship and weight deltas to actor_adjacency, given per directed pair.
CREATE FUNCTION actor_adjacency_apply(
    actor_ids uuid[], neighbour_ids uuid[], relationship_deltas int[], weight_deltas int[]
) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO actor_adjacency AS adj
        (actor_id, neighbour_id, neighbour_is_anonymous, relationship_count, weight)
    SELECT d.actor_id, d.neighbour_id, neighbour.is_anonymous,
           sum(d.relationships), sum(d.weight)
    FROM unnest(actor_ids, neighbour_ids, relationship_deltas, weight_deltas)
        AS d (actor_id, neighbour_id, relationships, weight)
    JOIN actor AS neighbour ON neighbour.id = d.neighbour_id
    GROUP BY d.actor_id, d.neighbour_id, neighbour.is_anonymous
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
CREATE FUNCTION actor_adjacency_refresh(firsts uuid[], seconds uuid[]) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    DELETE FROM actor_adjacency AS adj
    USING unnest(firsts, seconds) AS p (a, b)
    WHERE (adj.actor_id = p.a AND adj.neighbour_id = p.b)
       OR (adj.actor_id = p.b AND adj.neighbour_id = p.a);
    INSERT INTO actor_adjacency
        (actor_id, neighbour_id, neighbour_is_anonymous, relationship_count, weight)
    SELECT ends.actor_id, ends.neighbour_id, neighbour.is_anonymous, count(*),
           sum(support.n)
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
    GROUP BY ends.actor_id, ends.neighbour_id, neighbour.is_anonymous
    ORDER BY ends.actor_id, ends.neighbour_id;
END
$$;
"""

# ---------------------------------------------------------------------------
# Triggers: AFTER ... FOR EACH STATEMENT with transition tables, so a COPY of a million
# rows costs a few set-based statements, not a million trigger calls. One function per
# table; an UPDATE is its old rows taken away and its new rows added.
# ---------------------------------------------------------------------------

TRIGGER_FUNCTIONS = """
-- relationship: counts by type, and the adjacency of both ends.
CREATE FUNCTION relationship_maintain_reads() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM actor_count_apply(array_agg(d.actor_id), array_agg('relationship_type'::text),
                                  array_agg(d.relationship_type), array_agg(1::bigint))
        FROM (SELECT subject_id AS actor_id, relationship_type FROM new_rows
              UNION ALL
              SELECT object_id, relationship_type FROM new_rows) AS d;
        -- New relationships have no evidence yet: its rows come in their own statements.
        PERFORM actor_adjacency_apply(array_agg(d.a), array_agg(d.b),
                                      array_agg(1), array_agg(0))
        FROM (SELECT subject_id AS a, object_id AS b FROM new_rows
              UNION ALL
              SELECT object_id, subject_id FROM new_rows) AS d;
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        PERFORM actor_count_apply(array_agg(d.actor_id), array_agg('relationship_type'::text),
                                  array_agg(d.relationship_type), array_agg(-1::bigint))
        FROM (SELECT subject_id AS actor_id, relationship_type FROM old_rows
              UNION ALL
              SELECT object_id, relationship_type FROM old_rows) AS d;
        PERFORM actor_adjacency_refresh(array_agg(subject_id), array_agg(object_id))
        FROM old_rows;
        RETURN NULL;
    END IF;
    -- UPDATE: only a change of ends or type changes what is derived.
    PERFORM actor_count_apply(array_agg(d.actor_id), array_agg('relationship_type'::text),
                              array_agg(d.relationship_type), array_agg(d.delta))
    FROM (
        SELECT o.subject_id AS actor_id, o.relationship_type, -1::bigint AS delta
        FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
        WHERE (o.subject_id, o.object_id, o.relationship_type)
            IS DISTINCT FROM (n.subject_id, n.object_id, n.relationship_type)
        UNION ALL
        SELECT o.object_id, o.relationship_type, -1
        FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
        WHERE (o.subject_id, o.object_id, o.relationship_type)
            IS DISTINCT FROM (n.subject_id, n.object_id, n.relationship_type)
        UNION ALL
        SELECT n.subject_id, n.relationship_type, 1
        FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
        WHERE (o.subject_id, o.object_id, o.relationship_type)
            IS DISTINCT FROM (n.subject_id, n.object_id, n.relationship_type)
        UNION ALL
        SELECT n.object_id, n.relationship_type, 1
        FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
        WHERE (o.subject_id, o.object_id, o.relationship_type)
            IS DISTINCT FROM (n.subject_id, n.object_id, n.relationship_type)
    ) AS d;
    PERFORM actor_adjacency_refresh(array_agg(p.a), array_agg(p.b))
    FROM (
        SELECT o.subject_id AS a, o.object_id AS b
        FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
        WHERE (o.subject_id, o.object_id) IS DISTINCT FROM (n.subject_id, n.object_id)
        UNION ALL
        SELECT n.subject_id, n.object_id
        FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
        WHERE (o.subject_id, o.object_id) IS DISTINCT FROM (n.subject_id, n.object_id)
    ) AS p
    HAVING count(*) > 0;
    RETURN NULL;
END
$$;

-- relationship_evidence: a supporting claim adds one to the weight of its relationship's
-- pair, both directions. Evidence removed with its relationship joins nothing here; the
-- relationship's own trigger recounts that pair.
CREATE FUNCTION relationship_evidence_maintain_reads() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    -- Transition tables exist only for their operation, hence one statement for each.
    IF TG_OP <> 'DELETE' THEN
        PERFORM actor_adjacency_apply(array_agg(ends.a), array_agg(ends.b),
                                      array_agg(0), array_agg(1))
        FROM new_rows AS ev
        JOIN relationship AS r ON r.id = ev.relationship_id
        CROSS JOIN LATERAL (VALUES (r.subject_id, r.object_id), (r.object_id, r.subject_id))
            AS ends (a, b)
        WHERE ev.stance = 'supports';
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM actor_adjacency_apply(array_agg(ends.a), array_agg(ends.b),
                                      array_agg(0), array_agg(-1))
        FROM old_rows AS ev
        JOIN relationship AS r ON r.id = ev.relationship_id
        CROSS JOIN LATERAL (VALUES (r.subject_id, r.object_id), (r.object_id, r.subject_id))
            AS ends (a, b)
        WHERE ev.stance = 'supports';
    END IF;
    RETURN NULL;
END
$$;

-- event_participant: one actor_event row per (event, actor), whatever the roles.
CREATE FUNCTION event_participant_maintain_reads() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM actor_event AS ae
        USING (SELECT DISTINCT event_id, actor_id FROM old_rows) AS o
        WHERE ae.event_id = o.event_id AND ae.actor_id = o.actor_id
          AND NOT EXISTS (
              SELECT FROM event_participant AS p
              WHERE p.event_id = o.event_id AND p.actor_id = o.actor_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO actor_event (event_id, actor_id, event_key, event_type, start_date, sort_date)
        SELECT DISTINCT n.event_id, n.actor_id, e.key, e.event_type, e.start_date,
               coalesce(e.start_date, '9999-12-31')
        FROM new_rows AS n
        JOIN event AS e ON e.id = n.event_id
        ORDER BY n.event_id, n.actor_id
        ON CONFLICT (event_id, actor_id) DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

-- event: its key, type and start are copied into actor_event (deleting an event deletes
-- its participants, whose trigger removes the rows).
CREATE FUNCTION event_maintain_reads() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE actor_event AS ae
    SET event_key = n.key, event_type = n.event_type, start_date = n.start_date,
        sort_date = coalesce(n.start_date, '9999-12-31')
    FROM new_rows AS n
    JOIN old_rows AS o ON o.id = n.id
    WHERE ae.event_id = n.id
      AND (n.key, n.event_type, n.start_date) IS DISTINCT FROM (o.key, o.event_type, o.start_date);
    RETURN NULL;
END
$$;

-- actor_event: an actor's events by type and by start year.
CREATE FUNCTION actor_event_maintain_counts() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM actor_count_apply(array_agg(ae.actor_id), array_agg(facet.facet),
                                  array_agg(facet.category), array_agg(1::bigint))
        FROM new_rows AS ae
        CROSS JOIN LATERAL (VALUES
            ('event_type', ae.event_type),
            ('event_year', coalesce(extract(year FROM ae.start_date)::int::text, 'unknown'))
        ) AS facet (facet, category);
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM actor_count_apply(array_agg(ae.actor_id), array_agg(facet.facet),
                                  array_agg(facet.category), array_agg(-1::bigint))
        FROM old_rows AS ae
        CROSS JOIN LATERAL (VALUES
            ('event_type', ae.event_type),
            ('event_year', coalesce(extract(year FROM ae.start_date)::int::text, 'unknown'))
        ) AS facet (facet, category);
    END IF;
    RETURN NULL;
END
$$;

-- claim_actor: one actor_claim row per claim and actor it is about.
CREATE FUNCTION claim_actor_maintain_reads() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM actor_claim AS ac
        USING old_rows AS o
        WHERE ac.claim_id = o.claim_id AND ac.actor_id = o.actor_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO actor_claim (claim_id, actor_id, claim_key, claim_kind)
        SELECT n.claim_id, n.actor_id, c.key, c.kind
        FROM new_rows AS n
        JOIN claim AS c ON c.id = n.claim_id
        ORDER BY n.claim_id, n.actor_id;
    END IF;
    RETURN NULL;
END
$$;

-- claim: its key and kind are copied into actor_claim.
CREATE FUNCTION claim_maintain_reads() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE actor_claim AS ac
    SET claim_key = n.key, claim_kind = n.kind
    FROM new_rows AS n
    JOIN old_rows AS o ON o.id = n.id
    WHERE ac.claim_id = n.id AND (n.key, n.kind) IS DISTINCT FROM (o.key, o.kind);
    RETURN NULL;
END
$$;

-- actor_claim: the claims about an actor by kind.
CREATE FUNCTION actor_claim_maintain_counts() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM actor_count_apply(array_agg(actor_id), array_agg('claim_kind'::text),
                                  array_agg(claim_kind), array_agg(1::bigint))
        FROM new_rows;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM actor_count_apply(array_agg(actor_id), array_agg('claim_kind'::text),
                                  array_agg(claim_kind), array_agg(-1::bigint))
        FROM old_rows;
    END IF;
    RETURN NULL;
END
$$;

-- actor: whether a neighbour is anonymous decides whether the walk may step to it.
CREATE FUNCTION actor_maintain_reads() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE actor_adjacency AS adj
    SET neighbour_is_anonymous = n.is_anonymous
    FROM new_rows AS n
    JOIN old_rows AS o ON o.id = n.id
    WHERE adj.neighbour_id = n.id AND n.is_anonymous IS DISTINCT FROM o.is_anonymous;
    RETURN NULL;
END
$$;
"""

# (table, trigger function, operations). Transition tables cannot be combined with
# UPDATE OF column lists, so an UPDATE trigger sees every update and the function looks
# for the columns it copies.
TRIGGERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("relationship", "relationship_maintain_reads", ("INSERT", "UPDATE", "DELETE")),
    (
        "relationship_evidence",
        "relationship_evidence_maintain_reads",
        ("INSERT", "UPDATE", "DELETE"),
    ),
    ("event_participant", "event_participant_maintain_reads", ("INSERT", "UPDATE", "DELETE")),
    ("event", "event_maintain_reads", ("UPDATE",)),
    ("actor_event", "actor_event_maintain_counts", ("INSERT", "UPDATE", "DELETE")),
    ("claim_actor", "claim_actor_maintain_reads", ("INSERT", "UPDATE", "DELETE")),
    ("claim", "claim_maintain_reads", ("UPDATE",)),
    ("actor_claim", "actor_claim_maintain_counts", ("INSERT", "UPDATE", "DELETE")),
    ("actor", "actor_maintain_reads", ("UPDATE",)),
)

TRANSITION_TABLES = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}


def trigger_name(table: str, operation: str) -> str:
    return f"{table}_reads_after_{operation.lower()}"


def create_triggers() -> str:
    return "\n".join(
        f"CREATE TRIGGER {trigger_name(table, operation)}"
        f" AFTER {operation} ON {table}"
        f" REFERENCING {TRANSITION_TABLES[operation]}"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
        for table, function, operations in TRIGGERS
        for operation in operations
    )


REFRESH = """
-- Rebuild every derived read table from the curated tables: the backfill of this
-- revision, and the last step of a bulk load that ran with triggers disabled
-- (`ALTER TABLE ... DISABLE TRIGGER USER`). Takes ACCESS EXCLUSIVE on the four tables.
CREATE FUNCTION refresh_read_summaries() RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    TRUNCATE actor_count, actor_event, actor_claim, actor_adjacency;
    -- Counted in one GROUP BY each below, rather than by their triggers as they go in.
    ALTER TABLE actor_event DISABLE TRIGGER USER;
    ALTER TABLE actor_claim DISABLE TRIGGER USER;
    INSERT INTO actor_event (event_id, actor_id, event_key, event_type, start_date, sort_date)
    SELECT DISTINCT p.event_id, p.actor_id, e.key, e.event_type, e.start_date,
           coalesce(e.start_date, '9999-12-31')
    FROM event_participant AS p
    JOIN event AS e ON e.id = p.event_id;
    INSERT INTO actor_claim (claim_id, actor_id, claim_key, claim_kind)
    SELECT ca.claim_id, ca.actor_id, c.key, c.kind
    FROM claim_actor AS ca
    JOIN claim AS c ON c.id = ca.claim_id;
    ALTER TABLE actor_event ENABLE TRIGGER USER;
    ALTER TABLE actor_claim ENABLE TRIGGER USER;
    INSERT INTO actor_count (actor_id, facet, category, n)
    SELECT actor_id, 'event_type', event_type, count(*) FROM actor_event
    GROUP BY actor_id, event_type
    UNION ALL
    SELECT actor_id, 'event_year', coalesce(extract(year FROM start_date)::int::text, 'unknown'),
           count(*)
    FROM actor_event
    GROUP BY actor_id, 3
    UNION ALL
    SELECT actor_id, 'claim_kind', claim_kind, count(*) FROM actor_claim
    GROUP BY actor_id, claim_kind;
    INSERT INTO actor_count (actor_id, facet, category, n)
    SELECT ends.actor_id, 'relationship_type', r.relationship_type, count(*)
    FROM relationship AS r
    CROSS JOIN LATERAL (VALUES (r.subject_id), (r.object_id)) AS ends (actor_id)
    GROUP BY ends.actor_id, r.relationship_type;
    INSERT INTO actor_adjacency
        (actor_id, neighbour_id, neighbour_is_anonymous, relationship_count, weight)
    SELECT ends.actor_id, ends.neighbour_id, neighbour.is_anonymous, count(*),
           coalesce(sum(support.n), 0)
    FROM relationship AS r
    LEFT JOIN (
        SELECT relationship_id, count(*) AS n FROM relationship_evidence
        WHERE stance = 'supports'
        GROUP BY relationship_id
    ) AS support ON support.relationship_id = r.id
    CROSS JOIN LATERAL (VALUES (r.subject_id, r.object_id), (r.object_id, r.subject_id))
        AS ends (actor_id, neighbour_id)
    JOIN actor AS neighbour ON neighbour.id = ends.neighbour_id
    GROUP BY ends.actor_id, ends.neighbour_id, neighbour.is_anonymous;
END
$$;
"""

# ---------------------------------------------------------------------------
# Pages. Each returns rows in a stable order and a `cursor` per row: pass the last row's
# cursor as `after` for the next page. Cursors hold the sort values themselves, so a page
# stays right when the rows before it change. Comparisons against a cursor use row
# comparisons with a floor for "no cursor", never `after IS NULL OR ...`, so a generic
# plan still reads one index range.
# ---------------------------------------------------------------------------

PAGE_FUNCTIONS = """
-- An actor's relationships read from its side, by type and then relationship key;
-- cursor 'type:key'.
CREATE FUNCTION actor_relationships(actor_key text, after text DEFAULT NULL,
                                    max_rows int DEFAULT 50)
RETURNS TABLE (relationship_key text, direction text, type text, label text,
               other_key text, other_name text, start_date date, start_precision text,
               end_date date, end_precision text, is_ongoing boolean, period text,
               cursor text)
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
WITH me AS (SELECT a.id FROM actor AS a WHERE a.key = actor_relationships.actor_key),
edge AS (
    (SELECT 'outgoing' AS direction, r.*, r.object_id AS other_id
     FROM relationship AS r
     WHERE r.subject_id = (SELECT id FROM me)
       AND (r.relationship_type, r.key)
           > (coalesce(split_part(actor_relationships.after, ':', 1), ''),
              coalesce(split_part(actor_relationships.after, ':', 2), ''))
     ORDER BY r.relationship_type, r.key
     LIMIT actor_relationships.max_rows)
    UNION ALL
    (SELECT 'incoming', r.*, r.subject_id
     FROM relationship AS r
     WHERE r.object_id = (SELECT id FROM me)
       AND (r.relationship_type, r.key)
           > (coalesce(split_part(actor_relationships.after, ':', 1), ''),
              coalesce(split_part(actor_relationships.after, ':', 2), ''))
     ORDER BY r.relationship_type, r.key
     LIMIT actor_relationships.max_rows)
),
page AS (
    SELECT * FROM edge ORDER BY relationship_type, key LIMIT actor_relationships.max_rows
)
SELECT page.key, page.direction, page.relationship_type,
       CASE page.direction WHEN 'outgoing' THEN rt.label ELSE rt.inverse_label END,
       other.key, other.name, page.start_date, page.start_precision,
       page.end_date, page.end_precision, page.is_ongoing,
       format_period(page.start_date, page.start_precision, page.end_date,
                     page.end_precision, page.is_ongoing),
       page.relationship_type || ':' || page.key
FROM page
JOIN relationship_type AS rt ON rt.code = page.relationship_type
JOIN actor AS other ON other.id = page.other_id
ORDER BY page.relationship_type, page.key
$$;

-- An actor's events in time order (unknown starts last), then key; cursor 'date:key'
-- with '9999-12-31' for an unknown start. Predicted and hypothetical events are included,
-- as in event_timeline: filter on factuality for what occurred.
CREATE FUNCTION actor_timeline(actor_key text, after text DEFAULT NULL,
                               max_rows int DEFAULT 50)
RETURNS TABLE (event_key text, title text, type text, factuality text,
               start_date date, start_precision text, end_date date, end_precision text,
               is_ongoing boolean, period text, cursor text)
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
SELECT e.key, e.title, e.event_type, e.factuality, e.start_date, e.start_precision,
       e.end_date, e.end_precision, e.is_ongoing,
       format_period(e.start_date, e.start_precision, e.end_date, e.end_precision,
                     e.is_ongoing),
       page.sort_date::text || ':' || page.event_key
FROM (
    SELECT ae.event_id, ae.sort_date, ae.event_key
    FROM actor_event AS ae
    WHERE ae.actor_id = (SELECT a.id FROM actor AS a WHERE a.key = actor_timeline.actor_key)
      AND (ae.sort_date, ae.event_key)
          > (coalesce(split_part(actor_timeline.after, ':', 1)::date, '-infinity'),
             coalesce(split_part(actor_timeline.after, ':', 2), ''))
    ORDER BY ae.sort_date, ae.event_key
    LIMIT actor_timeline.max_rows
) AS page
JOIN event AS e ON e.id = page.event_id
ORDER BY page.sort_date, page.event_key
$$;

-- The claims about an actor, by claim key; cursor the claim key.
CREATE FUNCTION actor_claims(actor_key text, after text DEFAULT NULL, max_rows int DEFAULT 50)
RETURNS TABLE (claim_key text, kind text, certainty text, polarity text, credibility text,
               statement text, source_key text, claimant_key text, cursor text)
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
SELECT c.key, c.kind, c.certainty, c.polarity, c.credibility, c.text, source.key,
       claimant.key, page.claim_key
FROM (
    SELECT ac.claim_id, ac.claim_key
    FROM actor_claim AS ac
    WHERE ac.actor_id = (SELECT a.id FROM actor AS a WHERE a.key = actor_claims.actor_key)
      AND ac.claim_key > coalesce(actor_claims.after, '')
    ORDER BY ac.claim_key
    LIMIT actor_claims.max_rows
) AS page
JOIN claim AS c ON c.id = page.claim_id
JOIN source ON source.id = c.source_id
JOIN actor AS claimant ON claimant.id = c.claimant_id
ORDER BY page.claim_key
$$;

-- All events in event_timeline's order (start, unknown starts last, then key); cursor
-- 'date:key' as for actor_timeline. Dated and undated events are two index ranges of
-- ix_event_start_date_key.
CREATE FUNCTION timeline(after text DEFAULT NULL, max_rows int DEFAULT 50)
RETURNS TABLE (event_key text, title text, type text, factuality text,
               start_date date, start_precision text, end_date date, end_precision text,
               is_ongoing boolean, period text, cursor text)
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
WITH bound AS (
    SELECT coalesce(split_part(timeline.after, ':', 1)::date, '-infinity') AS after_date,
           coalesce(split_part(timeline.after, ':', 2), '') AS after_key
),
page AS (
    (SELECT e.* FROM event AS e, bound
     WHERE (e.start_date, e.key) > (bound.after_date, bound.after_key)
     ORDER BY e.start_date, e.key
     LIMIT timeline.max_rows)
    UNION ALL
    (SELECT e.* FROM event AS e, bound
     WHERE e.start_date IS NULL
       AND e.key > CASE WHEN bound.after_date = '9999-12-31' THEN bound.after_key ELSE '' END
     ORDER BY e.key
     LIMIT timeline.max_rows)
)
SELECT page.key, page.title, page.event_type, page.factuality, page.start_date,
       page.start_precision, page.end_date, page.end_precision, page.is_ongoing,
       format_period(page.start_date, page.start_precision, page.end_date,
                     page.end_precision, page.is_ongoing),
       coalesce(page.start_date, '9999-12-31')::text || ':' || page.key
FROM page
ORDER BY page.start_date NULLS LAST, page.key
LIMIT timeline.max_rows
$$;
"""

ACTOR_PROFILE = f"""
-- One row per actor: who they are, how they are known, how much is linked to them
-- (counts from actor_count, kept by triggers), and the first {PROFILE_FIRST} of each list;
-- actor_relationships, actor_timeline and actor_claims page through the rest.
CREATE VIEW actor_profile AS
SELECT
    a.key AS actor_key,
    a.kind,
    a.name,
    a.description,
    a.country_code,
    a.is_anonymous,
    ARRAY(
        SELECT alias.name FROM actor_alias AS alias
        WHERE alias.actor_id = a.id
        ORDER BY alias.name
    ) AS aliases,
    -- {{"wikidata": "Q794", "iso3166_alpha3": "IRN"}}
    coalesce((
        SELECT jsonb_object_agg(x.scheme, x.value ORDER BY x.scheme)
        FROM actor_external_id AS x
        WHERE x.actor_id = a.id
    ), '{{}}'::jsonb) AS external_ids,
    coalesce(counts.relationship_count, 0) AS relationship_count,
    coalesce(counts.relationship_types, '{{}}') AS relationship_types,
    -- Read from this actor's side: an incoming edge takes the type's inverse label
    -- ("Russia receives arms from Iran").
    coalesce((
        SELECT jsonb_agg(jsonb_build_object(
                'direction', edge.direction, 'type', edge.type, 'label', edge.label,
                'other_key', edge.other_key, 'other_name', edge.other_name,
                'start', format_precise_date(edge.start_date, edge.start_precision),
                'end', format_precise_date(edge.end_date, edge.end_precision),
                'period', edge.period)
            ORDER BY edge.type, edge.relationship_key)
        FROM actor_relationships(a.key, NULL, {PROFILE_FIRST}) AS edge
    ), '[]'::jsonb) AS relationships,
    coalesce(counts.event_count, 0) AS event_count,
    coalesce(counts.event_types, '{{}}') AS event_types,
    coalesce(counts.event_years, '{{}}') AS event_years,
    ARRAY(
        SELECT event.event_key FROM actor_timeline(a.key, NULL, {PROFILE_FIRST}) AS event
    ) AS events,
    coalesce(counts.claim_count, 0) AS claim_count,
    coalesce(counts.claim_kinds, '{{}}') AS claim_kinds,
    ARRAY(
        SELECT claim.claim_key FROM actor_claims(a.key, NULL, {PROFILE_FIRST}) AS claim
    ) AS claims_about
FROM actor AS a
LEFT JOIN LATERAL (
    SELECT
        sum(c.n) FILTER (WHERE c.facet = 'relationship_type') AS relationship_count,
        jsonb_object_agg(c.category, c.n ORDER BY c.category)
            FILTER (WHERE c.facet = 'relationship_type') AS relationship_types,
        sum(c.n) FILTER (WHERE c.facet = 'event_type') AS event_count,
        jsonb_object_agg(c.category, c.n ORDER BY c.category)
            FILTER (WHERE c.facet = 'event_type') AS event_types,
        jsonb_object_agg(c.category, c.n ORDER BY c.category)
            FILTER (WHERE c.facet = 'event_year') AS event_years,
        sum(c.n) FILTER (WHERE c.facet = 'claim_kind') AS claim_count,
        jsonb_object_agg(c.category, c.n ORDER BY c.category)
            FILTER (WHERE c.facet = 'claim_kind') AS claim_kinds
    FROM actor_count AS c
    WHERE c.actor_id = a.id
) AS counts ON true;
"""

ACTOR_NEIGHBOURS = """
-- One step of a filtered walk over the relationship graph: the actors one relationship
-- away from any actor in `frontier`, in either direction, through which relationship,
-- with the relationship filters of actor_neighbourhood (types; a date the relationship
-- must hold on, where an unknown end is unbounded and an end is the last day of its
-- period).
CREATE FUNCTION actor_neighbours(
    frontier uuid[],
    relationship_types text[] DEFAULT NULL,
    as_of date DEFAULT NULL
) RETURNS TABLE (from_id uuid, actor_id uuid, relationship_id uuid)
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
SELECT edge.from_id, edge.actor_id, edge.id
FROM (
    SELECT r.id, r.subject_id AS from_id, r.object_id AS actor_id, r.relationship_type,
           r.start_date, r.end_date, r.end_precision
    FROM relationship AS r
    WHERE r.subject_id = ANY (actor_neighbours.frontier)
    UNION ALL
    SELECT r.id, r.object_id, r.subject_id, r.relationship_type,
           r.start_date, r.end_date, r.end_precision
    FROM relationship AS r
    WHERE r.object_id = ANY (actor_neighbours.frontier)
) AS edge
WHERE (actor_neighbours.relationship_types IS NULL
       OR edge.relationship_type = ANY (actor_neighbours.relationship_types))
  AND (actor_neighbours.as_of IS NULL
       OR (coalesce(edge.start_date, '-infinity') <= actor_neighbours.as_of
           AND actor_neighbours.as_of
               < coalesce(precise_date_upper(edge.end_date, edge.end_precision), 'infinity')))
$$;
"""

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
-- type or date filters a level reads actor_adjacency, at most max_rows entries per
-- frontier actor in weight order (enough to hold the level's best max_rows, since fewer
-- than that can be found already or rank ahead); with filters it reads the matching
-- relationships (actor_neighbours) and weighs them the same way.
CREATE FUNCTION actor_neighbourhood(
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
    found_paths text[];
    found_distances int[];
    found_weights int[];
    -- The last level found.
    frontier_ids uuid[];
    frontier_paths text[];
    frontier_weights int[];
    filtered boolean := actor_neighbourhood.relationship_types IS NOT NULL
        OR actor_neighbourhood.as_of IS NOT NULL;
    depth int := 0;
BEGIN
    SELECT ARRAY[a.id], ARRAY[a.key] INTO frontier_ids, frontier_paths
    FROM actor AS a
    WHERE a.key = actor_neighbourhood.start_key;
    IF frontier_ids IS NULL
        OR (actor_neighbourhood.max_rows IS NOT NULL AND actor_neighbourhood.max_rows < 1) THEN
        RETURN;
    END IF;
    found_ids := frontier_ids;
    found_paths := frontier_paths;
    found_distances := ARRAY[0];
    found_weights := ARRAY[NULL::int];
    WHILE depth < actor_neighbourhood.max_depth
        AND cardinality(frontier_ids) > 0
        AND (actor_neighbourhood.max_rows IS NULL
             OR cardinality(found_ids) < actor_neighbourhood.max_rows) LOOP
        depth := depth + 1;
        WITH link AS (
            SELECT here.path, adj.neighbour_id, adj.weight
            FROM unnest(frontier_ids, frontier_paths) AS here (id, path)
            CROSS JOIN LATERAL (
                SELECT a.neighbour_id, a.weight
                FROM actor_adjacency AS a
                WHERE a.actor_id = here.id
                  AND (actor_neighbourhood.include_anonymous OR NOT a.neighbour_is_anonymous)
                ORDER BY a.weight DESC, a.neighbour_id
                LIMIT actor_neighbourhood.max_rows
            ) AS adj
            WHERE NOT filtered
            UNION ALL
            SELECT here.path, edge.actor_id, sum(support.n)::int
            FROM unnest(frontier_ids, frontier_paths) AS here (id, path)
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
            GROUP BY here.path, edge.actor_id
        ),
        best AS (
            SELECT DISTINCT ON (link.neighbour_id) link.neighbour_id, link.weight, link.path
            FROM link
            WHERE link.neighbour_id NOT IN (SELECT unnest(found_ids))
            ORDER BY link.neighbour_id, link.weight DESC, link.path COLLATE "C"
        ),
        step AS (
            SELECT best.neighbour_id, best.weight, best.path || ',' || next.key AS path
            FROM (
                SELECT * FROM best
                ORDER BY best.weight DESC, best.neighbour_id
                -- NULL when there is no cap: LIMIT NULL is no limit.
                LIMIT actor_neighbourhood.max_rows - cardinality(found_ids)
            ) AS best
            JOIN actor AS next ON next.id = best.neighbour_id
        )
        SELECT coalesce(array_agg(step.neighbour_id ORDER BY step.weight DESC, step.neighbour_id), '{}'),
               coalesce(array_agg(step.path ORDER BY step.weight DESC, step.neighbour_id), '{}'),
               coalesce(array_agg(step.weight ORDER BY step.weight DESC, step.neighbour_id), '{}')
        INTO frontier_ids, frontier_paths, frontier_weights
        FROM step;
        found_ids := found_ids || frontier_ids;
        found_paths := found_paths || frontier_paths;
        found_weights := found_weights || frontier_weights;
        found_distances := found_distances
            || array_fill(depth, ARRAY[cardinality(frontier_ids)]);
    END LOOP;
    RETURN QUERY
    SELECT a.key, a.name, a.kind, walk.distance, walk.weight, string_to_array(walk.path, ',')
    FROM unnest(found_ids, found_paths, found_distances, found_weights)
        AS walk (id, path, distance, weight)
    JOIN actor AS a ON a.id = walk.id
    ORDER BY walk.distance, a.key;
END
$$;
"""

SEARCH_TEXT = """
-- Full-text search over claims (statement and quote), events (title and summary) and
-- source paragraphs, best match first. A paragraph is reported under its source's key,
-- its title saying which paragraph. Snippets mark the matched words with « and ».
--
-- Each table contributes at most `candidates` matches to the ranking, taken from its
-- GIN index without reading the rest: a query with fewer matches than that in every
-- table (any specific word or name) is ranked exactly; a broad one ("military") is
-- ranked among the first `candidates` matches of each table, in storage order. NULL
-- ranks every match.
CREATE FUNCTION search_text(query text, max_rows int DEFAULT 20, candidates int DEFAULT 500)
RETURNS TABLE (kind text, key text, title text, rank real, snippet text)
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
SELECT hit.kind, hit.key, hit.title, hit.rank,
       ts_headline('english', hit.document, to_search_query(search_text.query),
                   'StartSel=«, StopSel=», MaxWords=30, MinWords=12, MaxFragments=2')
FROM (
    SELECT 'claim' AS kind, c.key, c.text AS title,
           ts_rank(c.search_vector, to_search_query(search_text.query)) AS rank,
           concat_ws(' | ', c.text, c.quote) AS document
    FROM (
        SELECT * FROM claim
        WHERE claim.search_vector @@ to_search_query(search_text.query)
        LIMIT search_text.candidates
    ) AS c
    UNION ALL
    SELECT 'event', e.key, e.title,
           ts_rank(e.search_vector, to_search_query(search_text.query)),
           concat_ws(' | ', e.title, e.summary)
    FROM (
        SELECT * FROM event
        WHERE event.search_vector @@ to_search_query(search_text.query)
        LIMIT search_text.candidates
    ) AS e
    UNION ALL
    SELECT 'source', s.key, format('%s, paragraph %s', s.title, seg.ordinal),
           ts_rank(seg.search_vector, to_search_query(search_text.query)),
           seg.text
    FROM (
        SELECT * FROM source_segment
        WHERE source_segment.search_vector @@ to_search_query(search_text.query)
        LIMIT search_text.candidates
    ) AS seg
    JOIN source AS s ON s.id = seg.source_id
    ORDER BY rank DESC, kind, key, title
    LIMIT search_text.max_rows
) AS hit
ORDER BY hit.rank DESC, hit.kind, hit.key, hit.title
$$;
"""

NEW_TABLES = ("actor_count", "actor_event", "actor_claim", "actor_adjacency")
PAGE_SIGNATURES = (
    "actor_relationships(text, text, int)",
    "actor_timeline(text, text, int)",
    "actor_claims(text, text, int)",
    "timeline(text, int)",
)
INTERNAL_FUNCTIONS = (
    "actor_count_apply(uuid[], text[], text[], bigint[])",
    "actor_adjacency_apply(uuid[], uuid[], int[], int[])",
    "actor_adjacency_refresh(uuid[], uuid[])",
    "refresh_read_summaries()",
)
TRIGGER_FUNCTION_NAMES = tuple(dict.fromkeys(function for _, function, _ in TRIGGERS))

GRANT_TO_READER = f"""
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER_ROLE}') THEN
        GRANT SELECT ON {", ".join(NEW_TABLES)}, actor_profile TO {READER_ROLE};
        GRANT EXECUTE ON FUNCTION {", ".join(PAGE_SIGNATURES)},
            actor_neighbours(uuid[], text[], date),
            actor_neighbourhood(text, int, text[], date, boolean, int),
            search_text(text, int, int) TO {READER_ROLE};
    END IF;
END
$$;
"""


def upgrade() -> None:
    # Fail fast rather than queue behind a long transaction on a busy table.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '30min'")
    op.execute(TABLES)
    op.execute(RELATIONSHIP_INDEXES)
    op.execute(APPLY_FUNCTIONS)
    op.execute(TRIGGER_FUNCTIONS)
    op.execute(create_triggers())
    op.execute(REFRESH)
    op.execute("SELECT refresh_read_summaries()")
    op.execute(PAGE_FUNCTIONS)
    op.execute("DROP VIEW actor_profile")
    op.execute(ACTOR_PROFILE)
    op.execute("DROP FUNCTION actor_neighbourhood(text, int, text[], date, boolean, int)")
    op.execute("DROP FUNCTION actor_neighbours(uuid[], text[], date)")
    op.execute(ACTOR_NEIGHBOURS)
    op.execute(ACTOR_NEIGHBOURHOOD)
    op.execute("DROP FUNCTION search_text(text, int)")
    op.execute(SEARCH_TEXT)
    op.execute(GRANT_TO_READER)


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5min'")
    # The previous definitions, from the revision that made them.
    previous = context.script.get_revision("acdb9dfa1dc8").module
    op.execute("DROP FUNCTION search_text(text, int, int)")
    op.execute(previous.SEARCH_TEXT)
    op.execute("DROP FUNCTION actor_neighbourhood(text, int, text[], date, boolean, int)")
    op.execute("DROP FUNCTION actor_neighbours(uuid[], text[], date)")
    op.execute(previous.ACTOR_NEIGHBOURS)
    op.execute(previous.ACTOR_NEIGHBOURHOOD)
    op.execute("DROP VIEW actor_profile")
    op.execute(previous.ACTOR_PROFILE)
    op.execute(previous.GRANT_TO_READER)
    for function in PAGE_SIGNATURES:
        op.execute(f"DROP FUNCTION {function}")
    for table, _, operations in reversed(TRIGGERS):
        for operation in operations:
            op.execute(f"DROP TRIGGER {trigger_name(table, operation)} ON {table}")
    for function in TRIGGER_FUNCTION_NAMES:
        op.execute(f"DROP FUNCTION {function}()")
    for function in reversed(INTERNAL_FUNCTIONS):
        op.execute(f"DROP FUNCTION {function}")
    op.execute(RELATIONSHIP_INDEXES_DOWN)
    for table in reversed(NEW_TABLES):
        op.execute(f"DROP TABLE {table}")
