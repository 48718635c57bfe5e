"""Schema v1: sources, actors, places, materiel, events, relationships, claims, evidence.

The first schema of nexusdb, as docs/schema.md describes it. Beyond what the models
declare, this revision creates the extensions the schema relies on (its downgrade drops
only those it created, never ones the database had before), fills the
vocabulary lookup tables, and adds the rules the models cannot express: relationships
that may not overlap (EXCLUDE with btree_gist), quotes that must match their source
(constraint triggers, deferrable to commit), and symmetric relationships stored in one
canonical direction (a trigger).

Revision ID: aa6ab0c92ea9
Revises:
Create Date: 2026-11-25 20:58:26.346029+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "aa6ab0c92ea9"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# ---------------------------------------------------------------------------
# Vocabularies. Written out here, not imported, so this revision stays what it was.
# ---------------------------------------------------------------------------

LOOKUPS: dict[str, list[tuple[str, str, str]]] = {
    "date_precision": [
        ("day", "day", "Known to the day."),
        ("month", "month", "Known to the month; stored as the month's first day."),
        ("year", "year", "Known to the year; stored as 1 January of that year."),
        ("decade", "decade", "Known to the decade; stored as the decade's first day."),
        ("century", "century", "Known to the century; stored as the century's first day."),
    ],
    "basis": [
        ("source_text", "stated in the source", "The source's own words say it."),
        ("inferred", "inferred from the source", "The source implies it without saying it."),
        ("external", "external knowledge", "Added from outside the source; basis_ref says where."),
    ],
    "source_kind": [
        ("article", "article", "An analysis or opinion article."),
        ("news_report", "news report", "A news outlet's report."),
        ("social_post", "social media post", "A post on a social network (X, Telegram, ...)."),
        ("statement", "official statement", "A statement by a government or organisation."),
        ("dataset", "dataset release", "A release of an event or actor dataset."),
        ("report", "report", "A report by an institution or think tank."),
        ("book", "book", "A book or book chapter."),
    ],
    "segment_kind": [
        ("paragraph", "paragraph", "A paragraph of running text."),
        ("heading", "heading", "A title, heading, byline or other short line."),
    ],
    "actor_kind": [
        ("state", "state", "A sovereign state."),
        ("person", "person", "A natural person."),
        ("organization", "organization", "A company, university, NGO or other organisation."),
        ("armed_group", "armed group", "A non-state armed group."),
        ("alliance", "alliance", "A formal alliance of states (NATO)."),
        ("coalition", "coalition", "An informal coalition (Axis of Resistance)."),
        ("political_party", "political party", "A political party."),
        ("media_outlet", "media outlet", "A newspaper, broadcaster or publication."),
        ("government", "government", "A government or administration (the Biden administration)."),
        ("bloc", "bloc", "A loose group of states (the Gulf states)."),
        ("military", "military", "Armed forces or a unit of them."),
        ("population_group", "population group", "A people or part of one (Israeli citizens)."),
        ("analyst_group", "group of analysts", "Commentators the source cites as a group."),
    ],
    "alias_kind": [
        ("name", "name", "A full name in another language or form."),
        ("alternative", "alternative name", "Another name in common use."),
        ("abbreviation", "abbreviation", "An acronym or short form."),
        ("spelling", "spelling variant", "A transliteration or misspelling seen in sources."),
        ("former_name", "former name", "A name no longer in use."),
        ("weak", "weak alias", "A descriptive or pejorative name; not enough to identify alone."),
    ],
    "external_id_scheme": [
        ("wikidata", "Wikidata QID", "https://www.wikidata.org/wiki/{value}"),
        ("iso3166_alpha2", "ISO 3166-1 alpha-2", "Two-letter country code."),
        ("iso3166_alpha3", "ISO 3166-1 alpha-3", "Three-letter country code."),
        ("cow", "Correlates of War code", "COW state abbreviation or number."),
    ],
    "place_kind": [
        ("country", "country", "A country's territory."),
        ("region", "region", "A region (Middle East, South Lebanon)."),
        ("sea", "sea", "A sea or other body of water."),
        ("city", "city", "A city or town."),
        ("territory", "territory", "A disputed or occupied territory (Crimea)."),
        ("building", "building", "A building (the White House)."),
        ("continent", "continent", "A continent."),
    ],
    "materiel_category": [
        ("ballistic_missile", "ballistic missile", None),
        ("cruise_missile", "cruise missile", None),
        ("loitering_munition", "loitering munition", "One-way attack drone."),
        ("uav", "unmanned aerial vehicle", None),
        ("air_defence", "air defence system", None),
        ("aircraft", "aircraft", None),
        ("armoured_vehicle", "armoured vehicle", None),
        ("artillery", "artillery", None),
        ("small_arms", "small arms", None),
        ("communications_device", "communications device", "Radios, pagers, phones."),
        ("other", "other", None),
    ],
    "event_type": [
        ("election", "election", None),
        ("war", "war", "An armed conflict between states or with an armed group."),
        ("civil_war", "civil war", None),
        ("world_war", "world war", None),
        ("invasion", "invasion", None),
        ("ground_invasion", "ground invasion", None),
        ("annexation", "annexation", None),
        ("armed_attack", "armed attack", None),
        ("missile_strike", "missile strike", None),
        ("assassination", "assassination", "Targeted killing of a named person."),
        ("sabotage", "sabotage", None),
        ("cyberattack", "cyberattack", None),
        ("maritime_attack", "maritime attack", "Attacks on shipping."),
        ("sanctions", "sanctions", None),
        ("treaty_withdrawal", "treaty withdrawal", None),
        ("agreement", "agreement", "A treaty, accord or deal."),
        ("ceasefire", "ceasefire", None),
        ("negotiation", "negotiation", None),
        ("diplomatic_statement", "diplomatic statement", "Congratulations, condemnations, ..."),
        ("campaign_pledge", "campaign pledge", None),
        ("arms_transfer", "arms transfer", None),
        ("military_aid", "military aid", None),
        ("financial_aid", "financial aid", None),
        ("revolution", "revolution", None),
        ("state_formation", "state formation", None),
        ("aid_programme", "aid programme", "A reconstruction or development programme."),
        ("political_transition", "political transition", "A change of government or office."),
        ("order", "order", "An order given by a leader."),
    ],
    "factuality": [
        ("occurred", "occurred", "It happened."),
        ("ongoing", "ongoing", "It is happening."),
        ("planned", "planned", "Announced or scheduled."),
        ("predicted", "predicted", "A source expects it."),
        ("hypothetical", "hypothetical", "A source considers it as a possibility."),
        ("denied", "denied", "A source says it did not happen."),
    ],
    "participant_role": [
        ("initiator", "initiator", "Carried it out."),
        ("target", "target", "It was directed at them."),
        ("victim", "victim", "Harmed or killed."),
        ("supporter", "supporter", "Backed the initiator."),
        ("mediator", "mediator", None),
        ("beneficiary", "beneficiary", None),
        ("authorizer", "authorizer", "Ordered or authorised it."),
        ("supplier", "supplier", None),
        ("recipient", "recipient", None),
        ("signatory", "signatory", None),
        ("winner", "winner", None),
        ("candidate", "candidate", None),
        ("participant", "participant", "Took part, role otherwise unspecified."),
    ],
    "quantity_kind": [
        ("deaths", "deaths", None),
        ("casualties", "casualties", "Killed and wounded, or as the source counts them."),
        ("injured", "injured", None),
        ("displaced", "displaced", None),
        ("affected", "affected", "People affected, in the source's wording."),
        ("amount", "amount", "A sum of money or goods."),
        ("count", "count", "A number of items."),
    ],
    "quantity_qualifier": [
        ("exact", "exactly", None),
        ("more_than", "more than", None),
        ("at_least", "at least", None),
        ("fewer_than", "fewer than", None),
        ("at_most", "at most", None),
        ("about", "about", None),
        ("between", "between", "Between low and high."),
    ],
    "claim_kind": [
        ("fact", "fact", "A statement of what is or was the case."),
        ("assessment", "assessment", "An analytic judgement."),
        ("prediction", "prediction", "A statement about the future."),
        ("opinion", "opinion", "A value judgement."),
        ("quotation", "quotation", "Someone's words reproduced."),
    ],
    "polarity": [
        ("affirmed", "affirmed", None),
        ("negated", "negated", "The statement says something is not so."),
    ],
    "stance": [
        ("supports", "supports", None),
        ("disputes", "disputes", None),
        ("qualifies", "qualifies", "Supports in part, or adds a condition."),
    ],
    "claim_relation_type": [
        ("supports", "supports", None),
        ("disputes", "disputes", None),
        ("qualifies", "qualifies", None),
        ("quotes", "quotes", None),
    ],
}

GRADED: dict[str, list[tuple[str, str, str, int | None]]] = {
    "reliability": [
        ("A", "completely reliable", "NATO/Admiralty A.", 1),
        ("B", "usually reliable", "NATO/Admiralty B.", 2),
        ("C", "fairly reliable", "NATO/Admiralty C.", 3),
        ("D", "not usually reliable", "NATO/Admiralty D.", 4),
        ("E", "unreliable", "NATO/Admiralty E.", 5),
        ("F", "reliability cannot be judged", "Sorts as unknown, not as worst.", None),
    ],
    "credibility": [
        ("1", "confirmed", "Confirmed by other independent sources.", 1),
        ("2", "probably true", None, 2),
        ("3", "possibly true", None, 3),
        ("4", "doubtful", None, 4),
        ("5", "improbable", None, 5),
        ("6", "truth cannot be judged", "Sorts as unknown, not as worst.", None),
    ],
    "certainty": [
        ("asserted", "asserted", "Stated without hedging.", 1),
        ("probable", "probable", "Hedged: probably, likely, seems.", 2),
        ("possible", "possible", "Hedged: possibly, could, may.", 3),
        ("speculative", "speculative", "A guess or a scenario.", 4),
    ],
}

RELATIONSHIP_TYPES: list[tuple[str, str, str, bool]] = [
    ("supplies_arms_to", "supplies arms to", "receives arms from", False),
    (
        "provides_military_support_to",
        "provides military support to",
        "receives military support from",
        False,
    ),
    (
        "provides_financial_aid_to",
        "provides financial aid to",
        "receives financial aid from",
        False,
    ),
    ("sponsors", "sponsors (proxy)", "is sponsored by", False),
    ("supports", "supports politically", "is supported by", False),
    ("member_of", "is a member of", "has member", False),
    ("part_of", "is part of", "includes", False),
    ("leader_of", "leads", "is led by", False),
    ("official_of", "holds office in", "has official", False),
    ("adviser_to", "advises", "is advised by", False),
    ("contributes_to", "writes for", "publishes work of", False),
    ("affiliated_with", "is affiliated with", "has affiliate", False),
    ("sanctions", "sanctions", "is sanctioned by", False),
    ("threatens", "threatens", "is threatened by", False),
    ("regards_as_threat", "regards as a threat", "is regarded as a threat by", False),
    ("opposes", "opposes", "is opposed by", False),
    ("at_war_with", "is at war with", "is at war with", True),
    ("allied_with", "is allied with", "is allied with", True),
    ("cooperates_with", "cooperates with", "cooperates with", True),
    ("rival_of", "is a rival of", "is a rival of", True),
]

# PLOVER's 16 types, CAMEO root codes and ACLED event types for nexusdb's own types.
CROSSWALK: list[tuple[str, str, str]] = [
    ("war", "plover", "ASSAULT"),
    ("war", "acled", "Battles"),
    ("civil_war", "plover", "ASSAULT"),
    ("civil_war", "acled", "Battles"),
    ("world_war", "plover", "ASSAULT"),
    ("invasion", "plover", "ASSAULT"),
    ("invasion", "cameo", "19"),
    ("ground_invasion", "plover", "ASSAULT"),
    ("ground_invasion", "cameo", "19"),
    ("ground_invasion", "acled", "Battles"),
    ("annexation", "plover", "COERCE"),
    ("armed_attack", "plover", "ASSAULT"),
    ("armed_attack", "cameo", "19"),
    ("missile_strike", "plover", "ASSAULT"),
    ("missile_strike", "cameo", "19"),
    ("missile_strike", "acled", "Explosions/Remote violence"),
    ("assassination", "plover", "ASSAULT"),
    ("assassination", "cameo", "18"),
    ("assassination", "acled", "Violence against civilians"),
    ("sabotage", "plover", "ASSAULT"),
    ("sabotage", "acled", "Explosions/Remote violence"),
    ("cyberattack", "plover", "ASSAULT"),
    ("maritime_attack", "plover", "ASSAULT"),
    ("maritime_attack", "acled", "Explosions/Remote violence"),
    ("sanctions", "plover", "SANCTION"),
    ("sanctions", "cameo", "16"),
    ("treaty_withdrawal", "plover", "REJECT"),
    ("treaty_withdrawal", "cameo", "12"),
    ("agreement", "plover", "AGREE"),
    ("agreement", "cameo", "05"),
    ("ceasefire", "plover", "AGREE"),
    ("ceasefire", "cameo", "08"),
    ("negotiation", "plover", "CONSULT"),
    ("negotiation", "cameo", "04"),
    ("diplomatic_statement", "plover", "SUPPORT"),
    ("diplomatic_statement", "cameo", "05"),
    ("campaign_pledge", "cameo", "03"),
    ("arms_transfer", "plover", "AID"),
    ("arms_transfer", "cameo", "07"),
    ("military_aid", "plover", "AID"),
    ("military_aid", "cameo", "07"),
    ("financial_aid", "plover", "AID"),
    ("financial_aid", "cameo", "07"),
    ("aid_programme", "plover", "AID"),
    ("order", "plover", "MOBILIZE"),
    ("election", "acled", "Strategic developments"),
    ("political_transition", "acled", "Strategic developments"),
    ("revolution", "plover", "PROTEST"),
    ("state_formation", "acled", "Strategic developments"),
]

# ---------------------------------------------------------------------------
# Rules the database enforces beyond CHECK and FOREIGN KEY.
# ---------------------------------------------------------------------------

RELATIONSHIP_NO_OVERLAP = """
-- A relationship row is the curated reading of one edge: the same subject, type and
-- object may not hold twice at overlapping times. Unknown ends are unbounded.
ALTER TABLE relationship
    ADD CONSTRAINT relationship_no_overlap_excl
    EXCLUDE USING gist (
        subject_id WITH =,
        relationship_type WITH =,
        object_id WITH =,
        daterange(start_date, end_date, '[]') WITH &&
    )
