"""Research query layer: views, query functions, full-text and fuzzy-name search.

Researchers and other applications read nexusdb through stable SQL rather than through
its tables: a claim with its claimant and evidence, the relationship graph with names,
an event timeline, an actor profile, the facts that lack evidence, an actor's n-hop
neighbourhood, full-text search and fuzzy actor lookup. docs/schema.md documents every
column; docs/queries.md uses them to answer research questions.

Full-text search needs stored tsvector columns on claim, event and source_segment
(PostgreSQL 18 makes a generated column virtual unless it says STORED, and a virtual
column cannot be indexed), so this revision rewrites those three tables once.

Revision ID: acdb9dfa1dc8
Revises: aa6ab0c92ea9
Create Date: 2026-11-25 21:10:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "acdb9dfa1dc8"
down_revision: str | None = "aa6ab0c92ea9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

READER_ROLE = "nexus_reader"

# ---------------------------------------------------------------------------
# Text normalisation: the same function on the indexed side and on the query side,
# so an index built on it is the index a query uses.
# ---------------------------------------------------------------------------

TEXT_FUNCTIONS = """
-- unaccent() is only STABLE (its dictionary is looked up by name at run time), so
-- PostgreSQL refuses it in generated columns and index expressions. Naming the
-- dictionary by its schema makes the result depend on the argument alone.
CREATE FUNCTION immutable_unaccent(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN public.unaccent('public.unaccent'::regdictionary, value);

-- How names are compared: case and accents ignored ("Hezbolah", "HIZBULLAH").
CREATE FUNCTION normalize_name(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(immutable_unaccent(value));

-- The document side of full-text search: English stemming, accents ignored, and an
-- empty vector for a missing text so that `||` never turns a whole vector NULL.
CREATE FUNCTION to_search_vector(value text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN to_tsvector('english'::regconfig, immutable_unaccent(coalesce(value, '')));

-- The query side: web-search syntax ("quoted phrase", or, -not), read like the documents.
CREATE FUNCTION to_search_query(value text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN websearch_to_tsquery('english'::regconfig, immutable_unaccent(value));
"""

# Periods are written with an en dash (U+2013), as typeset date ranges are.
EN_DASH = "\N{EN DASH}"

DATE_FUNCTIONS = f"""
-- A date as precise as it is known, never a made-up day: 2024-07-31, 2022-02, 2014,
-- 2010s, 20th century. Dates are stored as the first day of their period.
CREATE FUNCTION format_precise_date(value date, value_precision text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE value_precision
        WHEN 'day' THEN format('%s-%s-%s',
            lpad(extract(year FROM value)::text, 4, '0'),
            lpad(extract(month FROM value)::text, 2, '0'),
            lpad(extract(day FROM value)::text, 2, '0'))
        WHEN 'month' THEN format('%s-%s',
            lpad(extract(year FROM value)::text, 4, '0'),
            lpad(extract(month FROM value)::text, 2, '0'))
        WHEN 'year' THEN lpad(extract(year FROM value)::text, 4, '0')
        WHEN 'decade' THEN lpad(extract(year FROM value)::text, 4, '0') || 's'
        -- 1900-01-01 with precision century is 1900-1999: "20th century".
        WHEN 'century' THEN (extract(year FROM value)::int / 100 + 1)::text
            || CASE
                WHEN (extract(year FROM value)::int / 100 + 1) % 100 IN (11, 12, 13) THEN 'th'
                WHEN (extract(year FROM value)::int / 100 + 1) % 10 = 1 THEN 'st'
                WHEN (extract(year FROM value)::int / 100 + 1) % 10 = 2 THEN 'nd'
                WHEN (extract(year FROM value)::int / 100 + 1) % 10 = 3 THEN 'rd'
                ELSE 'th'
            END || ' century'
    END;

-- The first day after a date's period: 2024 (year) gives 2025-01-01. An interval that
-- ends in "2024" lasts until the end of 2024, not its first day only.
CREATE FUNCTION precise_date_upper(value date, value_precision text) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (value + CASE value_precision
        WHEN 'day' THEN interval '1 day'
        WHEN 'month' THEN interval '1 month'
        WHEN 'year' THEN interval '1 year'
        WHEN 'decade' THEN interval '10 years'
        WHEN 'century' THEN interval '100 years'
    END)::date;

-- An interval in one string: "2024-07-31" (one day), "2022 {EN_DASH} ongoing" (no end yet),
-- "2014 {EN_DASH} ?" (end unknown), "? {EN_DASH} 2024" (start unknown); NULL when nothing is known.
CREATE FUNCTION format_period(
    start_date date, start_precision text, end_date date, end_precision text, is_ongoing boolean
) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE
        WHEN start_date IS NULL AND end_date IS NULL AND NOT is_ongoing THEN NULL
        WHEN NOT is_ongoing AND format_precise_date(start_date, start_precision)
            = format_precise_date(end_date, end_precision)
            THEN format_precise_date(start_date, start_precision)
        ELSE coalesce(format_precise_date(start_date, start_precision), '?') || ' {EN_DASH} '
            || CASE
                WHEN is_ongoing THEN 'ongoing'
                ELSE coalesce(format_precise_date(end_date, end_precision), '?')
            END
    END;
"""

# ---------------------------------------------------------------------------
# Search columns and indexes.
# ---------------------------------------------------------------------------

# The three tables are rewritten once to fill the stored columns. A stored generated
# column cannot be added without that rewrite, and it holds ACCESS EXCLUSIVE anyway, so
# building the GIN index CONCURRENTLY afterwards would not spare anyone a lock.
SEARCH_COLUMNS = """
ALTER TABLE claim
    -- squawk-ignore adding-field-with-default
    ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_search_vector(text), 'A') || setweight(to_search_vector(quote), 'B')
    ) STORED;

ALTER TABLE event
    -- squawk-ignore adding-field-with-default
    ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_search_vector(title), 'A') || setweight(to_search_vector(summary), 'B')
    ) STORED;

ALTER TABLE source_segment
    -- squawk-ignore adding-field-with-default
    ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_search_vector(text)) STORED;

