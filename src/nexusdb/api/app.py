"""The FastAPI application: routers, problem responses, ETags, and the database it serves."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

import nexusdb
from nexusdb.api import problems
from nexusdb.api.auth import require_read
from nexusdb.api.caching import ETagMiddleware
from nexusdb.api.database import ApiDatabase
from nexusdb.api.middleware import HeadAsGet, JsonBody
from nexusdb.api.parameters import refuse_unknown_query_parameters
from nexusdb.api.routes import (
    actors,
    claims,
    events,
    health,
    relationships,
    search,
    sources,
    writes,
)
from nexusdb.config import Settings, get_settings
from nexusdb.db.engine import database_url

DESCRIPTION = """\
Actors, events, claims, sources and relationships of the nexusdb knowledge base, each fact
traced to the exact words of a source (or to a dataset record). Lists are keyset pages
(`limit`, `cursor`, `Link: rel="next"`); every error is an RFC 9457 problem; every GET
carries a strong ETag, and HEAD answers as GET without the body. See docs/api.md.
"""


def from_environment() -> FastAPI:
    """The API over nexusdb's database (`DATABASE_URL`, else the embedded server): what
    each worker process of `nexusdb serve --workers N` builds."""
    return create_app(database_url(), get_settings())


def create_app(url: str, settings: Settings | None = None) -> FastAPI:
    """The API over the database at `url` (nexusdb's `database_url()` in `nexusdb serve`)."""
    settings = settings or get_settings()
    database = ApiDatabase.connect(url, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        database.dispose()

    app = FastAPI(
        title="nexusdb",
        version=nexusdb.__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(refuse_unknown_query_parameters)],
    )
    app.state.database = database
    problems.install(app)
    app.add_middleware(ETagMiddleware)
    app.add_middleware(JsonBody)
    # Added last, so it runs first: the ETag middleware sees HEAD as the GET it is.
    app.add_middleware(HeadAsGet)
    # /health stays open for probes; the data routes need a token when reads do.
    app.include_router(health.router)
    reads = [Depends(require_read)] if settings.api_read_token_required else []
    for module in (actors, events, claims, relationships, sources, search):
        app.include_router(module.router, dependencies=reads)
    # Every write route asks for a write token itself (auth.WriteCaller).
    app.include_router(writes.router)
    return app