"""

CLAIM_QUOTE_TRIGGER = """
-- A claim's quote must be its source's text at its span: the segment belongs to the
-- claim's source, contains the span, and reads exactly the quote there. NULL when it
-- does (or when the claim is gone); otherwise what is wrong, for the error message.
CREATE FUNCTION claim_quote_problem(checked_claim_id uuid) RETURNS text
LANGUAGE sql STABLE AS $$
SELECT CASE
    WHEN seg.source_id IS DISTINCT FROM c.source_id THEN
        format('claim %s: segment %s is not part of the claim''s source', c.key, c.segment_id)
    WHEN c.span_start < seg.start_offset OR c.span_end > seg.end_offset THEN
        format('claim %s: span [%s, %s) lies outside its segment [%s, %s)',
               c.key, c.span_start, c.span_end, seg.start_offset, seg.end_offset)
    WHEN substr(seg.text, c.span_start - seg.start_offset + 1, c.span_end - c.span_start)
            IS DISTINCT FROM c.quote THEN
        format('claim %s: quote is not the source text at [%s, %s), which reads %L',
               c.key, c.span_start, c.span_end,
               substr(seg.text, c.span_start - seg.start_offset + 1, c.span_end - c.span_start))
END
FROM claim AS c
JOIN source_segment AS seg ON seg.id = c.segment_id
WHERE c.id = checked_claim_id
$$;