-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ix_claim_search_vector ON claim USING gin (search_vector);
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ix_event_search_vector ON event USING gin (search_vector);
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ix_source_segment_search_vector ON source_segment USING gin (search_vector);

-- The timeline's order, and date-interval filters on events. The event table is
-- rewritten above under the same lock.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ix_event_start_date_key ON event (start_date, key);
"""

# Actor and alias tables are small next to claims and events (thousands of rows where
# those have millions), so a plain build holds its SHARE lock for moments.
NAME_INDEXES = """
-- Fuzzy name lookup (pg_trgm) over canonical names and aliases.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ix_actor_name_trgm ON actor USING gin (normalize_name(name) gin_trgm_ops);
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ix_actor_alias_name_trgm ON actor_alias USING gin (normalize_name(name) gin_trgm_ops);
"""

# ---------------------------------------------------------------------------
# Views.
# ---------------------------------------------------------------------------

FACT_EVIDENCE = """
-- Every fact that must rest on evidence, once per claim that backs it. A fact without
-- evidence appears once, with NULL claim_key and stance (that is unsupported_fact).
-- fact_key is the event's or relationship's key; detail says which part of it:
-- "actor:role" for a participant, "kind: counted" for a quantity, a materiel key.
CREATE VIEW fact_evidence AS
SELECT 'event' AS fact_kind, e.key AS fact_key, NULL::text AS detail,
       c.key AS claim_key, ev.stance
