"""Precision: say what rests on the source and what on outside knowledge, and what the
source itself saw.

A researcher filtering on `basis = 'source_text'` got facts the article never states:
participants and figures had no basis of their own, relationships dropped their claims'
hedges, outside knowledge was cited as free text ("common knowledge"), and nothing kept a
part of an event within its whole. This revision adds:

- `basis`/`basis_ref` on event participants and quantities, defaulting to `source_text`
  so existing rows and the importer's (stated by their dataset record) need no change;
- `certainty` on relationships, from the claims' scale, defaulting to `asserted`; the rule
  that it is no stronger than the strongest supporting claim is checked by the seed
  validator, and `overstated_relationship` lists any row that breaks it, set-based, for
  every other writer to check once per transaction (a row trigger would have to watch
  relationships, their evidence and claims, deferred, on every bulk load);
- one format for outside references (`wikidata:Q8683#P582`, `source:KEY[#RECORD]`), as
  CHECKs added NOT VALID: rows already written with free text stay readable until the
  next seed sync rewrites them, and every new or changed row is held to the format;
- nesting: a child event's interval lies within its parent's, allowing for precision, as
  a constraint trigger that events without a parent skip by its WHEN clause;
- the factuality `expected` (what a source expects to happen) and the source kind
  `background` (the curators' background knowledge, with its as-of date, reliability
  and claimant);
- the source's view: `source_view_events`, `source_view_relationships` and
  `source_view_participants` return what a source said as it saw it on its publication
  date: nothing dated later, what ended later still going on, what began later expected,
  and no participant or row that only outside knowledge supplies.

Revision ID: 27c53c3842be
Revises: b1f7b8c2951b
Create Date: 2026-12-02 17:46:27.020932+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "27c53c3842be"
down_revision: str | None = "b1f7b8c2951b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here, not imported, so this revision stays what it was.
REFERENCE_PATTERN = r"^(wikidata:Q[1-9][0-9]*(#P[1-9][0-9]*)?|source:[a-z0-9][a-z0-9-]*(#\S+)?)$"
GROUNDED_TABLES = ("event_participant", "event_quantity")
# Every column that names where an outside fact comes from, by table.
REFERENCE_COLUMNS = {
    "source": ("basis_ref",),
    "actor": ("basis_ref",),
    "place": ("basis_ref",),
    "materiel": ("basis_ref",),
    "event": ("basis_ref", "date_basis_ref"),
    "relationship": ("basis_ref", "date_basis_ref"),
    "event_participant": ("basis_ref",),
    "event_quantity": ("basis_ref",),
}
DATED_TABLES = ("event", "relationship")

VOCABULARY_ROWS = """
INSERT INTO factuality (code, label, description) VALUES
    ('expected', 'expected', 'A source takes it as coming, but it had not happened yet.');
INSERT INTO source_kind (code, label, description) VALUES
    ('background', 'background knowledge',
     'What curators knew beyond their documents, as of the source''s date.');
"""

NESTING = """
-- A part lies within its whole: NULL when the child event's interval can lie within its
-- parent's, given each end's precision (a child in "2023" may start after a parent
-- that began on 2023-10-07); otherwise what is wrong, for the error message. Unknown ends
-- never conflict.
CREATE FUNCTION event_nesting_problem(child_id uuid) RETURNS text
LANGUAGE sql STABLE AS $$
SELECT format('event %s (%s) does not lie within its parent %s (%s)',
              c.key,
              coalesce(format_period(c.start_date, c.start_precision,
                                     c.end_date, c.end_precision, c.is_ongoing), 'undated'),
              p.key,
              coalesce(format_period(p.start_date, p.start_precision,
                                     p.end_date, p.end_precision, p.is_ongoing), 'undated'))
FROM event AS c
JOIN event AS p ON p.id = c.parent_event_id
WHERE c.id = child_id
  AND (precise_date_upper(c.start_date, c.start_precision) <= p.start_date
       OR precise_date_upper(c.end_date, c.end_precision) <= p.start_date
       OR c.start_date >= precise_date_upper(p.end_date, p.end_precision)
       OR c.end_date >= precise_date_upper(p.end_date, p.end_precision)
       OR (c.is_ongoing AND p.end_date IS NOT NULL))
