"""The README's examples work as written."""

import re

import pytest
from sqlalchemy import Engine, text

from tests.support import REPOSITORY

README = (REPOSITORY / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def test_the_quickstart_is_make_seed_then_make_test() -> None:
    quickstart = blocks("sh")[0]
    commands = [line.split("#")[0].strip() for line in quickstart.strip().splitlines()]
    assert commands == ["make seed", "make test"]


def test_the_counts_the_readme_gives_are_the_seeded_ones(seeded_engine: Engine) -> None:
    stated = re.search(
        r"(\d+)\s+actors, (\d+) events, (\d+) relationships and (\d+) claims", README
    )
    assert stated is not None
    with seeded_engine.connect() as connection:
        counted = [
            connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("actor", "event", "relationship", "claim")
        ]
    assert [int(number) for number in stated.groups()] == counted


def test_the_pandas_example_reads_the_seeded_claims(
    seeded_url: str, seeded_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nexusdb.config import get_settings

    monkeypatch.setenv("DATABASE_URL", seeded_url)
    get_settings.cache_clear()
    namespace: dict[str, object] = {}
    (example,) = blocks("python")
    exec(example, namespace)
    get_settings.cache_clear()
    claims = namespace["claims"]
    assert list(claims.columns) == ["key", "kind", "certainty", "text"]  # type: ignore[attr-defined]
    with seeded_engine.connect() as connection:
        stored = connection.execute(text("SELECT count(*) FROM claim")).scalar_one()
    assert len(claims) == stored  # type: ignore[arg-type]
    assert stored > 100