FROM event AS e
LEFT JOIN event_evidence AS ev ON ev.event_id = e.id
LEFT JOIN claim AS c ON c.id = ev.claim_id
UNION ALL
SELECT 'relationship', r.key, NULL, c.key, ev.stance
FROM relationship AS r
LEFT JOIN relationship_evidence AS ev ON ev.relationship_id = r.id
LEFT JOIN claim AS c ON c.id = ev.claim_id
UNION ALL
SELECT 'participant', e.key, a.key || ':' || p.role, c.key, ev.stance
FROM event_participant AS p
JOIN event AS e ON e.id = p.event_id
JOIN actor AS a ON a.id = p.actor_id
LEFT JOIN event_participant_evidence AS ev ON ev.participant_id = p.id
LEFT JOIN claim AS c ON c.id = ev.claim_id
UNION ALL
SELECT 'quantity', e.key, q.kind || ': ' || q.counted, c.key, ev.stance
FROM event_quantity AS q
JOIN event AS e ON e.id = q.event_id
LEFT JOIN event_quantity_evidence AS ev ON ev.quantity_id = q.id
LEFT JOIN claim AS c ON c.id = ev.claim_id
UNION ALL
SELECT 'event_materiel', e.key, m.key, c.key, ev.stance
FROM event_materiel AS em
JOIN event AS e ON e.id = em.event_id
JOIN materiel AS m ON m.id = em.materiel_id
LEFT JOIN event_materiel_evidence AS ev ON ev.event_materiel_id = em.id
LEFT JOIN claim AS c ON c.id = ev.claim_id
UNION ALL
SELECT 'relationship_materiel', r.key, m.key, c.key, ev.stance
FROM relationship_materiel AS rm
JOIN relationship AS r ON r.id = rm.relationship_id
JOIN materiel AS m ON m.id = rm.materiel_id
LEFT JOIN relationship_materiel_evidence AS ev ON ev.relationship_materiel_id = rm.id
LEFT JOIN claim AS c ON c.id = ev.claim_id;

-- Facts that no claim backs: empty after seeding, since the seeder requires evidence.
CREATE VIEW unsupported_fact AS
SELECT fact_kind, fact_key, detail
FROM fact_evidence
WHERE claim_key IS NULL;
"""

CLAIM_OVERVIEW = """
-- One row per claim: what is said, how sure, where it is written, who says it, and
-- what it is evidence for.
CREATE VIEW claim_overview AS
SELECT
    c.key AS claim_key,
    c.kind,
    c.certainty,
    c.polarity,
    c.credibility,
    credibility.label AS credibility_label,
    c.text AS statement,
    c.quote,
    c.span_start,
    c.span_end,
    segment.ordinal AS paragraph,
    source.key AS source_key,
    source.title AS source_title,
    claimant.key AS claimant_key,
    claimant.name AS claimant_name,
    -- "as reported by ...": an actor, or a source.
    coalesce(relay_actor.key, relay_source.key) AS reported_via_key,
    coalesce(relay_actor.name, relay_source.title) AS reported_via_name,
    -- The source speaking in its own voice, rather than relaying someone else.
    EXISTS (
        SELECT FROM source_author AS author
        WHERE author.source_id = c.source_id AND author.actor_id = c.claimant_id
    ) AS is_author_voice,
    ARRAY(
        SELECT actor.key
        FROM claim_actor
        JOIN actor ON actor.id = claim_actor.actor_id
        WHERE claim_actor.claim_id = c.id
        ORDER BY actor.key
    ) AS about,
    -- [{"kind": "relationship", "key": "...", "stance": "supports"}, ...]; "detail" too
    -- for a participant, quantity or materiel link (see fact_evidence).
    coalesce((
        SELECT jsonb_agg(
            jsonb_strip_nulls(jsonb_build_object(
                'kind', fe.fact_kind, 'key', fe.fact_key, 'detail', fe.detail,
                'stance', fe.stance))
            ORDER BY fe.fact_kind, fe.fact_key, fe.detail)
        FROM fact_evidence AS fe
        WHERE fe.claim_key = c.key
    ), '[]'::jsonb) AS evidence
