"""Vocabulary and schema for importing ACLED, UCDP GED and PLOVER event datasets.

`nexusdb import` gives every dataset record one event whose type comes from
`event_type_crosswalk`. This revision adds what the importer needs for that:

- event types for the 25 ACLED sub-event types, the 3 UCDP types of violence and the
  PLOVER types that had no readable type of their own, with their crosswalk rows;
- `event_type_crosswalk.preferred`: several types may map to one code (PLOVER ASSAULT is
  a war, an invasion, a missile strike ...), so exactly one row per `(scheme, code)` says
  which type a record coded that way gets (a partial unique index);
- `place.location_precision` (with its lookup), so a place made from a dataset's location
  keeps how exactly the dataset knew it (ACLED geo_precision, UCDP where_prec);
- the quote trigger fires only for claims grounded in a text span: a claim grounded in a
  dataset record has no quote to check, and a bulk load of millions of them should not
  call a function per row to find that out.

Revision ID: b1f7b8c2951b
Revises: f779881f5822
Create Date: 2026-12-02 17:46:32.876772+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b1f7b8c2951b"
down_revision: str | None = "f779881f5822"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (code, label, description) of the new event types.
EVENT_TYPES: list[tuple[str, str, str | None]] = [
    # ACLED sub-event types.
    ("armed_clash", "armed clash", "Armed, organised groups fight each other."),
    ("government_regains_territory", "government regains territory", None),
    ("non_state_actor_overtakes_territory", "non-state actor overtakes territory", None),
    ("chemical_weapon_attack", "chemical weapon attack", None),
    ("air_strike", "air or drone strike", None),
    ("suicide_bombing", "suicide bombing", None),
    ("shelling", "shelling, artillery or missile attack", None),
    ("remote_explosive", "remote explosive, landmine or IED", None),
    ("grenade_attack", "grenade attack", None),
    ("sexual_violence", "sexual violence", None),
    ("attack_on_civilians", "attack on civilians", "Violence against unarmed civilians."),
    ("abduction", "abduction or forced disappearance", None),
    ("peaceful_protest", "peaceful protest", None),
    ("protest_with_intervention", "protest with intervention", "Protest that others disrupt."),
    ("excessive_force_against_protesters", "excessive force against protesters", None),
    ("violent_demonstration", "violent demonstration", None),
    ("mob_violence", "mob violence", None),
    ("arrests", "arrests", None),
    ("change_to_group_activity", "change to group or activity", None),
    ("disrupted_weapons_use", "disrupted weapons use", "Weapons seized, defused or intercepted."),
    ("base_established", "headquarters or base established", None),
    ("looting", "looting or property destruction", None),
    ("non_violent_territory_transfer", "non-violent transfer of territory", None),
    ("other_development", "other strategic development", None),
    # UCDP GED types of violence.
    ("state_based_violence", "state-based armed conflict", "UCDP: a government is a side."),
    ("non_state_violence", "non-state conflict", "UCDP: organised groups, no government."),
    ("one_sided_violence", "one-sided violence", "UCDP: an organised actor kills civilians."),
    # PLOVER types without a readable type of their own.
    ("consultation", "consultation", "Meetings, visits, talks (PLOVER CONSULT)."),
    ("expression_of_support", "expression of support", "Praise, endorsement (PLOVER SUPPORT)."),
    ("concession", "concession", "PLOVER CONCEDE."),
    ("cooperation", "cooperation", "PLOVER COOPERATE."),
    ("aid", "aid", "Material, economic, military or humanitarian aid (PLOVER AID)."),
    ("retreat", "retreat", "Withdrawal, release, easing (PLOVER RETREAT)."),
    ("request", "request", "PLOVER REQUEST."),
    ("accusation", "accusation", "Criticism, blame, denunciation (PLOVER ACCUSE)."),
    ("rejection", "rejection", "PLOVER REJECT."),
    ("threat", "threat", "PLOVER THREATEN."),
    ("protest", "protest", "Demonstrations and other protest (PLOVER PROTEST)."),
    ("mobilization", "mobilization", "Troops, police or militants put on alert (PLOVER MOBILIZE)."),
    ("coercion", "coercion", "Seizures, arrests, restrictions (PLOVER COERCE)."),
    ("assault", "assault", "Use of physical force (PLOVER ASSAULT)."),
]

# (event_type, scheme, scheme_code, preferred): `preferred` rows are what importers use.
CROSSWALK: list[tuple[str, str, str, bool]] = [
    # ACLED: the sub-event type decides; its event type is the coarser crosswalk row.
    ("armed_clash", "acled_sub_event", "Armed clash", True),
    ("government_regains_territory", "acled_sub_event", "Government regains territory", True),
    (
        "non_state_actor_overtakes_territory",
        "acled_sub_event",
        "Non-state actor overtakes territory",
        True,
    ),
    ("chemical_weapon_attack", "acled_sub_event", "Chemical weapon", True),
    ("air_strike", "acled_sub_event", "Air/drone strike", True),
    ("suicide_bombing", "acled_sub_event", "Suicide bomb", True),
    ("shelling", "acled_sub_event", "Shelling/artillery/missile attack", True),
    ("remote_explosive", "acled_sub_event", "Remote explosive/landmine/IED", True),
    ("grenade_attack", "acled_sub_event", "Grenade", True),
    ("sexual_violence", "acled_sub_event", "Sexual violence", True),
    ("attack_on_civilians", "acled_sub_event", "Attack", True),
    ("abduction", "acled_sub_event", "Abduction/forced disappearance", True),
    ("peaceful_protest", "acled_sub_event", "Peaceful protest", True),
    ("protest_with_intervention", "acled_sub_event", "Protest with intervention", True),
    (
        "excessive_force_against_protesters",
        "acled_sub_event",
        "Excessive force against protesters",
        True,
    ),
    # The spelling of older codebooks.
    (
        "excessive_force_against_protesters",
        "acled_sub_event",
        "Excessive force against protestors",
        True,
    ),
    ("violent_demonstration", "acled_sub_event", "Violent demonstration", True),
    ("mob_violence", "acled_sub_event", "Mob violence", True),
    ("agreement", "acled_sub_event", "Agreement", True),
    ("arrests", "acled_sub_event", "Arrests", True),
    ("change_to_group_activity", "acled_sub_event", "Change to group/activity", True),
    ("disrupted_weapons_use", "acled_sub_event", "Disrupted weapons use", True),
    ("base_established", "acled_sub_event", "Headquarters or base established", True),
    ("looting", "acled_sub_event", "Looting/property destruction", True),
    (
        "non_violent_territory_transfer",
        "acled_sub_event",
        "Non-violent transfer of territory",
        True,
    ),
    ("other_development", "acled_sub_event", "Other", True),
    ("armed_clash", "acled", "Battles", False),
    ("government_regains_territory", "acled", "Battles", False),
    ("non_state_actor_overtakes_territory", "acled", "Battles", False),
    ("chemical_weapon_attack", "acled", "Explosions/Remote violence", False),
    ("air_strike", "acled", "Explosions/Remote violence", False),
    ("suicide_bombing", "acled", "Explosions/Remote violence", False),
    ("shelling", "acled", "Explosions/Remote violence", False),
    ("remote_explosive", "acled", "Explosions/Remote violence", False),
    ("grenade_attack", "acled", "Explosions/Remote violence", False),
    ("sexual_violence", "acled", "Violence against civilians", False),
    ("attack_on_civilians", "acled", "Violence against civilians", False),
    ("abduction", "acled", "Violence against civilians", False),
    ("peaceful_protest", "acled", "Protests", False),
    ("protest_with_intervention", "acled", "Protests", False),
    ("excessive_force_against_protesters", "acled", "Protests", False),
    ("violent_demonstration", "acled", "Riots", False),
    ("mob_violence", "acled", "Riots", False),
    ("agreement", "acled", "Strategic developments", False),
    ("arrests", "acled", "Strategic developments", False),
    ("change_to_group_activity", "acled", "Strategic developments", False),
    ("disrupted_weapons_use", "acled", "Strategic developments", False),
    ("base_established", "acled", "Strategic developments", False),
    ("looting", "acled", "Strategic developments", False),
    ("non_violent_territory_transfer", "acled", "Strategic developments", False),
    ("other_development", "acled", "Strategic developments", False),
    # UCDP GED type_of_violence.
    ("state_based_violence", "ucdp", "1", True),
    ("non_state_violence", "ucdp", "2", True),
    ("one_sided_violence", "ucdp", "3", True),
    ("state_based_violence", "plover", "ASSAULT", False),
    ("non_state_violence", "plover", "ASSAULT", False),
    ("one_sided_violence", "plover", "ASSAULT", False),
    # PLOVER's 16 types, each with the type a PLOVER record gets.
    ("consultation", "plover", "CONSULT", True),
    ("expression_of_support", "plover", "SUPPORT", True),
    ("concession", "plover", "CONCEDE", True),
    ("cooperation", "plover", "COOPERATE", True),
    ("aid", "plover", "AID", True),
    ("retreat", "plover", "RETREAT", True),
    ("request", "plover", "REQUEST", True),
    ("accusation", "plover", "ACCUSE", True),
    ("rejection", "plover", "REJECT", True),
    ("threat", "plover", "THREATEN", True),
    ("protest", "plover", "PROTEST", True),
    ("mobilization", "plover", "MOBILIZE", True),
    ("coercion", "plover", "COERCE", True),
    ("assault", "plover", "ASSAULT", True),
    ("armed_clash", "plover", "ASSAULT", False),
    ("air_strike", "plover", "ASSAULT", False),
    ("shelling", "plover", "ASSAULT", False),
    ("peaceful_protest", "plover", "PROTEST", False),
    ("arrests", "plover", "COERCE", False),
]

# Rows of the first schema that become the preferred type of their code.
EXISTING_PREFERRED: list[tuple[str, str, str]] = [
    ("agreement", "plover", "AGREE"),
    ("sanctions", "plover", "SANCTION"),
]

LOCATION_PRECISIONS: list[tuple[str, str, str]] = [
    ("exact", "exact location", "The named place itself (ACLED 1, UCDP 1)."),
    ("near", "near the location", "Near the named place, within about 25 km (ACLED 2, UCDP 2)."),
    ("admin2", "second-order division", "Only the district is known (UCDP 3)."),
    ("admin1", "first-order division", "Only the province or region is known (ACLED 3, UCDP 4)."),
    ("approximate", "approximate", "Along a front, a border or a road (UCDP 5)."),
    ("country", "country", "Only the country is known (UCDP 6)."),
    ("other", "other", "International waters or airspace (UCDP 7)."),
]

CLAIM_QUOTE_TRIGGER = """
CREATE CONSTRAINT TRIGGER claim_check_quote
    AFTER INSERT OR UPDATE OF segment_id, source_id, span_start, span_end, quote ON claim
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW {when}EXECUTE FUNCTION claim_check_quote()
"""
# The grounding CHECK gives a record-grounded claim no segment, span or quote.
SPAN_GROUNDED = "WHEN (NEW.segment_id IS NOT NULL) "


def lookup_table(name: str) -> sa.TableClause:
    return sa.table(
        name, *(sa.column(column, sa.Text) for column in ("code", "label", "description"))
    )


def crosswalk_rows(rows: Sequence[tuple[str, ...]]) -> str:
    """A SQL condition matching these (event_type, scheme, scheme_code) rows; constants only."""
    values = ", ".join("('{}', '{}', '{}')".format(*row[:3]) for row in rows)
    return f"(event_type, scheme, scheme_code) IN ({values})"


def upgrade() -> None:
    # Fail fast rather than queue behind a long transaction on a busy table.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5min'")
    op.bulk_insert(
        lookup_table("event_type"),
        [{"code": c, "label": label, "description": d} for c, label, d in EVENT_TYPES],
    )
    # A constant default: PostgreSQL 11+ adds the column without rewriting the table.
    op.add_column(
        "event_type_crosswalk",
        sa.Column("preferred", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    crosswalk = sa.table(
        "event_type_crosswalk",
        sa.column("event_type", sa.Text),
        sa.column("scheme", sa.Text),
        sa.column("scheme_code", sa.Text),
        sa.column("preferred", sa.Boolean),
    )
    op.bulk_insert(
        crosswalk,
        [
            {"event_type": t, "scheme": s, "scheme_code": c, "preferred": p}
            for t, s, c, p in CROSSWALK
        ],
    )
    op.execute(
        f"UPDATE event_type_crosswalk SET preferred = true WHERE {crosswalk_rows(EXISTING_PREFERRED)}"
    )
    # The vocabulary is a few hundred rows: indexing it at once takes moments.
    op.execute(
        """
        -- squawk-ignore require-concurrent-index-creation
        CREATE UNIQUE INDEX ix_event_type_crosswalk_preferred
            ON event_type_crosswalk (scheme, scheme_code) WHERE preferred
        """
    )
    op.create_table(
        "location_precision",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("location_precision_pkey")),
    )
    op.bulk_insert(
        lookup_table("location_precision"),
        [{"code": c, "label": label, "description": d} for c, label, d in LOCATION_PRECISIONS],
    )
    op.add_column("place", sa.Column("location_precision", sa.Text(), nullable=True))
    # A new, empty column: nothing to validate, so the key is checked at once.
    op.execute(
        """
        -- squawk-ignore adding-foreign-key-constraint,constraint-missing-not-valid
        ALTER TABLE place ADD CONSTRAINT place_location_precision_fkey
            FOREIGN KEY (location_precision) REFERENCES location_precision (code)
            DEFERRABLE
        """
    )
    op.execute("DROP TRIGGER claim_check_quote ON claim")
    op.execute(CLAIM_QUOTE_TRIGGER.format(when=SPAN_GROUNDED))


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '5min'")
    op.execute("DROP TRIGGER claim_check_quote ON claim")
    op.execute(CLAIM_QUOTE_TRIGGER.format(when=""))
    op.drop_column("place", "location_precision")
    op.drop_table("location_precision")
    op.execute("DROP INDEX ix_event_type_crosswalk_preferred")
    op.execute(f"DELETE FROM event_type_crosswalk WHERE {crosswalk_rows(CROSSWALK)}")
    op.drop_column("event_type_crosswalk", "preferred")
    codes = ", ".join(f"'{code}'" for code, _, _ in EVENT_TYPES)
    op.execute(f"DELETE FROM event_type WHERE code IN ({codes})")