$$;

-- Checked for the row as a child, and for its children when its own interval changes;
-- like the quote checks, deferrable to commit so a whole and its parts can be corrected
-- together. The rows are read afresh, as a deferred check may run after later changes.
CREATE FUNCTION event_check_nesting() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    problem text;
BEGIN
    SELECT event_nesting_problem(c.id) INTO problem
    FROM event AS c
    WHERE (c.id = NEW.id OR c.parent_event_id = NEW.id)
      AND event_nesting_problem(c.id) IS NOT NULL
    ORDER BY c.key
    LIMIT 1;
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION '%', problem
            USING ERRCODE = 'check_violation', CONSTRAINT = 'event_within_parent';
    END IF;
    RETURN NULL;
END
$$;

-- Events without a parent (every imported event) skip the check by the WHEN clause,
-- without calling the function.
CREATE CONSTRAINT TRIGGER event_check_within_parent
    AFTER INSERT OR UPDATE OF parent_event_id, start_date, start_precision, end_date,
        end_precision, is_ongoing ON event
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW WHEN (NEW.parent_event_id IS NOT NULL)
    EXECUTE FUNCTION event_check_nesting();

-- A whole whose interval changes: its parts must still fit (an index lookup when it has none).
CREATE CONSTRAINT TRIGGER event_check_children_within
    AFTER UPDATE OF start_date, start_precision, end_date, end_precision, is_ongoing ON event
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION event_check_nesting();
"""

OVERSTATED = """
-- Relationships stated more surely than any claim that supports them: a row 'asserted'
-- whose best supporting claim is 'possible' loses the article's hedge, and a row that no
-- claim supports has nothing to be sure on. Outside knowledge (basis 'external') rests on
-- its reference instead. Empty after seeding (the seed validator refuses such a row); an
-- importer or the API checks it once, set-based, before committing.
CREATE VIEW overstated_relationship AS
SELECT r.key AS relationship_key,
       r.certainty,
       best.certainty AS strongest_claim_certainty,
       best.claim_key
FROM relationship AS r
JOIN certainty AS rc ON rc.code = r.certainty
LEFT JOIN LATERAL (
    SELECT c.certainty, c.key AS claim_key, cc.rank
    FROM relationship_evidence AS ev
    JOIN claim AS c ON c.id = ev.claim_id
    JOIN certainty AS cc ON cc.code = c.certainty
    WHERE ev.relationship_id = r.id AND ev.stance = 'supports'
    ORDER BY cc.rank, c.key
    LIMIT 1
) AS best ON true
WHERE r.basis <> 'external' AND (best.rank IS NULL OR rc.rank < best.rank);
"""

SOURCE_VIEW = """
-- An interval as it was known on a day: an end after that day is hidden and the interval
-- still going on; a start after it hides the whole interval (`starts_later`: it was
-- still to come). A NULL day sees every date.
CREATE FUNCTION interval_as_of(
    start_date date, start_precision text, end_date date, end_precision text,
    is_ongoing boolean, as_of date
) RETURNS TABLE (
    start_date date, start_precision text, end_date date, end_precision text,
    is_ongoing boolean, period text, starts_later boolean, ends_later boolean
)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT seen.start_date, seen.start_precision, seen.end_date, seen.end_precision,
       seen.is_ongoing,
       format_period(seen.start_date, seen.start_precision, seen.end_date,
                     seen.end_precision, seen.is_ongoing),
       seen.starts_later, seen.ends_later
FROM (
    SELECT CASE WHEN later.starts THEN NULL ELSE $1 END AS start_date,
           CASE WHEN later.starts THEN NULL ELSE $2 END AS start_precision,
           CASE WHEN later.ends THEN NULL ELSE $3 END AS end_date,
           CASE WHEN later.ends THEN NULL ELSE $4 END AS end_precision,
           ($5 OR later.ends) AND NOT later.starts AS is_ongoing,
           later.starts AS starts_later,
           later.ends AS ends_later
    FROM (SELECT coalesce($1 > $6, false) AS starts, coalesce($3 > $6, false) AS ends) AS later
) AS seen
$$;

