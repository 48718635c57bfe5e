"""Migrations beyond pytest-alembic's round trips: offline SQL, and what autogenerate cannot see."""

import itertools

from sqlalchemy import Engine, text

from nexusdb.db import migrations
from tests.support import Databases, make_engine


def test_history_is_one_line_of_revisions() -> None:
    revisions = migrations.history()
    assert revisions[0].down_revision is None
    for previous, revision in itertools.pairwise(revisions):
        assert revision.down_revision == previous.revision
    assert [revision.is_head for revision in revisions][-1]
    assert migrations.head_revision() == revisions[-1].revision


def test_every_revision_writes_offline_sql() -> None:
    for revision in migrations.history():
        sql = migrations.offline_sql(revision.down_revision, revision.revision)
        assert sql.rstrip().endswith("COMMIT;")
        assert f"'{revision.revision}'" in sql  # the alembic_version bookkeeping


def test_the_first_revision_creates_the_rules_models_cannot_declare(shared_engine: Engine) -> None:
    with shared_engine.connect() as connection:
        constraints = set(
            connection.execute(
                text("SELECT conname FROM pg_constraint WHERE contype = 'x'")
            ).scalars()
        )
        triggers = set(
            connection.execute(
                text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            ).scalars()
        )
        extensions = set(connection.execute(text("SELECT extname FROM pg_extension")).scalars())
    assert "relationship_no_overlap_excl" in constraints
    assert {
        "claim_check_quote",
        "source_segment_check_quotes",
        "relationship_check_canonical",
    } <= triggers
    assert {"btree_gist", "pg_trgm", "unaccent"} <= extensions


def test_vocabularies_are_filled_by_the_migration(shared_engine: Engine) -> None:
    with shared_engine.connect() as connection:
        precisions = (
            connection.execute(text("SELECT code FROM date_precision ORDER BY code"))
            .scalars()
            .all()
        )
        symmetric = (
            connection.execute(
                text("SELECT code FROM relationship_type WHERE is_symmetric ORDER BY code")
            )
            .scalars()
            .all()
        )
        unknown_last = (
            connection.execute(text("SELECT code FROM credibility ORDER BY rank NULLS LAST, code"))
            .scalars()
            .all()
        )
    assert precisions == ["century", "day", "decade", "month", "year"]
    assert symmetric == ["allied_with", "at_war_with", "cooperates_with", "rival_of"]
    assert unknown_last == ["1", "2", "3", "4", "5", "6"]


def test_downgrade_to_base_leaves_nothing_behind(databases: Databases) -> None:
    engine = make_engine(databases.create("downgrade"))
    migrations.upgrade(engine)
    migrations.downgrade(engine, "base")
    with engine.connect() as connection:
        tables = (
            connection.execute(
                text(
                    "SELECT table_name FROM information_schema.tables"
                    " WHERE table_schema = 'public' ORDER BY table_name"
                )
            )
            .scalars()
            .all()
        )
        functions = (
            connection.execute(
                text(
                    "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                    " WHERE n.nspname = 'public'"
                )
            )
            .scalars()
            .all()
        )
    engine.dispose()
    assert tables == ["alembic_version"]
    assert functions == []


def test_read_summaries_are_backfilled_from_existing_rows(databases: Databases) -> None:
    engine = make_engine(databases.create("backfill"))
    (revision,) = [r for r in migrations.history() if r.revision == "81c91680397b"]
    assert revision.down_revision is not None
    migrations.upgrade(engine, str(revision.down_revision))
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO actor (key, kind, name)"
                " VALUES ('a', 'state', 'A'), ('b', 'state', 'B');"
                "INSERT INTO relationship (key, subject_id, relationship_type, object_id)"
                " SELECT 'a-opposes-b', a.id, 'opposes', b.id FROM actor a, actor b"
                " WHERE a.key = 'a' AND b.key = 'b'"
            )
        )
    migrations.upgrade(engine)
    with engine.connect() as connection:
        counts = connection.execute(
            text(
                "SELECT a.key, c.facet, c.category, c.n FROM actor_count c"
                " JOIN actor a ON a.id = c.actor_id ORDER BY a.key"
            )
        ).all()
        adjacency = connection.execute(
            text(
                "SELECT a.key, n.key, adj.relationship_count, adj.weight FROM actor_adjacency adj"
                " JOIN actor a ON a.id = adj.actor_id JOIN actor n ON n.id = adj.neighbour_id"
                " ORDER BY a.key"
            )
        ).all()
    engine.dispose()
    assert [tuple(row) for row in counts] == [
        ("a", "relationship_type", "opposes", 1),
        ("b", "relationship_type", "opposes", 1),
    ]
    assert [tuple(row) for row in adjacency] == [("a", "b", 1, 0), ("b", "a", 1, 0)]
