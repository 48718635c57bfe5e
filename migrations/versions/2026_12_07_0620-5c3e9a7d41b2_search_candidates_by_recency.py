"""Search candidates bounded by recency, read newest first, so common words stop early.

At 1M events `search_text` missed its 50 ms target (p95 83-120 ms, benchmarks/README.md,
revision 29b017527440): a common term's GIN bitmap is built from its whole posting list
(134,021 claims for "United States") before the `candidates` cap applies, so the cap
bounded the ranking but not the reading; `source` (50,048 rows) was hashed for the
paragraphs' titles; and planning the three-way union took 13.5 ms on every call.

A common term's candidates are now its newest matches, a bound with a meaning ("the
latest claims, events and paragraphs that mention it"), not the first ones in storage
order:

- claims and events by when they were recorded (`created_at`, then id), paragraphs by
  their source's (`source.created_at`, then source id, then ordinal); new btree indexes
  give each of those orders;
- a probe of each table's 500 newest rows tells whether the term is common there (one
  claim or event in 20, one paragraph in 10: above that, at 1M events, reading
  newest first costs less than the posting list). A common term is read newest first and
  the read stops at `candidates` matches (at most 20 x `candidates` rows);
- any other term takes the first `candidates` matches of its GIN index, as before: all
  of them when there are no more, so a rare word is still ranked exactly. Sorting a
  middling word's matches by date would cost a heap fetch per match, so it keeps the
  storage-order bound;
- candidates are ranked as they are read, with their keys; titles, documents and the
  paragraphs' sources are read only for those that can make the first max_rows (not a
  hash of `source`), and the function is PL/pgSQL, so its statements' plans are cached.

Same signature and columns. Downgrade restores the previous function (81c91680397b).

Revision ID: 5c3e9a7d41b2
Revises: 29b017527440
Create Date: 2026-12-07 06:20:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import context, op

revision: str = "5c3e9a7d41b2"
down_revision: str | None = "29b017527440"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECENCY_INDEXES = """
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ix_claim_created_at_id ON claim (created_at DESC, id DESC);
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ix_event_created_at_id ON event (created_at DESC, id DESC);
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ix_source_created_at_id ON source (created_at DESC, id DESC);
"""

RECENCY_INDEXES_DOWN = """
DROP INDEX ix_claim_created_at_id;
DROP INDEX ix_event_created_at_id;
DROP INDEX ix_source_created_at_id;
"""

# One table's candidates, in search_text's body, with <table> and <rows> (read newest
# first in <order>, <columns>) filled in per table; <name>_ids, <name>_ranks and
# <name>_keys get them. A term is common when it is in <common> of the `probe` newest
# rows: at 1M events reading newest first beats the posting list above about one claim
# or event in 20, one paragraph in 10.
TABLE_CANDIDATES = """
    -- <comment>
    hits := 0;
    IF search_text.candidates IS NOT NULL THEN
        SELECT count(*) INTO hits
        FROM (SELECT <alias>.search_vector FROM <rows> ORDER BY <order> LIMIT probe) AS recent
        WHERE recent.search_vector @@ wanted;
    END IF;
    IF hits >= <common> THEN
        SELECT coalesce(array_agg(found.id), '{}'), coalesce(array_agg(found.rank), '{}'),
               coalesce(array_agg(found.key), '{}')
        INTO <name>_ids, <name>_ranks, <name>_keys
        FROM (SELECT recent.id, ts_rank(recent.search_vector, wanted) AS rank, recent.key
              FROM (SELECT <columns> FROM <rows> ORDER BY <order> LIMIT reach) AS recent
              WHERE recent.search_vector @@ wanted
              ORDER BY <recent_order>
              LIMIT search_text.candidates) AS found;
    END IF;
    -- The rest from the GIN index; LIMIT NULL: every match.
    IF search_text.candidates IS NULL OR cardinality(<name>_ids) < search_text.candidates THEN
        SELECT <name>_ids || coalesce(array_agg(found.id), '{}'),
               <name>_ranks || coalesce(array_agg(ts_rank(found.search_vector, wanted)), '{}'),
               <name>_keys || coalesce(array_agg(found.key), '{}')
        INTO <name>_ids, <name>_ranks, <name>_keys
        FROM (SELECT t.id, t.search_vector, <key> AS key FROM <table> AS t
              WHERE t.search_vector @@ wanted AND t.id <> ALL (<name>_ids)
              LIMIT search_text.candidates - cardinality(<name>_ids)) AS found;
    END IF;
"""


def table_candidates(name: str, comment: str, **parts: str) -> str:
    """TABLE_CANDIDATES for one table: parts table, rows, alias, common, key, columns, order
    and recent_order."""
    body = TABLE_CANDIDATES.replace("<name>", name).replace("<comment>", comment)
    for placeholder, value in parts.items():
        body = body.replace(f"<{placeholder}>", value)
    return body


CANDIDATES = (
    table_candidates(
        "claim",
        "Claims, newest first by ix_claim_created_at_id.",
        table="claim",
        rows="claim AS c",
        alias="c",
        common="25",
        key="t.key",
        columns="c.id, c.key, c.created_at, c.search_vector",
        order="c.created_at DESC, c.id DESC",
        recent_order="recent.created_at DESC, recent.id DESC",
    )
    + table_candidates(
        "event",
        "Events, newest first by ix_event_created_at_id.",
        table="event",
        rows="event AS e",
        alias="e",
        common="25",
        key="t.key",
        columns="e.id, e.key, e.created_at, e.search_vector",
        order="e.created_at DESC, e.id DESC",
        recent_order="recent.created_at DESC, recent.id DESC",
    )
    + table_candidates(
        "segment",
        "Paragraphs: sources newest first (ix_source_created_at_id), each one's in order.",
        table="source_segment",
        rows="source AS s JOIN source_segment AS seg ON seg.source_id = s.id",
        alias="seg",
        common="50",
        key="NULL::text",
        columns="seg.id, NULL::text AS key, s.created_at, s.id AS source_id, seg.ordinal,"
        " seg.search_vector",
        order="s.created_at DESC, s.id DESC, seg.ordinal",
        recent_order="recent.created_at DESC, recent.source_id DESC, recent.ordinal",
    )
)

SEARCH_TEXT = (
    """
