"""The HTTP API's common behaviour, on the seeded article: health, pages, problems, ETags."""

import pytest
from fastapi.testclient import TestClient

from nexusdb.db import migrations

ARTICLE = "security-lense-iran-russia-nexus"


def test_health_names_the_revision(seeded_api: TestClient) -> None:
    response = seeded_api.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "revision": migrations.head_revision()}


def test_a_source_carries_its_date_to_its_precision(seeded_api: TestClient) -> None:
    body = seeded_api.get(f"/sources/{ARTICLE}").json()
    assert body["key"] == ARTICLE
    assert body["kind"] == "article"
    assert (body["published"], body["published_precision"]) == ("2024-11-21", "day")


def test_walking_the_pages_returns_every_source_once(seeded_api: TestClient) -> None:
    everything = [item["key"] for item in seeded_api.get("/sources?limit=500").json()["items"]]
    walked: list[str] = []
    response = seeded_api.get("/sources?limit=2")
    while True:
        body = response.json()
        walked += [item["key"] for item in body["items"]]
        if body["next"] is None:
            assert "link" not in response.headers
            break
        assert response.headers["link"].endswith('; rel="next"')
        next_url = response.headers["link"].split(";")[0].strip("<>")
        response = seeded_api.get(next_url)
    assert walked == everything == sorted(everything)
    assert len(everything) > 2


def test_an_unknown_key_is_a_404_problem_naming_it(seeded_api: TestClient) -> None:
    response = seeded_api.get("/sources/no-such-source")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "urn:nexusdb:problem:not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "no source with key 'no-such-source'",
        "instance": "/sources/no-such-source",
    }


@pytest.mark.parametrize(
    ("query", "status", "detail"),
    [
        ("limit=501", 422, "query parameter 'limit': Input should be less than or equal to 500"),
        ("limit=0", 422, "query parameter 'limit': Input should be greater than or equal to 1"),
        ("limit=x", 422, "query parameter 'limit': Input should be a valid integer"),
        ("cursor=%25%25", 400, "not a cursor of this listing: '%%'"),
    ],
)
def test_a_bad_parameter_is_a_problem_naming_it(
    seeded_api: TestClient, query: str, status: int, detail: str
) -> None:
    response = seeded_api.get(f"/sources?{query}")
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"].startswith(detail)


def test_an_unknown_path_is_a_problem_too(seeded_api: TestClient) -> None:
    response = seeded_api.get("/nowhere")
    assert response.status_code == 404
    assert response.json()["type"] == "urn:nexusdb:problem:not-found"


def test_a_matching_etag_gives_304_and_a_changed_answer_a_new_tag(
    seeded_api: TestClient,
) -> None:
    first = seeded_api.get("/sources?limit=1")
    tag = first.headers["etag"]
    assert tag.startswith('"')
    assert tag.endswith('"')
    again = seeded_api.get("/sources?limit=1", headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    assert again.headers["link"] == first.headers["link"]
    weak = seeded_api.get("/sources?limit=1", headers={"If-None-Match": f'"other", W/{tag}'})
    assert weak.status_code == 304
    other = seeded_api.get("/sources?limit=2", headers={"If-None-Match": tag})
    assert other.status_code == 200
    assert other.headers["etag"] != tag
