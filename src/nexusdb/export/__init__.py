"""Exports for other tools: JSONL and CSV of every table, GraphML and GEXF of the actor graph.

The sources' text may be copyrighted: every export leaves a segment's text out (NULL)
unless its source says `may_redistribute`.
"""
