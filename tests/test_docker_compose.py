"""docker-compose.yml cannot run here (no Docker engine), so its structure is checked instead."""

from ruamel.yaml import YAML

from nexusdb.db.engine import sqlalchemy_url
from tests.support import REPOSITORY


def load_compose() -> dict:  # type: ignore[type-arg]
    return YAML(typ="safe").load((REPOSITORY / "docker-compose.yml").read_text())


def test_postgres_service_uses_the_official_image_with_a_named_volume() -> None:
    compose = load_compose()
    service = compose["services"]["postgres"]
    assert service["image"].startswith("postgres:")
    assert int(service["image"].split(":")[1]) >= 15
    volume_name = service["volumes"][0].split(":")[0]
    assert volume_name in compose["volumes"]


def test_healthcheck_asks_pg_isready_for_the_database() -> None:
    service = load_compose()["services"]["postgres"]
    assert "pg_isready" in " ".join(service["healthcheck"]["test"])
    assert service["healthcheck"]["retries"] > 0


def test_readme_gives_the_database_url_that_matches_the_service() -> None:
    service = load_compose()["services"]["postgres"]
    env = service["environment"]
    host_port = service["ports"][0].split(":")[0]
    url = f"postgresql://{env['POSTGRES_USER']}:{env['POSTGRES_PASSWORD']}@localhost:{host_port}/{env['POSTGRES_DB']}"
    assert url in (REPOSITORY / "README.md").read_text()
    assert sqlalchemy_url(url).startswith("postgresql+psycopg://")