FROM claim AS c
JOIN credibility ON credibility.code = c.credibility
JOIN source ON source.id = c.source_id
JOIN actor AS claimant ON claimant.id = c.claimant_id
LEFT JOIN source_segment AS segment ON segment.id = c.segment_id
LEFT JOIN actor AS relay_actor ON relay_actor.id = c.reported_via_actor_id
LEFT JOIN source AS relay_source ON relay_source.id = c.reported_via_source_id;
"""

RELATIONSHIP_GRAPH = """
-- One row per relationship, named on both ends: the edge list for Gephi or networkx.
CREATE VIEW relationship_graph AS
SELECT
    r.key AS relationship_key,
    subject.key AS subject_key,
    subject.name AS subject_name,
    subject.kind AS subject_kind,
    r.relationship_type AS type,
    rt.label,
    rt.inverse_label,
    rt.is_symmetric,
    object.key AS object_key,
    object.name AS object_name,
    object.kind AS object_kind,
    r.start_date,
    r.start_precision,
    r.end_date,
    r.end_precision,
    format_precise_date(r.start_date, r.start_precision) AS start_display,
    format_precise_date(r.end_date, r.end_precision) AS end_display,
    format_period(r.start_date, r.start_precision, r.end_date, r.end_precision, r.is_ongoing)
        AS period,
    r.is_ongoing,
    r.description,
    (SELECT count(*) FROM relationship_evidence AS ev WHERE ev.relationship_id = r.id)
        AS evidence_count,
    ARRAY(
        SELECT m.key
        FROM relationship_materiel AS rm
        JOIN materiel AS m ON m.id = rm.materiel_id
        WHERE rm.relationship_id = r.id
        ORDER BY m.key
    ) AS materiel
FROM relationship AS r
JOIN relationship_type AS rt ON rt.code = r.relationship_type
JOIN actor AS subject ON subject.id = r.subject_id
JOIN actor AS object ON object.id = r.object_id;
"""

EVENT_TIMELINE = """
-- Events in time order (unknown starts last), with honest dates and who took part.
-- Predicted and hypothetical events are included: filter on factuality for what occurred.
CREATE VIEW event_timeline AS
SELECT
    e.key AS event_key,
    e.title,
    e.event_type AS type,
    e.factuality,
    e.start_date,
    e.start_precision,
    format_precise_date(e.start_date, e.start_precision) AS start_display,
    e.end_date,
    e.end_precision,
    format_precise_date(e.end_date, e.end_precision) AS end_display,
    format_period(e.start_date, e.start_precision, e.end_date, e.end_precision, e.is_ongoing)
        AS period,
    e.is_ongoing,
    place.key AS place_key,
    place.name AS place_name,
    parent.key AS parent_event_key,
    ARRAY(
        SELECT actor.key || ':' || p.role
        FROM event_participant AS p
        JOIN actor ON actor.id = p.actor_id
        WHERE p.event_id = e.id
        ORDER BY actor.key, p.role
    ) AS participants,
    (SELECT count(*) FROM event_evidence AS ev WHERE ev.event_id = e.id) AS evidence_count
