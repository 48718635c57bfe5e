"""The HTTP API (`nexusdb serve`): FastAPI over the same repositories the CLI calls."""

from nexusdb.api.app import create_app

__all__ = ["create_app"]
