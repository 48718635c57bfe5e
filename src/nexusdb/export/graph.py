"""The actor graph for Gephi and networkx: actors as nodes, relationships as edges.

Node ids are actor keys and edge ids relationship keys, so a node seen in Gephi can be
looked up with `nexusdb actor KEY`. Edges come from the `relationship_graph` view.
"""

from collections.abc import Callable, Collection
from pathlib import Path

import networkx as nx
import psycopg

ACTORS = """
SELECT key, name, kind, coalesce(country_code, ''), is_anonymous FROM actor ORDER BY key
"""

RELATIONSHIPS = """
SELECT relationship_key, subject_key, object_key, type, label, is_symmetric,
       coalesce(period, ''), evidence_count
FROM relationship_graph
ORDER BY relationship_key
"""

WRITERS: dict[str, Callable[[nx.MultiDiGraph, Path], None]] = {
    "graphml": nx.write_graphml,
    "gexf": nx.write_gexf,
}


def actor_graph(url: str, *, actor_keys: Collection[str] | None = None) -> nx.MultiDiGraph:
    """Every actor and relationship, or only those among `actor_keys` when given."""
    graph = nx.MultiDiGraph()
    with psycopg.connect(url) as conn:
        for key, name, kind, country, anonymous in conn.execute(ACTORS):
            graph.add_node(key, label=name, kind=kind, country=country, anonymous=anonymous)
        for key, subject, object_, code, label, symmetric, period, evidence in conn.execute(
            RELATIONSHIPS
        ):
            graph.add_edge(
                subject,
                object_,
                key=key,
                label=label,
                relationship_type=code,
                symmetric=symmetric,
                interval=period,
                evidence_count=evidence,
            )
    if actor_keys is None:
        return graph
    return nx.MultiDiGraph(graph.subgraph(actor_keys))