-- What a source said, as it saw it on its publication date (the first day of the
-- published period). Rows come from the source's own claims and are not outside
-- knowledge (basis <> 'external'); a date after publication is hidden; what began later is
-- 'expected'; what ended later was still going on.
CREATE FUNCTION source_view_events(source_key text)
RETURNS TABLE (
    event_key text, title text, event_type text, factuality text, period text,
    start_date date, start_precision text, end_date date, end_precision text,
    is_ongoing boolean, date_basis text, parent_key text
)
LANGUAGE sql STABLE AS $$
SELECT e.key,
       e.title,
       e.event_type,
       CASE
           WHEN e.factuality IN ('occurred', 'ongoing') AND seen.starts_later THEN 'expected'
           WHEN e.factuality = 'occurred' AND seen.ends_later THEN 'ongoing'
           ELSE e.factuality
       END,
       seen.period,
       seen.start_date, seen.start_precision, seen.end_date, seen.end_precision,
       seen.is_ongoing,
       CASE WHEN seen.start_date IS NULL AND seen.end_date IS NULL THEN NULL
            ELSE e.date_basis END,
       parent.key
FROM source AS s
JOIN event AS e ON e.basis <> 'external'
CROSS JOIN LATERAL interval_as_of(e.start_date, e.start_precision, e.end_date,
                                  e.end_precision, e.is_ongoing, s.published_date) AS seen
LEFT JOIN event AS parent ON parent.id = e.parent_event_id
WHERE s.key = source_key
  AND EXISTS (SELECT 1
              FROM event_evidence AS ev
              JOIN claim AS c ON c.id = ev.claim_id
              WHERE ev.event_id = e.id AND c.source_id = s.id)
ORDER BY e.key
$$;

-- Relationships as the source saw them: `status` is 'expected' (begins after
-- publication), 'ongoing' (going on then, even if it ended later), 'ended' or 'open'
-- (no end known).
CREATE FUNCTION source_view_relationships(source_key text)
RETURNS TABLE (
    relationship_key text, subject_key text, relationship_type text, object_key text,
    certainty text, status text, period text, start_date date, start_precision text,
    end_date date, end_precision text, is_ongoing boolean
)
LANGUAGE sql STABLE AS $$
SELECT r.key,
       subject.key,
       r.relationship_type,
       object.key,
       r.certainty,
       CASE
           WHEN seen.starts_later THEN 'expected'
           WHEN seen.is_ongoing THEN 'ongoing'
           WHEN seen.end_date IS NOT NULL THEN 'ended'
           ELSE 'open'
       END,
       seen.period,
       seen.start_date, seen.start_precision, seen.end_date, seen.end_precision,
       seen.is_ongoing
FROM source AS s
JOIN relationship AS r ON r.basis <> 'external'
CROSS JOIN LATERAL interval_as_of(r.start_date, r.start_precision, r.end_date,
                                  r.end_precision, r.is_ongoing, s.published_date) AS seen
JOIN actor AS subject ON subject.id = r.subject_id
JOIN actor AS object ON object.id = r.object_id
WHERE s.key = source_key
  AND EXISTS (SELECT 1
              FROM relationship_evidence AS ev
              JOIN claim AS c ON c.id = ev.claim_id
              WHERE ev.relationship_id = r.id AND c.source_id = s.id)
ORDER BY r.key
$$;

-- Who took part in the source's events as the source names them: participants with a
-- basis of their own in the text (not outside knowledge) and the source's own evidence.
CREATE FUNCTION source_view_participants(source_key text)
RETURNS TABLE (event_key text, actor_key text, role text, basis text)
LANGUAGE sql STABLE AS $$
SELECT e.event_key, a.key, p.role, p.basis
FROM source AS s
CROSS JOIN source_view_events(source_key) AS e
JOIN event AS ev ON ev.key = e.event_key
JOIN event_participant AS p ON p.event_id = ev.id AND p.basis <> 'external'
JOIN actor AS a ON a.id = p.actor_id
WHERE s.key = source_key
  AND EXISTS (SELECT 1
              FROM event_participant_evidence AS pe
              JOIN claim AS c ON c.id = pe.claim_id
              WHERE pe.participant_id = p.id AND c.source_id = s.id)
