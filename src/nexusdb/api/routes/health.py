"""`GET /health`: the API is up and its database answers, at which schema revision."""

from fastapi import APIRouter
from sqlalchemy import text

from nexusdb.api.dependencies import ReadSession
from nexusdb.api.problems import PROBLEM_RESPONSES
from nexusdb.schemas.api import Health

router = APIRouter(tags=["health"])


@router.get("/health", responses=PROBLEM_RESPONSES)
def health(session: ReadSession) -> Health:
    revision = session.scalar(text("SELECT version_num FROM alembic_version"))
    return Health(status="ok", revision=revision)
