"""`nexusdb seed` as a library call: read and validate everything, then sync in one transaction."""

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from nexusdb.db import migrations
from nexusdb.errors import SeedError, first_line
from nexusdb.seeding.files import load_seed_files
from nexusdb.seeding.plan import Vocabularies, build_plan
from nexusdb.seeding.sync import SyncReport, lock, sync


def seed(
    engine: Engine,
    directory: Path,
    *,
    check: bool = False,
    progress: Callable[[str], None] = lambda _: None,
) -> SyncReport | None:
    """Load `directory` into the database; with `check`, validate only and write nothing.

    Any problem raises SeedError and leaves the database as it was.
    """
    progress("reading seed files")
    files = load_seed_files(directory)
    current, head = migrations.current_revision(engine), migrations.head_revision()
    if current != head:
        raise SeedError(
            f"the database schema is at {current or 'base'}, not {head}: run `nexusdb db upgrade`"
        )
    with engine.connect() as connection, connection.begin() as transaction:
        progress("waiting for other seeders")
        lock(connection)
        progress("checking vocabularies, references and quotes")
        plan = build_plan(files, Vocabularies.load(connection))
        if check:
            transaction.rollback()
            return None
        try:
            report = sync(connection, plan, progress=progress)
            transaction.commit()
        except DBAPIError as error:
            transaction.rollback()
            reason = first_line(error.orig if error.orig else error)
            raise SeedError(
                f"{directory}: the database refused the seed, nothing was written: {reason}"
            ) from error
    return report