-- Checked whenever a claim's grounding or a quoted segment changes, as constraint
-- triggers: at the end of each statement, or at commit in a transaction that defers
-- them (SET CONSTRAINTS ALL DEFERRED), so a source's text and its claims' quotes can be
-- corrected together and are judged by the state that is committed. The row is read
-- afresh, since a deferred check may run after later changes to it.
CREATE FUNCTION claim_check_quote() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    problem text := claim_quote_problem(NEW.id);
BEGIN
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION '%', problem
            USING ERRCODE = 'check_violation', CONSTRAINT = 'claim_quote_matches_source';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER claim_check_quote
    AFTER INSERT OR UPDATE OF segment_id, source_id, span_start, span_end, quote ON claim
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION claim_check_quote();

CREATE FUNCTION source_segment_check_quotes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    problem text;
BEGIN
    SELECT claim_quote_problem(c.id) INTO problem
    FROM claim AS c
    WHERE c.segment_id = NEW.id AND claim_quote_problem(c.id) IS NOT NULL
    ORDER BY c.key
    LIMIT 1;
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION 'source segment %: %', NEW.id, problem
            USING ERRCODE = 'check_violation', CONSTRAINT = 'claim_quote_matches_source';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER source_segment_check_quotes
    AFTER UPDATE OF text, start_offset, end_offset, source_id ON source_segment
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION source_segment_check_quotes();
"""

RELATIONSHIP_SYMMETRY_TRIGGER = """
-- A symmetric relationship (at_war_with, allied_with, ...) is stored once, with the
-- smaller actor id as subject, so "A at war with B" and "B at war with A" cannot both exist.
CREATE FUNCTION relationship_check_canonical() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.subject_id > NEW.object_id
        AND (SELECT is_symmetric FROM relationship_type WHERE code = NEW.relationship_type) THEN
        RAISE EXCEPTION 'relationship %: type % is symmetric; store it with subject and object swapped',
            NEW.key, NEW.relationship_type
            USING ERRCODE = 'check_violation', CONSTRAINT = 'relationship_symmetric_canonical';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER relationship_check_canonical
    BEFORE INSERT OR UPDATE OF subject_id, object_id, relationship_type ON relationship
    FOR EACH ROW EXECUTE FUNCTION relationship_check_canonical();
"""


EXTENSIONS = ("btree_gist", "pg_trgm", "unaccent")

# An extension this revision creates is marked in its comment, so the downgrade drops only
# those and leaves any the database had before nexusdb (other schemas may depend on them).
CREATED_MARK = "[created by nexusdb]"
CREATE_EXTENSION = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = '{extension}') THEN
        CREATE EXTENSION {extension};
        EXECUTE format(
            'COMMENT ON EXTENSION {extension} IS %L',
            concat_ws(' ', obj_description(
                (SELECT oid FROM pg_extension WHERE extname = '{extension}'), 'pg_extension'
            ), '{mark}')
        );
    END IF;
END
$$
"""
DROP_EXTENSION = """
DO $$
BEGIN
    IF obj_description(
        (SELECT oid FROM pg_extension WHERE extname = '{extension}'), 'pg_extension'
    ) LIKE '%{mark}' THEN
        DROP EXTENSION {extension};
    END IF;
END
$$
"""