FROM event AS e
LEFT JOIN place ON place.id = e.place_id
LEFT JOIN event AS parent ON parent.id = e.parent_event_id
ORDER BY e.start_date NULLS LAST, e.key;
"""

ACTOR_PROFILE = """
-- One row per actor: who they are, how they are known, and everything linked to them.
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
    -- {"wikidata": "Q794", "iso3166_alpha3": "IRN"}
    coalesce((
        SELECT jsonb_object_agg(x.scheme, x.value ORDER BY x.scheme)
        FROM actor_external_id AS x
        WHERE x.actor_id = a.id
    ), '{}'::jsonb) AS external_ids,
    (
        SELECT count(*) FROM relationship AS r
        WHERE r.subject_id = a.id OR r.object_id = a.id
    ) AS relationship_count,
    -- Read from this actor's side: an incoming edge takes the type's inverse label
    -- ("Russia receives arms from Iran").
    coalesce((
        SELECT jsonb_agg(jsonb_build_object(
                'direction', edge.direction, 'type', edge.type, 'label', edge.label,
                'other_key', other.key, 'other_name', other.name,
                'start', format_precise_date(edge.start_date, edge.start_precision),
                'end', format_precise_date(edge.end_date, edge.end_precision),
                'period', format_period(edge.start_date, edge.start_precision,
                                        edge.end_date, edge.end_precision, edge.is_ongoing))
            ORDER BY edge.type, other.key, edge.start_date)
        FROM (
            SELECT 'outgoing' AS direction, r.relationship_type AS type, rt.label,
                   r.object_id AS other_id, r.start_date, r.start_precision,
                   r.end_date, r.end_precision, r.is_ongoing
            FROM relationship AS r
            JOIN relationship_type AS rt ON rt.code = r.relationship_type
            WHERE r.subject_id = a.id
            UNION ALL
            SELECT 'incoming', r.relationship_type, rt.inverse_label,
                   r.subject_id, r.start_date, r.start_precision,
                   r.end_date, r.end_precision, r.is_ongoing
            FROM relationship AS r
            JOIN relationship_type AS rt ON rt.code = r.relationship_type
            WHERE r.object_id = a.id
        ) AS edge
        JOIN actor AS other ON other.id = edge.other_id
    ), '[]'::jsonb) AS relationships,
    ARRAY(
        SELECT DISTINCT e.key
        FROM event_participant AS p
        JOIN event AS e ON e.id = p.event_id
        WHERE p.actor_id = a.id
        ORDER BY e.key
    ) AS events,
    ARRAY(
        SELECT c.key
        FROM claim_actor
        JOIN claim AS c ON c.id = claim_actor.claim_id
        WHERE claim_actor.actor_id = a.id
        ORDER BY c.key
    ) AS claims_about