ORDER BY e.event_key, a.key, p.role
$$;
"""


def upgrade() -> None:
    # Fail fast rather than queue behind a long transaction on a busy table.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5min'")
    op.execute(VOCABULARY_ROWS)
    for table in GROUNDED_TABLES:
        # Constant defaults: PostgreSQL 11+ adds the columns without rewriting the table.
        op.add_column(
            table, sa.Column("basis", sa.Text(), server_default="source_text", nullable=False)
        )
        op.add_column(table, sa.Column("basis_ref", sa.Text(), nullable=True))
        op.execute(
            f"""
            ALTER TABLE {table} ADD CONSTRAINT {table}_basis_fkey
                FOREIGN KEY (basis) REFERENCES basis (code) DEFERRABLE NOT VALID;
            ALTER TABLE {table} ADD CONSTRAINT {table}_basis_ref_check
                CHECK (basis <> 'external' OR basis_ref IS NOT NULL) NOT VALID;
            -- Every row holds the default, so the key is valid at once (no long lock).
            ALTER TABLE {table} VALIDATE CONSTRAINT {table}_basis_fkey;
            """
        )
    op.add_column(
        "relationship",
        sa.Column("certainty", sa.Text(), server_default="asserted", nullable=False),
    )
    op.execute(
        """
        ALTER TABLE relationship ADD CONSTRAINT relationship_certainty_fkey
            FOREIGN KEY (certainty) REFERENCES certainty (code) DEFERRABLE NOT VALID;
        ALTER TABLE relationship VALIDATE CONSTRAINT relationship_certainty_fkey;
        """
    )
    for table, columns in REFERENCE_COLUMNS.items():
        for column in columns:
            op.execute(
                f"""
                ALTER TABLE {table} ADD CONSTRAINT {table}_{column}_format_check
                    CHECK ({column} ~ '{REFERENCE_PATTERN}') NOT VALID;
                """
            )
    for table in DATED_TABLES:
        op.execute(
            f"""
            ALTER TABLE {table} ADD CONSTRAINT {table}_date_basis_ref_check
                CHECK (date_basis <> 'external' OR date_basis_ref IS NOT NULL) NOT VALID;
            """
        )
    op.execute(NESTING)
    op.execute(OVERSTATED)
    op.execute(SOURCE_VIEW)


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5min'")
    op.execute(
        """
        DROP FUNCTION source_view_participants(text);
        DROP FUNCTION source_view_relationships(text);
        DROP FUNCTION source_view_events(text);
        DROP FUNCTION interval_as_of(date, text, date, text, boolean, date);
        DROP VIEW overstated_relationship;
        DROP TRIGGER event_check_children_within ON event;
        DROP TRIGGER event_check_within_parent ON event;
        DROP FUNCTION event_check_nesting();
        DROP FUNCTION event_nesting_problem(uuid);
        """
    )
    for table in DATED_TABLES:
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_date_basis_ref_check")
    for table, columns in REFERENCE_COLUMNS.items():
        if table in GROUNDED_TABLES:
            continue  # the columns go below, with their constraints
        for column in columns:
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_{column}_format_check")
    op.drop_column("relationship", "certainty")
    for table in reversed(GROUNDED_TABLES):
        op.drop_column(table, "basis_ref")
        op.drop_column(table, "basis")
    # The previous schema has no word for these: what was expected becomes predicted, and
    # background sources are kept as reports.
    op.execute(
        """
        UPDATE event SET factuality = 'predicted' WHERE factuality = 'expected';
        UPDATE source SET kind = 'report' WHERE kind = 'background';
        DELETE FROM factuality WHERE code = 'expected';
        DELETE FROM source_kind WHERE code = 'background';
        """
    )
