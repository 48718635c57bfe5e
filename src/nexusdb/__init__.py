"""nexusdb: a PostgreSQL knowledge base for geopolitical research."""

__version__ = "0.1.0"