FROM actor AS a;
"""

# ---------------------------------------------------------------------------
# Query functions. LANGUAGE sql and STABLE where one query does, so the planner inlines
# them into the calling query and their index use shows in EXPLAIN; actor_neighbourhood
# is plpgsql because a walk that never revisits an actor needs the whole walk so far.
# Column names win over parameter names inside a function's body, so parameters are
# qualified with the function's name.
# ---------------------------------------------------------------------------

ACTOR_NEIGHBOURS = """
-- One step of a walk over the relationship graph: the actors one relationship away from
-- any actor in `frontier`, in either direction, with the relationship filters of
-- actor_neighbourhood (types; a date the relationship must hold on, where an unknown end
-- is unbounded and an end is the last day of its period).
CREATE FUNCTION actor_neighbours(
    frontier uuid[],
    relationship_types text[] DEFAULT NULL,
    as_of date DEFAULT NULL
) RETURNS TABLE (from_id uuid, actor_id uuid)
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
SELECT edge.from_id, edge.actor_id
FROM (
    SELECT r.subject_id AS from_id, r.object_id AS actor_id, r.relationship_type,
           r.start_date, r.end_date, r.end_precision
    FROM relationship AS r
    WHERE r.subject_id = ANY (actor_neighbours.frontier)
    UNION ALL
    SELECT r.object_id, r.subject_id, r.relationship_type,
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
-- Actors within max_depth relationships of the actor `start_key`, either direction, each once with
-- its minimum distance and one shortest path (the first in key order), ordered by
-- distance and key, at most max_rows of them (NULL: all). The start actor is row 0.
-- Filters as in actor_neighbours; anonymous claimants are skipped unless asked for.
-- An unknown key gives no rows.
--
-- A breadth-first walk, one level at a time: each level keeps every actor once and
-- never returns to one already found, so a hub's thousands of paths cost no more than
-- its neighbours, and the walk stops as soon as max_rows actors are found.
CREATE FUNCTION actor_neighbourhood(
    start_key text,
    max_depth int DEFAULT 2,
    relationship_types text[] DEFAULT NULL,
    as_of date DEFAULT NULL,
    include_anonymous boolean DEFAULT false,
    max_rows int DEFAULT 1000
) RETURNS TABLE (actor_key text, actor_name text, actor_kind text, distance int, path text[])
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
    -- The last level found.
    frontier_ids uuid[];
    frontier_paths text[];
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
    WHILE depth < actor_neighbourhood.max_depth
        AND cardinality(frontier_ids) > 0
        AND (actor_neighbourhood.max_rows IS NULL
             OR cardinality(found_ids) < actor_neighbourhood.max_rows) LOOP
        depth := depth + 1;
        SELECT coalesce(array_agg(step.id ORDER BY step.key), '{}'),
               coalesce(array_agg(step.path ORDER BY step.key), '{}')
        INTO frontier_ids, frontier_paths
        FROM (
            SELECT DISTINCT ON (next.key) next.id, next.key, here.path || ',' || next.key AS path
            FROM unnest(frontier_ids, frontier_paths) AS here (id, path)
            JOIN actor_neighbours(frontier_ids, actor_neighbourhood.relationship_types,
                                  actor_neighbourhood.as_of) AS edge
                ON edge.from_id = here.id
            JOIN actor AS next ON next.id = edge.actor_id
            WHERE (actor_neighbourhood.include_anonymous OR NOT next.is_anonymous)
              AND next.id NOT IN (SELECT unnest(found_ids))
            ORDER BY next.key, here.path COLLATE "C"
            -- NULL when there is no cap: LIMIT NULL is no limit.
            LIMIT actor_neighbourhood.max_rows - cardinality(found_ids)
        ) AS step;
        found_ids := found_ids || frontier_ids;
        found_paths := found_paths || frontier_paths;
        found_distances := found_distances
            || array_fill(depth, ARRAY[cardinality(frontier_ids)]);
    END LOOP;
    RETURN QUERY
    SELECT a.key, a.name, a.kind, walk.distance, string_to_array(walk.path, ',')
    FROM unnest(found_ids, found_paths, found_distances) AS walk (id, path, distance)
    JOIN actor AS a ON a.id = walk.id
    ORDER BY walk.distance, a.key;
END
$$;
"""

SEARCH_TEXT = """
-- Full-text search over claims (statement and quote), events (title and summary) and
-- source paragraphs, best match first. A paragraph is reported under its source's key,
-- its title saying which paragraph. Snippets mark the matched words with « and ».
CREATE FUNCTION search_text(query text, max_rows int DEFAULT 20)
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
    FROM claim AS c
    WHERE c.search_vector @@ to_search_query(search_text.query)
    UNION ALL
    SELECT 'event', e.key, e.title,
           ts_rank(e.search_vector, to_search_query(search_text.query)),
           concat_ws(' | ', e.title, e.summary)
    FROM event AS e
    WHERE e.search_vector @@ to_search_query(search_text.query)
    UNION ALL
    SELECT 'source', s.key, format('%s, paragraph %s', s.title, seg.ordinal),
           ts_rank(seg.search_vector, to_search_query(search_text.query)),
           seg.text
    FROM source_segment AS seg
    JOIN source AS s ON s.id = seg.source_id
    WHERE seg.search_vector @@ to_search_query(search_text.query)
    ORDER BY rank DESC, kind, key, title
    LIMIT search_text.max_rows
) AS hit
ORDER BY hit.rank DESC, hit.kind, hit.key, hit.title
$$;
"""

FIND_ACTOR = """
-- Actors whose name or an alias resembles `name`, ignoring case and accents:
-- "Zelenskyy", "Hizbullah", the typo "Hezbolah". An exact key comes first, then an exact
-- name or alias, then the closest (pg_trgm word_similarity of `name` to the candidate,
-- at least pg_trgm.word_similarity_threshold, 0.6 by default). One row per actor, with
-- the name or alias that matched best.
CREATE FUNCTION find_actor(name text, max_rows int DEFAULT 10)
RETURNS TABLE (key text, name text, matched_name text, similarity real)
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
WITH candidate AS (
    SELECT a.id AS actor_id, a.key AS matched_name, 0 AS exactness, 1::real AS similarity
    FROM actor AS a
    WHERE a.key = find_actor.name
    UNION ALL
    SELECT named.actor_id, named.name,
           CASE WHEN normalize_name(named.name) = normalize_name(find_actor.name)
                THEN 1 ELSE 2 END,
           word_similarity(normalize_name(find_actor.name), normalize_name(named.name))
    FROM (
        SELECT a.id AS actor_id, a.name FROM actor AS a
        WHERE normalize_name(find_actor.name) <% normalize_name(a.name)
        UNION ALL
        SELECT alias.actor_id, alias.name FROM actor_alias AS alias
        WHERE normalize_name(find_actor.name) <% normalize_name(alias.name)
    ) AS named
),
best AS (
    SELECT DISTINCT ON (actor_id) actor_id, matched_name, exactness, similarity
    FROM candidate
    ORDER BY actor_id, exactness, similarity DESC, matched_name
)
SELECT a.key, a.name, best.matched_name, best.similarity
FROM best
JOIN actor AS a ON a.id = best.actor_id
ORDER BY best.exactness, best.similarity DESC, a.key
LIMIT find_actor.max_rows
$$;
"""

VIEWS = (
    "fact_evidence",
    "unsupported_fact",
    "claim_overview",
    "relationship_graph",
    "event_timeline",
    "actor_profile",
)
# Columns, indexes and views are built on these ...
HELPER_FUNCTIONS = (
    "immutable_unaccent(text)",
    "normalize_name(text)",
    "to_search_vector(text)",
    "to_search_query(text)",
    "format_precise_date(date, text)",
    "precise_date_upper(date, text)",
    "format_period(date, text, date, text, boolean)",
)
# ... and these are built on the columns and indexes.
QUERY_FUNCTIONS = (
    "actor_neighbours(uuid[], text[], date)",
    "actor_neighbourhood(text, int, text[], date, boolean, int)",
    "search_text(text, int)",
    "find_actor(text, int)",
)

# Migrations never create roles (they are server-wide, and managed services refuse
# CREATE ROLE): grant to the reader only where `nexusdb db create-reader` made it.
GRANT_TO_READER = f"""
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER_ROLE}') THEN
        GRANT SELECT ON {", ".join(VIEWS)} TO {READER_ROLE};
        GRANT EXECUTE ON FUNCTION {", ".join(HELPER_FUNCTIONS + QUERY_FUNCTIONS)} TO {READER_ROLE};
    END IF;