-- Full-text search over claims (statement and quote), events (title and summary) and
-- source paragraphs, best match first. A paragraph is reported under its source's key,
-- its title saying which paragraph. Snippets mark the matched words with « and ».
--
-- Each table contributes at most `candidates` matches to the ranking (NULL: all):
-- - a common term, in enough of the table's `probe` newest rows (one in 20 claims or
--   events, one in 10 paragraphs), contributes its newest matches: claims and events
--   by when they were recorded (created_at, then id), paragraphs by their source's (then
--   source id, then ordinal). They are read newest first and the read stops at
--   `candidates` matches, without the term's posting list (or after `reach` rows, then
--   topped up as below);
-- - any other term contributes the first `candidates` matches its GIN index gives, as
--   before: all of them when it has no more, so a query with at most `candidates`
--   matches in every table (a name, a specific word) is ranked exactly.
-- Candidates are ranked as they are read; keys and titles are read only for those that
-- can make the first max_rows (ties at the cut included).
CREATE FUNCTION search_text(query text, max_rows int DEFAULT 20, candidates int DEFAULT 500)
RETURNS TABLE (kind text, key text, title text, rank real, snippet text)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
    wanted tsquery := to_search_query(search_text.query);
    probe constant int := 500;
    reach constant int := 20 * search_text.candidates;
    hits int;
    cut real;
    claim_ids uuid[] := '{}';
    claim_ranks real[] := '{}';
    claim_keys text[] := '{}';
    event_ids uuid[] := '{}';
    event_ranks real[] := '{}';
    event_keys text[] := '{}';
    segment_ids uuid[] := '{}';
    segment_ranks real[] := '{}';
    segment_keys text[] := '{}';
BEGIN
"""
    + CANDIDATES
    + """    -- The max_rows-th best rank: nothing below it can make the list.
    cut := CASE WHEN search_text.max_rows IS NOT NULL THEN (
        SELECT r FROM unnest(claim_ranks || event_ranks || segment_ranks) AS r
        ORDER BY r DESC OFFSET search_text.max_rows - 1 LIMIT 1) END;
    RETURN QUERY
    WITH shortlist AS (
        SELECT 'claim' AS kind, found.id, found.rank, found.key, NULL::text AS title
        FROM unnest(claim_ids, claim_ranks, claim_keys) AS found (id, rank, key)
        WHERE cut IS NULL OR found.rank >= cut
        UNION ALL
        SELECT 'event', found.id, found.rank, found.key, NULL::text
        FROM unnest(event_ids, event_ranks, event_keys) AS found (id, rank, key)
        WHERE cut IS NULL OR found.rank >= cut
        UNION ALL
        -- A paragraph's source, by primary key, only for those that can make the list.
        SELECT 'source', found.id, found.rank, s.key,
               format('%s, paragraph %s', s.title, seg.ordinal)
        FROM unnest(segment_ids, segment_ranks) AS found (id, rank)
        JOIN source_segment AS seg ON seg.id = found.id
        JOIN source AS s ON s.id = seg.source_id
        WHERE cut IS NULL OR found.rank >= cut
    ),
    top AS (
        -- Keys are unique within claims and within events: their titles never decide.
        SELECT * FROM shortlist
        ORDER BY shortlist.rank DESC, shortlist.kind, shortlist.key, shortlist.title
        LIMIT search_text.max_rows
    )
    SELECT hit.kind, hit.key, hit.title, hit.rank,
           ts_headline('english', hit.document, wanted,
                       'StartSel=«, StopSel=», MaxWords=30, MinWords=12, MaxFragments=2')
    FROM (
        SELECT top.kind, top.key, c.text AS title, top.rank,
               concat_ws(' | ', c.text, c.quote) AS document
        FROM top JOIN claim AS c ON c.id = top.id
        WHERE top.kind = 'claim'
        UNION ALL
        SELECT top.kind, top.key, e.title, top.rank, concat_ws(' | ', e.title, e.summary)
        FROM top JOIN event AS e ON e.id = top.id
        WHERE top.kind = 'event'
        UNION ALL
        SELECT top.kind, top.key, top.title, top.rank, seg.text
        FROM top JOIN source_segment AS seg ON seg.id = top.id
        WHERE top.kind = 'source'
    ) AS hit
    ORDER BY hit.rank DESC, hit.kind, hit.key, hit.title;
END
$$;
"""
)


def or_replace(definitions: str) -> str:
    """Definitions as CREATE OR REPLACE (29b017527440's helper): same signature, grants stay."""
    return str(context.script.get_revision("29b017527440").module.or_replace(definitions))


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    # Three btree builds: under a minute at 1M events.
    op.execute("SET LOCAL statement_timeout = '30min'")
    op.execute(RECENCY_INDEXES)
    op.execute(or_replace(SEARCH_TEXT))


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5min'")
    # The previous definition, from the revision that made it.
    previous = context.script.get_revision("81c91680397b").module
    op.execute(or_replace(previous.SEARCH_TEXT))
    op.execute(RECENCY_INDEXES_DOWN)
