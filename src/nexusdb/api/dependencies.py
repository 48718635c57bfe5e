"""What routes ask FastAPI for: a session of the right kind (reads as the reader role,
writes in one transaction per request)."""

from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from nexusdb.api.database import ApiDatabase


def api_database(request: Request) -> ApiDatabase:
    database: ApiDatabase = request.app.state.database
    return database


async def read_session(request: Request) -> AsyncIterator[Session]:
    async for session in api_database(request).read_session():
        yield session


def write_session(request: Request) -> Iterator[Session]:
    yield from api_database(request).write_session()


ReadSession = Annotated[Session, Depends(read_session)]
WriteSession = Annotated[Session, Depends(write_session)]