def upgrade() -> None:
    # Fail fast rather than queue behind a long transaction on a busy table.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5min'")
    # btree_gist for the relationship EXCLUDE constraint, pg_trgm for fuzzy name search,
    # unaccent for accent-insensitive text search.
    for extension in EXTENSIONS:
        op.execute(CREATE_EXTENSION.format(extension=extension, mark=CREATED_MARK))
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table(
        "actor_kind",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("actor_kind_pkey")),
    )
    op.create_table(
        "alias_kind",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("alias_kind_pkey")),
    )
    op.create_table(
        "basis",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("basis_pkey")),
    )
    op.create_table(
        "certainty",
        sa.Column("rank", sa.SmallInteger(), nullable=True),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("certainty_pkey")),
    )
    op.create_table(
        "claim_kind",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("claim_kind_pkey")),
    )
    op.create_table(
        "claim_relation_type",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("claim_relation_type_pkey")),
    )
    op.create_table(
        "credibility",
        sa.Column("rank", sa.SmallInteger(), nullable=True),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("credibility_pkey")),
    )
    op.create_table(
        "date_precision",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("date_precision_pkey")),
    )
    op.create_table(
        "event_type",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("event_type_pkey")),
    )
    op.create_table(
        "external_id_scheme",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("external_id_scheme_pkey")),
    )
    op.create_table(
        "factuality",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("factuality_pkey")),
    )
    op.create_table(
        "materiel_category",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("materiel_category_pkey")),
    )
    op.create_table(
        "participant_role",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("participant_role_pkey")),
    )
    op.create_table(
        "place_kind",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("place_kind_pkey")),
    )
    op.create_table(
        "polarity",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("polarity_pkey")),
    )
    op.create_table(
        "quantity_kind",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("quantity_kind_pkey")),
    )
    op.create_table(
        "quantity_qualifier",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("quantity_qualifier_pkey")),
    )
    op.create_table(
        "relationship_type",
        sa.Column("inverse_label", sa.Text(), nullable=False),
        sa.Column("is_symmetric", sa.Boolean(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("relationship_type_pkey")),
    )
    op.create_table(
        "reliability",
        sa.Column("rank", sa.SmallInteger(), nullable=True),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("reliability_pkey")),
    )
    op.create_table(
        "segment_kind",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("segment_kind_pkey")),
    )
    op.create_table(
        "source_kind",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("source_kind_pkey")),
    )
    op.create_table(
        "stance",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("stance_pkey")),
    )
    op.create_table(
        "event_type_crosswalk",
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("scheme", sa.Text(), nullable=False),
        sa.Column("scheme_code", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_type"],
            ["event_type.code"],
            name=op.f("event_type_crosswalk_event_type_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint(
            "event_type", "scheme", "scheme_code", name=op.f("event_type_crosswalk_pkey")
        ),
    )
    op.create_table(
        "source",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("archive_url", sa.Text(), nullable=True),
        sa.Column("publisher_id", sa.Uuid(), nullable=True),
        sa.Column("published_date", sa.Date(), nullable=True),
        sa.Column("published_precision", sa.Text(), nullable=True),
        sa.Column("retrieved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("language", sa.Text(), nullable=True),
        sa.Column("content_sha256", sa.Text(), nullable=True),
        sa.Column("reliability", sa.Text(), server_default="F", nullable=False),
        sa.Column("licence", sa.Text(), nullable=True),
        sa.Column("may_redistribute", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("basis", sa.Text(), server_default="source_text", nullable=False),
        sa.Column("basis_ref", sa.Text(), nullable=True),
        sa.Column("origin", sa.Text(), server_default="seed", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "basis <> 'external' OR basis_ref IS NOT NULL", name=op.f("source_basis_ref_check")
        ),
        sa.CheckConstraint(
            "content_sha256 ~ '^[0-9a-f]{64}$'", name=op.f("source_content_sha256_check")
        ),
        sa.CheckConstraint("key ~ '^[a-z0-9][a-z0-9-]*$'", name=op.f("source_key_check")),
        sa.CheckConstraint(
            "origin ~ '^(seed|api|import:[a-z0-9_.-]+)$'", name=op.f("source_origin_check")
        ),
        sa.CheckConstraint(
            "(published_date IS NULL) = (published_precision IS NULL)",
            name=op.f("source_published_precision_check"),
        ),
        sa.CheckConstraint(
            "published_date IS NULL OR published_precision NOT IN ('day', 'month', 'year', 'decade', 'century') OR date_trunc(published_precision, published_date::timestamp) = published_date",
            name=op.f("source_published_aligned_check"),
        ),
        sa.ForeignKeyConstraint(
            ["basis"], ["basis.code"], name=op.f("source_basis_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["kind"], ["source_kind.code"], name=op.f("source_kind_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["published_precision"],
            ["date_precision.code"],
            name=op.f("source_published_precision_fkey"),
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["reliability"],
            ["reliability.code"],
            name=op.f("source_reliability_fkey"),
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("source_pkey")),
        sa.UniqueConstraint("key", name=op.f("source_key_key")),
    )
    op.create_index(op.f("ix_source_kind"), "source", ["kind"], unique=False)
    op.create_index(op.f("ix_source_origin"), "source", ["origin"], unique=False)
    op.create_index(op.f("ix_source_publisher_id"), "source", ["publisher_id"], unique=False)
    op.create_table(
        "actor",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("country_code", sa.Text(), nullable=True),
        sa.Column("is_anonymous", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("scope_source_id", sa.Uuid(), nullable=True),
        sa.Column("basis", sa.Text(), server_default="source_text", nullable=False),
        sa.Column("basis_ref", sa.Text(), nullable=True),
        sa.Column("origin", sa.Text(), server_default="seed", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "basis <> 'external' OR basis_ref IS NOT NULL", name=op.f("actor_basis_ref_check")
        ),
        sa.CheckConstraint("country_code ~ '^[A-Z]{3}$'", name=op.f("actor_country_code_check")),
        sa.CheckConstraint("key ~ '^[a-z0-9][a-z0-9-]*$'", name=op.f("actor_key_check")),
        sa.CheckConstraint(
            "origin ~ '^(seed|api|import:[a-z0-9_.-]+)$'", name=op.f("actor_origin_check")
        ),
        sa.CheckConstraint(
            "NOT is_anonymous OR scope_source_id IS NOT NULL",
            name=op.f("actor_anonymous_scoped_check"),
        ),
        sa.ForeignKeyConstraint(
            ["basis"], ["basis.code"], name=op.f("actor_basis_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["kind"], ["actor_kind.code"], name=op.f("actor_kind_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["scope_source_id"],
            ["source.id"],
            name=op.f("actor_scope_source_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("actor_pkey")),
        sa.UniqueConstraint("key", name=op.f("actor_key_key")),
    )
    op.create_index(op.f("ix_actor_kind"), "actor", ["kind"], unique=False)
    op.create_index(op.f("ix_actor_origin"), "actor", ["origin"], unique=False)
    op.create_index(op.f("ix_actor_scope_source_id"), "actor", ["scope_source_id"], unique=False)
    op.create_table(
        "source_citation",
        sa.Column("citing_source_id", sa.Uuid(), nullable=False),
        sa.Column("cited_source_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "citing_source_id <> cited_source_id", name=op.f("source_citation_not_self_check")
        ),
        sa.ForeignKeyConstraint(
            ["cited_source_id"],
            ["source.id"],
            name=op.f("source_citation_cited_source_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["citing_source_id"],
            ["source.id"],
            name=op.f("source_citation_citing_source_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint(
            "citing_source_id", "cited_source_id", name=op.f("source_citation_pkey")
        ),
    )
    op.create_index(
        op.f("ix_source_citation_cited_source_id"),
        "source_citation",
        ["cited_source_id"],
        unique=False,
    )
    op.create_table(
        "source_segment",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "end_offset - start_offset = char_length(text)",
            name=op.f("source_segment_offsets_match_text_check"),
        ),
        sa.CheckConstraint("start_offset >= 0", name=op.f("source_segment_start_offset_check")),
        sa.ForeignKeyConstraint(
            ["kind"], ["segment_kind.code"], name=op.f("source_segment_kind_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("source_segment_source_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("source_segment_pkey")),
        sa.UniqueConstraint(
            "source_id", "ordinal", name=op.f("source_segment_source_id_ordinal_key")
        ),
    )
    op.create_table(
        "actor_alias",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), server_default="en", nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actor.id"],
            name=op.f("actor_alias_actor_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["kind"], ["alias_kind.code"], name=op.f("actor_alias_kind_fkey"), deferrable=True
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("actor_alias_pkey")),
        sa.UniqueConstraint(
            "actor_id", "name", "language", name=op.f("actor_alias_actor_id_name_language_key")
        ),
    )
    op.create_table(
        "actor_external_id",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("scheme", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actor.id"],
            name=op.f("actor_external_id_actor_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["scheme"],
            ["external_id_scheme.code"],
            name=op.f("actor_external_id_scheme_fkey"),
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("actor_external_id_pkey")),
        sa.UniqueConstraint(
            "actor_id", "scheme", name=op.f("actor_external_id_actor_id_scheme_key")
        ),
        sa.UniqueConstraint("scheme", "value", name=op.f("actor_external_id_scheme_value_key")),
    )
    op.create_table(
        "actor_redirect",
        sa.Column("old_key", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actor.id"],
            name=op.f("actor_redirect_actor_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("old_key", name=op.f("actor_redirect_pkey")),
    )
    op.create_index(
        op.f("ix_actor_redirect_actor_id"), "actor_redirect", ["actor_id"], unique=False
    )
    op.create_table(
        "claim",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("claimant_id", sa.Uuid(), nullable=False),
        sa.Column("reported_via_actor_id", sa.Uuid(), nullable=True),
        sa.Column("reported_via_source_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("certainty", sa.Text(), nullable=False),
        sa.Column("polarity", sa.Text(), server_default="affirmed", nullable=False),
        sa.Column("credibility", sa.Text(), server_default="6", nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("segment_id", sa.Uuid(), nullable=True),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("record_id", sa.Text(), nullable=True),
        sa.Column("record_field", sa.Text(), nullable=True),
        sa.Column("record_data", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("retrieved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("origin", sa.Text(), server_default="seed", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("key ~ '^[a-z0-9][a-z0-9-]*$'", name=op.f("claim_key_check")),
        sa.CheckConstraint(
            "origin ~ '^(seed|api|import:[a-z0-9_.-]+)$'", name=op.f("claim_origin_check")
        ),
        sa.CheckConstraint(
            "(segment_id IS NOT NULL AND span_start IS NOT NULL AND span_end IS NOT NULL AND quote IS NOT NULL AND record_id IS NULL AND record_data IS NULL) OR (segment_id IS NULL AND span_start IS NULL AND span_end IS NULL AND quote IS NULL AND record_id IS NOT NULL)",
            name=op.f("claim_grounding_check"),
        ),
        sa.CheckConstraint(
            "num_nonnulls(reported_via_actor_id, reported_via_source_id) <= 1",
            name=op.f("claim_one_relay_check"),
        ),
        sa.CheckConstraint(
            "span_end - span_start = char_length(quote)",
            name=op.f("claim_span_matches_quote_check"),
        ),
        sa.CheckConstraint("span_start < span_end", name=op.f("claim_span_order_check")),
        sa.ForeignKeyConstraint(
            ["certainty"], ["certainty.code"], name=op.f("claim_certainty_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["claimant_id"], ["actor.id"], name=op.f("claim_claimant_id_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["credibility"],
            ["credibility.code"],
            name=op.f("claim_credibility_fkey"),
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["kind"], ["claim_kind.code"], name=op.f("claim_kind_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["polarity"], ["polarity.code"], name=op.f("claim_polarity_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["reported_via_actor_id"],
            ["actor.id"],
            name=op.f("claim_reported_via_actor_id_fkey"),
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["reported_via_source_id"],
            ["source.id"],
            name=op.f("claim_reported_via_source_id_fkey"),
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["segment_id"],
            ["source_segment.id"],
            name=op.f("claim_segment_id_fkey"),
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("claim_source_id_fkey"), deferrable=True
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("claim_pkey")),
        sa.UniqueConstraint("key", name=op.f("claim_key_key")),
    )
    op.create_index(op.f("ix_claim_claimant_id"), "claim", ["claimant_id"], unique=False)
    op.create_index(op.f("ix_claim_credibility"), "claim", ["credibility"], unique=False)
    op.create_index(op.f("ix_claim_kind"), "claim", ["kind"], unique=False)
    op.create_index(op.f("ix_claim_origin"), "claim", ["origin"], unique=False)
    op.create_index(
        op.f("ix_claim_reported_via_actor_id"), "claim", ["reported_via_actor_id"], unique=False
    )
    op.create_index(
        op.f("ix_claim_reported_via_source_id"), "claim", ["reported_via_source_id"], unique=False
    )
    op.create_index(op.f("ix_claim_segment_id"), "claim", ["segment_id"], unique=False)
    op.create_index(op.f("ix_claim_source_id"), "claim", ["source_id"], unique=False)
    op.create_table(
        "materiel",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("producer_id", sa.Uuid(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("basis", sa.Text(), server_default="source_text", nullable=False),
        sa.Column("basis_ref", sa.Text(), nullable=True),
        sa.Column("origin", sa.Text(), server_default="seed", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "basis <> 'external' OR basis_ref IS NOT NULL", name=op.f("materiel_basis_ref_check")
        ),
        sa.CheckConstraint("key ~ '^[a-z0-9][a-z0-9-]*$'", name=op.f("materiel_key_check")),
        sa.CheckConstraint(
            "origin ~ '^(seed|api|import:[a-z0-9_.-]+)$'", name=op.f("materiel_origin_check")
        ),
        sa.ForeignKeyConstraint(
            ["basis"], ["basis.code"], name=op.f("materiel_basis_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["category"],
            ["materiel_category.code"],
            name=op.f("materiel_category_fkey"),
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["producer_id"], ["actor.id"], name=op.f("materiel_producer_id_fkey"), deferrable=True
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("materiel_pkey")),
        sa.UniqueConstraint("key", name=op.f("materiel_key_key")),
    )
    op.create_index(op.f("ix_materiel_origin"), "materiel", ["origin"], unique=False)
    op.create_index(op.f("ix_materiel_producer_id"), "materiel", ["producer_id"], unique=False)
    op.create_table(
        "place",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("iso_code", sa.Text(), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("basis", sa.Text(), server_default="source_text", nullable=False),
        sa.Column("basis_ref", sa.Text(), nullable=True),
        sa.Column("origin", sa.Text(), server_default="seed", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "basis <> 'external' OR basis_ref IS NOT NULL", name=op.f("place_basis_ref_check")
        ),
        sa.CheckConstraint("key ~ '^[a-z0-9][a-z0-9-]*$'", name=op.f("place_key_check")),
        sa.CheckConstraint(
            "origin ~ '^(seed|api|import:[a-z0-9_.-]+)$'", name=op.f("place_origin_check")
        ),
        sa.CheckConstraint("latitude BETWEEN -90 AND 90", name=op.f("place_latitude_check")),
        sa.CheckConstraint("longitude BETWEEN -180 AND 180", name=op.f("place_longitude_check")),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actor.id"], name=op.f("place_actor_id_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["basis"], ["basis.code"], name=op.f("place_basis_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["kind"], ["place_kind.code"], name=op.f("place_kind_fkey"), deferrable=True
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("place_pkey")),
        sa.UniqueConstraint("key", name=op.f("place_key_key")),
    )
    op.create_index(op.f("ix_place_actor_id"), "place", ["actor_id"], unique=False)
    op.create_index(op.f("ix_place_origin"), "place", ["origin"], unique=False)
    op.create_table(
        "relationship",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("relationship_type", sa.Text(), nullable=False),
        sa.Column("object_id", sa.Uuid(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("start_precision", sa.Text(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_precision", sa.Text(), nullable=True),
        sa.Column("is_ongoing", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("date_basis", sa.Text(), nullable=True),
        sa.Column("date_basis_ref", sa.Text(), nullable=True),
        sa.Column("basis", sa.Text(), server_default="source_text", nullable=False),
        sa.Column("basis_ref", sa.Text(), nullable=True),
        sa.Column("origin", sa.Text(), server_default="seed", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "basis <> 'external' OR basis_ref IS NOT NULL",
            name=op.f("relationship_basis_ref_check"),
        ),
        sa.CheckConstraint("key ~ '^[a-z0-9][a-z0-9-]*$'", name=op.f("relationship_key_check")),
        sa.CheckConstraint(
            "origin ~ '^(seed|api|import:[a-z0-9_.-]+)$'", name=op.f("relationship_origin_check")
        ),
        sa.CheckConstraint(
            "(date_basis IS NULL) = (start_date IS NULL AND end_date IS NULL)",
            name=op.f("relationship_date_basis_check"),
        ),
        sa.CheckConstraint(
            "(end_date IS NULL) = (end_precision IS NULL)",
            name=op.f("relationship_end_precision_check"),
        ),
        sa.CheckConstraint(
            "(start_date IS NULL) = (start_precision IS NULL)",
            name=op.f("relationship_start_precision_check"),
        ),
        sa.CheckConstraint(
            "NOT (is_ongoing AND end_date IS NOT NULL)",
            name=op.f("relationship_ongoing_has_no_end_check"),
        ),
        sa.CheckConstraint(
            "end_date IS NULL OR end_precision NOT IN ('day', 'month', 'year', 'decade', 'century') OR date_trunc(end_precision, end_date::timestamp) = end_date",
            name=op.f("relationship_end_aligned_check"),
        ),
        sa.CheckConstraint(
            "start_date <= end_date", name=op.f("relationship_interval_order_check")
        ),
        sa.CheckConstraint(
            "start_date IS NULL OR start_precision NOT IN ('day', 'month', 'year', 'decade', 'century') OR date_trunc(start_precision, start_date::timestamp) = start_date",
            name=op.f("relationship_start_aligned_check"),
        ),
        sa.CheckConstraint("subject_id <> object_id", name=op.f("relationship_not_self_check")),
        sa.ForeignKeyConstraint(
            ["basis"], ["basis.code"], name=op.f("relationship_basis_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["date_basis"],
            ["basis.code"],
            name=op.f("relationship_date_basis_fkey"),
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["end_precision"],
            ["date_precision.code"],
            name=op.f("relationship_end_precision_fkey"),
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["object_id"], ["actor.id"], name=op.f("relationship_object_id_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["relationship_type"],
            ["relationship_type.code"],
            name=op.f("relationship_relationship_type_fkey"),
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["start_precision"],
            ["date_precision.code"],
            name=op.f("relationship_start_precision_fkey"),
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["actor.id"], name=op.f("relationship_subject_id_fkey"), deferrable=True
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("relationship_pkey")),
        sa.UniqueConstraint("key", name=op.f("relationship_key_key")),
    )
    op.create_index(op.f("ix_relationship_object_id"), "relationship", ["object_id"], unique=False)
    op.create_index(op.f("ix_relationship_origin"), "relationship", ["origin"], unique=False)
    op.create_index(
        op.f("ix_relationship_relationship_type"),
        "relationship",
        ["relationship_type"],
        unique=False,
    )
    op.create_index(
        op.f("ix_relationship_subject_id"), "relationship", ["subject_id"], unique=False
    )
    op.create_table(
        "source_author",
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actor.id"], name=op.f("source_author_actor_id_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("source_author_source_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("source_id", "position", name=op.f("source_author_pkey")),
        sa.UniqueConstraint(
            "source_id", "actor_id", name=op.f("source_author_source_id_actor_id_key")
        ),
    )
    op.create_index(op.f("ix_source_author_actor_id"), "source_author", ["actor_id"], unique=False)
    op.create_table(
        "claim_actor",
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actor.id"], name=op.f("claim_actor_actor_id_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("claim_actor_claim_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("claim_id", "actor_id", name=op.f("claim_actor_pkey")),
    )
    op.create_index(op.f("ix_claim_actor_actor_id"), "claim_actor", ["actor_id"], unique=False)
    op.create_table(
        "claim_relation",
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("relation", sa.Text(), nullable=False),
        sa.Column("related_claim_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "claim_id <> related_claim_id", name=op.f("claim_relation_not_self_check")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("claim_relation_claim_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["related_claim_id"],
            ["claim.id"],
            name=op.f("claim_relation_related_claim_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["relation"],
            ["claim_relation_type.code"],
            name=op.f("claim_relation_relation_fkey"),
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint(
            "claim_id", "relation", "related_claim_id", name=op.f("claim_relation_pkey")
        ),
    )
    op.create_index(
        op.f("ix_claim_relation_related_claim_id"),
        "claim_relation",
        ["related_claim_id"],
        unique=False,
    )
    op.create_table(
        "event",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("place_id", sa.Uuid(), nullable=True),
        sa.Column("parent_event_id", sa.Uuid(), nullable=True),
        sa.Column("factuality", sa.Text(), server_default="occurred", nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("start_precision", sa.Text(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_precision", sa.Text(), nullable=True),
        sa.Column("is_ongoing", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("date_basis", sa.Text(), nullable=True),
        sa.Column("date_basis_ref", sa.Text(), nullable=True),
        sa.Column("basis", sa.Text(), server_default="source_text", nullable=False),
        sa.Column("basis_ref", sa.Text(), nullable=True),
        sa.Column("origin", sa.Text(), server_default="seed", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "basis <> 'external' OR basis_ref IS NOT NULL", name=op.f("event_basis_ref_check")
        ),
        sa.CheckConstraint("key ~ '^[a-z0-9][a-z0-9-]*$'", name=op.f("event_key_check")),
        sa.CheckConstraint(
            "origin ~ '^(seed|api|import:[a-z0-9_.-]+)$'", name=op.f("event_origin_check")
        ),
        sa.CheckConstraint(
            "(date_basis IS NULL) = (start_date IS NULL AND end_date IS NULL)",
            name=op.f("event_date_basis_check"),
        ),
        sa.CheckConstraint(
            "(end_date IS NULL) = (end_precision IS NULL)", name=op.f("event_end_precision_check")
        ),
        sa.CheckConstraint(
            "(start_date IS NULL) = (start_precision IS NULL)",
            name=op.f("event_start_precision_check"),
        ),
        sa.CheckConstraint(
            "NOT (is_ongoing AND end_date IS NOT NULL)", name=op.f("event_ongoing_has_no_end_check")
        ),
        sa.CheckConstraint(
            "end_date IS NULL OR end_precision NOT IN ('day', 'month', 'year', 'decade', 'century') OR date_trunc(end_precision, end_date::timestamp) = end_date",
            name=op.f("event_end_aligned_check"),
        ),
        sa.CheckConstraint("parent_event_id <> id", name=op.f("event_not_own_parent_check")),
        sa.CheckConstraint("start_date <= end_date", name=op.f("event_interval_order_check")),
        sa.CheckConstraint(
            "start_date IS NULL OR start_precision NOT IN ('day', 'month', 'year', 'decade', 'century') OR date_trunc(start_precision, start_date::timestamp) = start_date",
            name=op.f("event_start_aligned_check"),
        ),
        sa.ForeignKeyConstraint(
            ["basis"], ["basis.code"], name=op.f("event_basis_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["date_basis"], ["basis.code"], name=op.f("event_date_basis_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["end_precision"],
            ["date_precision.code"],
            name=op.f("event_end_precision_fkey"),
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["event_type"], ["event_type.code"], name=op.f("event_event_type_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["factuality"], ["factuality.code"], name=op.f("event_factuality_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["parent_event_id"],
            ["event.id"],
            name=op.f("event_parent_event_id_fkey"),
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["place.id"], name=op.f("event_place_id_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["start_precision"],
            ["date_precision.code"],
            name=op.f("event_start_precision_fkey"),
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("event_pkey")),
        sa.UniqueConstraint("key", name=op.f("event_key_key")),
    )
    op.create_index(op.f("ix_event_event_type"), "event", ["event_type"], unique=False)
    op.create_index(op.f("ix_event_factuality"), "event", ["factuality"], unique=False)
    op.create_index(op.f("ix_event_origin"), "event", ["origin"], unique=False)
    op.create_index(op.f("ix_event_parent_event_id"), "event", ["parent_event_id"], unique=False)
    op.create_index(op.f("ix_event_place_id"), "event", ["place_id"], unique=False)
    op.create_table(
        "relationship_evidence",
        sa.Column("relationship_id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("stance", sa.Text(), server_default="supports", nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("relationship_evidence_claim_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["relationship_id"],
            ["relationship.id"],
            name=op.f("relationship_evidence_relationship_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["stance"],
            ["stance.code"],
            name=op.f("relationship_evidence_stance_fkey"),
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint(
            "relationship_id", "claim_id", name=op.f("relationship_evidence_pkey")
        ),
    )
    op.create_index(
        op.f("ix_relationship_evidence_claim_id"),
        "relationship_evidence",
        ["claim_id"],
        unique=False,
    )
    op.create_table(
        "relationship_materiel",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("relationship_id", sa.Uuid(), nullable=False),
        sa.Column("materiel_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["materiel_id"],
            ["materiel.id"],
            name=op.f("relationship_materiel_materiel_id_fkey"),
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["relationship_id"],
            ["relationship.id"],
            name=op.f("relationship_materiel_relationship_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("relationship_materiel_pkey")),
        sa.UniqueConstraint(
            "relationship_id",
            "materiel_id",
            name=op.f("relationship_materiel_relationship_id_materiel_id_key"),
        ),
    )
    op.create_index(
        op.f("ix_relationship_materiel_materiel_id"),
        "relationship_materiel",
        ["materiel_id"],
        unique=False,
    )
    op.create_table(
        "event_evidence",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("stance", sa.Text(), server_default="supports", nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("event_evidence_claim_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("event_evidence_event_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["stance"], ["stance.code"], name=op.f("event_evidence_stance_fkey"), deferrable=True
        ),
        sa.PrimaryKeyConstraint("event_id", "claim_id", name=op.f("event_evidence_pkey")),
    )
    op.create_index(
        op.f("ix_event_evidence_claim_id"), "event_evidence", ["claim_id"], unique=False
    )
    op.create_table(
        "event_materiel",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("materiel_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("event_materiel_event_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["materiel_id"],
            ["materiel.id"],
            name=op.f("event_materiel_materiel_id_fkey"),
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("event_materiel_pkey")),
        sa.UniqueConstraint(
            "event_id", "materiel_id", name=op.f("event_materiel_event_id_materiel_id_key")
        ),
    )
    op.create_index(
        op.f("ix_event_materiel_materiel_id"), "event_materiel", ["materiel_id"], unique=False
    )
    op.create_table(
        "event_participant",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actor.id"],
            name=op.f("event_participant_actor_id_fkey"),
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("event_participant_event_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["role"],
            ["participant_role.code"],
            name=op.f("event_participant_role_fkey"),
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("event_participant_pkey")),
        sa.UniqueConstraint(
            "event_id",
            "actor_id",
            "role",
            name=op.f("event_participant_event_id_actor_id_role_key"),
        ),
    )
    op.create_index(
        op.f("ix_event_participant_actor_id"), "event_participant", ["actor_id"], unique=False
    )
    op.create_table(
        "event_quantity",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("low", sa.Numeric(), nullable=True),
        sa.Column("high", sa.Numeric(), nullable=True),
        sa.Column("qualifier", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("counted", sa.Text(), nullable=False),
        sa.Column("wording", sa.Text(), nullable=True),
        sa.CheckConstraint("low <= high", name=op.f("event_quantity_low_le_high_check")),
        sa.CheckConstraint(
            "low IS NOT NULL OR high IS NOT NULL", name=op.f("event_quantity_has_value_check")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("event_quantity_event_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["kind"], ["quantity_kind.code"], name=op.f("event_quantity_kind_fkey"), deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["qualifier"],
            ["quantity_qualifier.code"],
            name=op.f("event_quantity_qualifier_fkey"),
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("event_quantity_pkey")),
        sa.UniqueConstraint(
            "event_id", "kind", "counted", name=op.f("event_quantity_event_id_kind_counted_key")
        ),
    )
    op.create_table(
        "relationship_materiel_evidence",
        sa.Column("relationship_materiel_id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("stance", sa.Text(), server_default="supports", nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("relationship_materiel_evidence_claim_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["relationship_materiel_id"],
            ["relationship_materiel.id"],
            name=op.f("relationship_materiel_evidence_relationship_materiel_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["stance"],
            ["stance.code"],
            name=op.f("relationship_materiel_evidence_stance_fkey"),
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint(
            "relationship_materiel_id", "claim_id", name=op.f("relationship_materiel_evidence_pkey")
        ),
    )
    op.create_index(
        op.f("ix_relationship_materiel_evidence_claim_id"),
        "relationship_materiel_evidence",
        ["claim_id"],
        unique=False,
    )
    op.create_table(
        "event_materiel_evidence",
        sa.Column("event_materiel_id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("stance", sa.Text(), server_default="supports", nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("event_materiel_evidence_claim_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["event_materiel_id"],
            ["event_materiel.id"],
            name=op.f("event_materiel_evidence_event_materiel_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["stance"],
            ["stance.code"],
            name=op.f("event_materiel_evidence_stance_fkey"),
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint(
            "event_materiel_id", "claim_id", name=op.f("event_materiel_evidence_pkey")
        ),
    )
    op.create_index(
        op.f("ix_event_materiel_evidence_claim_id"),
        "event_materiel_evidence",
        ["claim_id"],
        unique=False,
    )
    op.create_table(
        "event_participant_evidence",
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("stance", sa.Text(), server_default="supports", nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("event_participant_evidence_claim_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["event_participant.id"],
            name=op.f("event_participant_evidence_participant_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["stance"],
            ["stance.code"],
            name=op.f("event_participant_evidence_stance_fkey"),
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint(
            "participant_id", "claim_id", name=op.f("event_participant_evidence_pkey")
        ),
    )
    op.create_index(
        op.f("ix_event_participant_evidence_claim_id"),
        "event_participant_evidence",
        ["claim_id"],
        unique=False,
    )
    op.create_table(
        "event_quantity_evidence",
        sa.Column("quantity_id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("stance", sa.Text(), server_default="supports", nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("event_quantity_evidence_claim_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["quantity_id"],
            ["event_quantity.id"],
            name=op.f("event_quantity_evidence_quantity_id_fkey"),
            ondelete="CASCADE",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["stance"],
            ["stance.code"],
            name=op.f("event_quantity_evidence_stance_fkey"),
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint(
            "quantity_id", "claim_id", name=op.f("event_quantity_evidence_pkey")
        ),
    )
    op.create_index(
        op.f("ix_event_quantity_evidence_claim_id"),
        "event_quantity_evidence",
        ["claim_id"],
        unique=False,
    )
    # ### end Alembic commands ###
    # source and actor refer to each other; this key can only follow both tables.
    op.create_foreign_key(
        op.f("source_publisher_id_fkey"),
        "source",
        "actor",
        ["publisher_id"],
        ["id"],
        deferrable=True,
    )
    insert_vocabularies()
    op.execute(RELATIONSHIP_NO_OVERLAP)
    op.execute(CLAIM_QUOTE_TRIGGER)
    op.execute(RELATIONSHIP_SYMMETRY_TRIGGER)


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5min'")
    op.execute("DROP TRIGGER relationship_check_canonical ON relationship")
    op.execute("DROP FUNCTION relationship_check_canonical()")
    op.execute("DROP TRIGGER source_segment_check_quotes ON source_segment")
    op.execute("DROP FUNCTION source_segment_check_quotes()")
    op.execute("DROP TRIGGER claim_check_quote ON claim")
    op.execute("DROP FUNCTION claim_check_quote()")
    op.execute("DROP FUNCTION claim_quote_problem(uuid)")
    op.drop_constraint(op.f("source_publisher_id_fkey"), "source", type_="foreignkey")
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_index(op.f("ix_event_quantity_evidence_claim_id"), table_name="event_quantity_evidence")
    op.drop_table("event_quantity_evidence")
    op.drop_index(
        op.f("ix_event_participant_evidence_claim_id"), table_name="event_participant_evidence"
    )
    op.drop_table("event_participant_evidence")
    op.drop_index(op.f("ix_event_materiel_evidence_claim_id"), table_name="event_materiel_evidence")
    op.drop_table("event_materiel_evidence")
    op.drop_index(
        op.f("ix_relationship_materiel_evidence_claim_id"),
        table_name="relationship_materiel_evidence",
    )
    op.drop_table("relationship_materiel_evidence")
    op.drop_table("event_quantity")
    op.drop_index(op.f("ix_event_participant_actor_id"), table_name="event_participant")
    op.drop_table("event_participant")
    op.drop_index(op.f("ix_event_materiel_materiel_id"), table_name="event_materiel")
    op.drop_table("event_materiel")
    op.drop_index(op.f("ix_event_evidence_claim_id"), table_name="event_evidence")
    op.drop_table("event_evidence")
    op.drop_index(op.f("ix_relationship_materiel_materiel_id"), table_name="relationship_materiel")
    op.drop_table("relationship_materiel")
    op.drop_index(op.f("ix_relationship_evidence_claim_id"), table_name="relationship_evidence")
    op.drop_table("relationship_evidence")
    op.drop_index(op.f("ix_event_place_id"), table_name="event")
    op.drop_index(op.f("ix_event_parent_event_id"), table_name="event")
    op.drop_index(op.f("ix_event_origin"), table_name="event")
    op.drop_index(op.f("ix_event_factuality"), table_name="event")
    op.drop_index(op.f("ix_event_event_type"), table_name="event")
    op.drop_table("event")
    op.drop_index(op.f("ix_claim_relation_related_claim_id"), table_name="claim_relation")
    op.drop_table("claim_relation")
    op.drop_index(op.f("ix_claim_actor_actor_id"), table_name="claim_actor")
    op.drop_table("claim_actor")
    op.drop_index(op.f("ix_source_author_actor_id"), table_name="source_author")
    op.drop_table("source_author")
    op.drop_index(op.f("ix_relationship_subject_id"), table_name="relationship")
    op.drop_index(op.f("ix_relationship_relationship_type"), table_name="relationship")
    op.drop_index(op.f("ix_relationship_origin"), table_name="relationship")
    op.drop_index(op.f("ix_relationship_object_id"), table_name="relationship")
    op.drop_table("relationship")
    op.drop_index(op.f("ix_place_origin"), table_name="place")
    op.drop_index(op.f("ix_place_actor_id"), table_name="place")
    op.drop_table("place")
    op.drop_index(op.f("ix_materiel_producer_id"), table_name="materiel")
    op.drop_index(op.f("ix_materiel_origin"), table_name="materiel")
    op.drop_table("materiel")
    op.drop_index(op.f("ix_claim_source_id"), table_name="claim")
    op.drop_index(op.f("ix_claim_segment_id"), table_name="claim")
    op.drop_index(op.f("ix_claim_reported_via_source_id"), table_name="claim")
    op.drop_index(op.f("ix_claim_reported_via_actor_id"), table_name="claim")
    op.drop_index(op.f("ix_claim_origin"), table_name="claim")
    op.drop_index(op.f("ix_claim_kind"), table_name="claim")
    op.drop_index(op.f("ix_claim_credibility"), table_name="claim")
    op.drop_index(op.f("ix_claim_claimant_id"), table_name="claim")
    op.drop_table("claim")
    op.drop_index(op.f("ix_actor_redirect_actor_id"), table_name="actor_redirect")
    op.drop_table("actor_redirect")
    op.drop_table("actor_external_id")
    op.drop_table("actor_alias")
    op.drop_table("source_segment")
    op.drop_index(op.f("ix_source_citation_cited_source_id"), table_name="source_citation")
    op.drop_table("source_citation")
    op.drop_index(op.f("ix_actor_scope_source_id"), table_name="actor")
    op.drop_index(op.f("ix_actor_origin"), table_name="actor")
    op.drop_index(op.f("ix_actor_kind"), table_name="actor")
    op.drop_table("actor")
    op.drop_index(op.f("ix_source_publisher_id"), table_name="source")
    op.drop_index(op.f("ix_source_origin"), table_name="source")
    op.drop_index(op.f("ix_source_kind"), table_name="source")
    op.drop_table("source")
    op.drop_table("event_type_crosswalk")
    op.drop_table("stance")
    op.drop_table("source_kind")
    op.drop_table("segment_kind")
    op.drop_table("reliability")
    op.drop_table("relationship_type")
    op.drop_table("quantity_qualifier")
    op.drop_table("quantity_kind")
    op.drop_table("polarity")
    op.drop_table("place_kind")
    op.drop_table("participant_role")
    op.drop_table("materiel_category")
    op.drop_table("factuality")
    op.drop_table("external_id_scheme")
    op.drop_table("event_type")
    op.drop_table("date_precision")
    op.drop_table("credibility")
    op.drop_table("claim_relation_type")
    op.drop_table("claim_kind")
    op.drop_table("certainty")
    op.drop_table("basis")
    op.drop_table("alias_kind")
    op.drop_table("actor_kind")
    # ### end Alembic commands ###
    for extension in reversed(EXTENSIONS):
        op.execute(DROP_EXTENSION.format(extension=extension, mark=CREATED_MARK))


def insert_vocabularies() -> None:
    # Typed columns, so offline mode (`--sql`) can render the values as literals.
    text_columns = ("code", "label", "description")
    for table_name, rows in LOOKUPS.items():
        table = sa.table(table_name, *(sa.column(name, sa.Text) for name in text_columns))
        op.bulk_insert(table, [dict(zip(text_columns, row, strict=True)) for row in rows])
    for table_name, graded_rows in GRADED.items():
        table = sa.table(
            table_name,
            *(sa.column(name, sa.Text) for name in text_columns),
            sa.column("rank", sa.SmallInteger),
        )
        op.bulk_insert(
            table,
            [
                {"code": code, "label": label, "description": description, "rank": rank}
                for code, label, description, rank in graded_rows
            ],
        )
    relationship_type = sa.table(
        "relationship_type",
        sa.column("code", sa.Text),
        sa.column("label", sa.Text),
        sa.column("inverse_label", sa.Text),
        sa.column("is_symmetric", sa.Boolean),
    )
    op.bulk_insert(
        relationship_type,
        [
            {"code": code, "label": label, "inverse_label": inverse, "is_symmetric": symmetric}
            for code, label, inverse, symmetric in RELATIONSHIP_TYPES
        ],
    )
    crosswalk = sa.table(
        "event_type_crosswalk",
        sa.column("event_type", sa.Text),
        sa.column("scheme", sa.Text),
        sa.column("scheme_code", sa.Text),
    )
    op.bulk_insert(
        crosswalk,
        [{"event_type": t, "scheme": scheme, "scheme_code": code} for t, scheme, code in CROSSWALK],
    )