END
$$;
"""


def upgrade() -> None:
    # Fail fast rather than queue behind a long transaction on a busy table.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5min'")
    op.execute(TEXT_FUNCTIONS)
    op.execute(DATE_FUNCTIONS)
    op.execute(SEARCH_COLUMNS)
    op.execute(NAME_INDEXES)
    op.execute(FACT_EVIDENCE)
    op.execute(CLAIM_OVERVIEW)
    op.execute(RELATIONSHIP_GRAPH)
    op.execute(EVENT_TIMELINE)
    op.execute(ACTOR_PROFILE)
    op.execute(ACTOR_NEIGHBOURS)
    op.execute(ACTOR_NEIGHBOURHOOD)
    op.execute(SEARCH_TEXT)
    op.execute(FIND_ACTOR)
    op.execute(GRANT_TO_READER)


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5min'")
    # Dropping an object drops its grants with it; the role itself is never touched.
    for function in reversed(QUERY_FUNCTIONS):
        op.execute(f"DROP FUNCTION {function}")
    # Each view before the views it reads from.
    for view in reversed(VIEWS):
        op.execute(f"DROP VIEW {view}")
    for index in ("ix_actor_alias_name_trgm", "ix_actor_name_trgm"):
        op.execute(f"DROP INDEX {index}")
    # The columns take their GIN indexes with them; ix_event_start_date_key is separate.
    op.execute("DROP INDEX ix_event_start_date_key")
    for table in ("source_segment", "event", "claim"):
        op.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")
    for function in reversed(HELPER_FUNCTIONS):
        op.execute(f"DROP FUNCTION {function}")
