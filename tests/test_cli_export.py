"""`nexusdb export`: files other tools open, holding what the database holds, minus
the text that may not be redistributed."""

import csv
import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import networkx as nx
import psycopg
import pytest

from nexusdb.db.stats import row_counts
from nexusdb.models import PRIVATE_TABLES
from tests.cli_support import invoke, scalar
from tests.support import SEEDS


@pytest.mark.parametrize(("fmt", "read"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_has_every_actor_and_relationship(
    seeded: str, tmp_path: Path, fmt: str, read: object
) -> None:
    out = tmp_path / f"nexus.{fmt}"
    result = invoke("export", "--format", fmt, "--out", str(out))
    assert result.exit_code == 0
    graph = read(out)  # type: ignore[operator]
    assert graph.number_of_nodes() == scalar(seeded, "SELECT count(*) FROM actor")
    assert graph.number_of_edges() == scalar(seeded, "SELECT count(*) FROM relationship")
    assert graph.nodes["iran"]["kind"] == "state"
    assert graph.nodes["iran"]["country"] == "IRN"


def test_graphml_edges_carry_type_interval_and_evidence(seeded: str, tmp_path: Path) -> None:
    out = tmp_path / "nexus.graphml"
    invoke("export", "--format", "graphml", "--out", str(out))
    graph = nx.read_graphml(out)
    edges = [data for _, _, data in graph.edges("iran", data=True)]
    supply = next(edge for edge in edges if edge["relationship_type"] == "supplies_arms_to")
    assert supply["evidence_count"] >= 1
    assert supply["interval"]


def test_subgraph_is_the_neighbourhood(seeded: str, tmp_path: Path) -> None:
    out = tmp_path / "hezbollah.graphml"
    result = invoke(
        "export", "-f", "graphml", "-o", str(out), "--actor", "Hizbullah", "--depth", "1"
    )
    assert result.exit_code == 0
    graph = nx.read_graphml(out)
    expected = scalar(seeded, "SELECT count(*) FROM actor_neighbourhood('hezbollah', 1)")
    assert graph.number_of_nodes() == expected
    assert "iran" in graph


def test_jsonl_holds_every_row_without_withheld_text(seeded: str, tmp_path: Path) -> None:
    out = tmp_path / "nexus.jsonl"
    result = invoke("export", "--format", "jsonl", "--out", str(out))
    assert result.exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert Counter(record["table"] for record in records) == {
        table: count for table, count in row_counts(seeded).items() if count
    }
    assert records[0] == {
        "table": "alembic_version",
        "row": {"version_num": scalar(seeded, "SELECT version_num FROM alembic_version")},
    }
    segments = [record["row"] for record in records if record["table"] == "source_segment"]
    restricted = scalar(
        seeded,
        "SELECT count(*) FROM source_segment seg JOIN source s ON s.id = seg.source_id"
        " WHERE NOT s.may_redistribute",
    )
    assert restricted
    assert sum(segment["text"] is None for segment in segments) == restricted
    assert all("search_vector" not in segment for segment in segments)


def test_jsonl_tables_come_parents_first(seeded: str, tmp_path: Path) -> None:
    out = tmp_path / "nexus.jsonl"
    invoke("export", "--format", "jsonl", "--out", str(out))
    order = list(dict.fromkeys(json.loads(line)["table"] for line in out.open(encoding="utf-8")))
    assert order.index("actor_kind") < order.index("actor") < order.index("actor_alias")
    assert order.index("claim") < order.index("event_evidence")


def test_csv_writes_one_file_per_table(seeded: str, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    result = invoke("export", "--format", "csv", "--out", str(out))
    assert result.exit_code == 0
    counts = row_counts(seeded)
    assert {path.stem for path in out.glob("*.csv")} == set(counts) - set(PRIVATE_TABLES)
    with (out / "actor.csv").open(encoding="utf-8", newline="") as actors:
        assert len(list(csv.DictReader(actors))) == counts["actor"]
    with (out / "source_segment.csv").open(encoding="utf-8", newline="") as segments:
        assert "search_vector" not in next(csv.reader(segments))


def test_jsonl_subgraph_holds_the_neighbourhood_and_the_relationships_among_it(
    seeded: str, tmp_path: Path
) -> None:
    out = tmp_path / "hezbollah.jsonl"
    result = invoke("export", "-f", "jsonl", "-o", str(out), "--actor", "hezbollah", "-d", "1")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in out.open(encoding="utf-8")]
    actors = {record["row"]["key"] for record in records if record["table"] == "actor"}
    with psycopg.connect(seeded) as conn:
        neighbourhood = {
            key
            for (key,) in conn.execute("SELECT actor_key FROM actor_neighbourhood('hezbollah', 1)")
        }
        inside = conn.execute(
            "SELECT count(*) FROM relationship r"
            " JOIN actor s ON s.id = r.subject_id JOIN actor o ON o.id = r.object_id"
            " WHERE s.key = ANY(%(keys)s) AND o.key = ANY(%(keys)s)",
            {"keys": list(neighbourhood)},
        ).fetchone()
    assert actors == neighbourhood
    assert inside is not None
    assert sum(record["table"] == "relationship" for record in records) == inside[0]
    assert {record["table"] for record in records} == {"actor", "relationship"}


def test_csv_subgraph_writes_the_actor_and_relationship_files(seeded: str, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    result = invoke("export", "-f", "csv", "-o", str(out), "--actor", "iran", "-d", "1")
    assert result.exit_code == 0, result.stderr
    assert sorted(path.name for path in out.glob("*.csv")) == ["actor.csv", "relationship.csv"]
    with (out / "actor.csv").open(encoding="utf-8", newline="") as actors:
        keys = {row["key"] for row in csv.DictReader(actors)}
    neighbourhood = scalar(
        seeded, "SELECT array_agg(actor_key) FROM actor_neighbourhood('iran', 1)"
    )
    assert isinstance(neighbourhood, list)
    assert keys == set(neighbourhood)
    assert "iran" in keys


def test_missing_directory_is_one_line(seeded: str, tmp_path: Path) -> None:
    result = invoke("export", "-f", "gexf", "-o", str(tmp_path / "no" / "x.gexf"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write")


def _eight_word_sequences(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 8]) for i in range(len(words) - 7)}


def test_withheld_quotes_keep_span_length_and_hash_but_no_words(
    seeded: str, tmp_path: Path
) -> None:
    """The article may not be redistributed: its quotes leave, and what a holder of the
    text needs to check each claim stays."""
    shared, withheld = tmp_path / "shared.jsonl", tmp_path / "withheld.jsonl"
    assert invoke("export", "--format", "jsonl", "--out", str(shared)).exit_code == 0
    result = invoke("export", "--format", "jsonl", "--out", str(withheld), "--withhold-quotes")
    assert result.exit_code == 0
    claims = [
        line["row"]
        for line in map(json.loads, withheld.read_text(encoding="utf-8").splitlines())
        if line["table"] == "claim"
    ]
    quoted = [claim for claim in claims if claim["span_start"] is not None]
    assert len(quoted) == scalar(seeded, "SELECT count(*) FROM claim WHERE quote IS NOT NULL")
    article = (SEEDS / "000_5e7efc4d26c7660b.txt").read_text(encoding="utf-8")
    for claim in quoted:
        assert claim["quote"] is None
        quote = scalar(seeded, f"SELECT quote FROM claim WHERE key = '{claim['key']}'")
        assert claim["quote_length"] == len(quote) == claim["span_end"] - claim["span_start"]
        assert claim["quote_sha256"] == hashlib.sha256(quote.encode()).hexdigest()
        assert quote in article
    sequences = _eight_word_sequences(article)

    def shared_share(path: Path) -> float:
        found = _eight_word_sequences(path.read_text(encoding="utf-8"))
        return len(sequences & found) / len(sequences)

    # The quotes alone carry half the article; what stays is the curators' paraphrases.
    assert shared_share(shared) > 0.5
    assert shared_share(withheld) < 0.1
