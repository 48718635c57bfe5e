"""How the API takes requests, on every route: the cursors it hands out come back
whatever the rows hold (long keys, long titles); HEAD answers as GET; a query parameter
that the route does not take is refused; a body must be JSON, and its token is checked
before it is read.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from nexusdb.api.middleware import MAX_BODY_BYTES
from nexusdb.api.pages import encode_cursor
from nexusdb.models import Source
from nexusdb.repositories import SearchRepository, TokenRepository
from tests.conftest import api_client
from tests.factories import make_actor, make_claim, make_source
from tests.support import Databases, make_engine
from tests.test_api_reads import keys, problem, walk

# Keys and titles far longer than any limit a cursor had: a page that ends on one of
# them hands out a cursor that holds it.
LONG = "k" * 400
# Eleven paragraphs alike, so they rank alike and only their titles ("..., paragraph 10")
# tell them apart and order them.
TEXT = "Zanzibar notes\n\n" + "The ferry to Zanzibar left at dawn, as it does every day.\n\n" * 11
STATEMENT = "Zanzibar " + "is an island where the ferry arrives at dawn " * 20


@dataclass(frozen=True)
class Own:
    """A database of this module's own: long keys and titles, and tokens."""

    engine: Engine
    client: TestClient
    write: dict[str, str]
    read: dict[str, str]


def add_claim(session: Session, source: Source, key: str) -> None:
    """A claim with a long statement: claims of one source rank alike, so by key."""
    make_claim(session, source, key=key, quote="Zanzibar notes").text = STATEMENT
    session.flush()


def add_long_rows(session: Session, prefix: str) -> None:
    """A source with a long key and title and alike paragraphs, and claims with long keys
    and long statements, all found by the word "zanzibar"."""
    author = make_actor(session, f"{prefix}-author", kind="person")
    source = make_source(session, f"{prefix}-{LONG}", text=TEXT, author=author)
    for number in range(3):
        add_claim(session, source, f"{prefix}-{number}-{LONG}")


@pytest.fixture(scope="module")
def own(databases: Databases, template_name: str) -> Iterator[Own]:
    url = databases.create("requests", template=template_name)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        add_long_rows(session, "m")
        make_source(session, "a-first")
        make_source(session, "z-last")
        tokens = TokenRepository(session)
        write, read = (tokens.create(scope, scope)[1] for scope in ("write", "read"))
    with api_client(url) as client:
        yield Own(
            engine,
            client,
            {"Authorization": f"Bearer {write}"},
            {"Authorization": f"Bearer {read}"},
        )
    engine.dispose()


def test_a_search_cursor_holds_no_title(session: Session) -> None:
    add_long_rows(session, "m")
    repository = SearchRepository(session)
    everything = repository.search("zanzibar", limit=500).items
    walked, cursors = [], []
    page = repository.search("zanzibar", limit=1)
    for _ in everything:
        walked += page.items
        if page.next_after is None:
            break
        cursors.append(page.next_after)
        page = repository.search("zanzibar", after=page.next_after, limit=1)
    assert walked == everything
    assert len(everything) == 3 + 12
    # Rank, kind and key (and a paragraph's number), never a 400-character statement.
    assert max(len(cursor) for cursor in cursors) < len(LONG) + 60


@pytest.mark.parametrize("listing", ["/search?q=zanzibar&", "/claims?", "/sources?"])
def test_every_cursor_handed_out_is_taken_back(own: Own, listing: str) -> None:
    everything = own.client.get(f"{listing}limit=500").json()["items"]
    walked = walk(own.client, f"{listing}limit=1")
    assert walked == everything
    assert len(walked) > 2


def test_walking_a_search_returns_each_alike_paragraph_once(own: Own) -> None:
    hits = walk(own.client, "/search?q=day&limit=2")
    titles = [hit["title"] for hit in hits]
    assert len(titles) == len(set(titles)) == 11
    # Alike ranks: by title, as the database orders them ("paragraph 10" before "2").
    assert titles == sorted(titles)
    assert keys(hits) == [f"m-{LONG}"] * 11


def next_url(response: Response) -> str:
    return response.headers["link"].split(";")[0].strip("<>")


def test_a_search_walked_while_hits_are_added_returns_each_once(own: Own) -> None:
    def hits(items: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
        return [(item["kind"], item["key"], item["title"]) for item in items]

    before = hits(own.client.get("/search?q=zanzibar&limit=500").json()["items"])
    response = own.client.get("/search?q=zanzibar&limit=1")
    walked = hits(response.json()["items"])
    while walked[-1][1] != f"m-2-{LONG}":
        response = own.client.get(next_url(response))
        walked += hits(response.json()["items"])
    with Session(own.engine) as session, session.begin():
        source = session.scalars(select(Source).where(Source.key == f"m-{LONG}")).one()
        # Alike the m- claims, one sorts before them (behind the walk), one after.
        add_claim(session, source, f"a-{LONG}")
        add_claim(session, source, f"z-{LONG}")
    walked += hits(walk(own.client, next_url(response)))
    behind, ahead = ("claim", f"a-{LONG}", STATEMENT), ("claim", f"z-{LONG}", STATEMENT)
    assert behind not in walked
    assert walked.count(ahead) == 1
    assert [hit for hit in walked if hit != ahead] == before


@pytest.mark.parametrize(
    "path",
    ["/actors/iran/events?cursor=", "/actors/iran/neighbourhood?cursor=", "/search?q=x&cursor="],
)
def test_a_refused_cursor_is_quoted_shortened(seeded_api: TestClient, path: str) -> None:
    # Base64 of text that no listing's cursor looks like, and of bytes that are no text.
    for cursor, sent in [(encode_cursor("[" * 3000), "W1tb" * 1000), ("x" * 3000, "x" * 3000)]:
        response = seeded_api.get(path + cursor)
        assert response.status_code == 400
        assert response.json()["detail"] == (
            f"not a cursor of this listing: {sent[:100]!r}... ({len(sent)} characters)"
        )


# One request to every GET route (by its path in the OpenAPI), answering 200.
EVERY_GET = {
    "/health": "/health",
    "/actors": "/actors?limit=2",
    "/actors/{key}": "/actors/iran",
    "/actors/{key}/relationships": "/actors/iran/relationships?limit=2",
    "/actors/{key}/events": "/actors/iran/events?limit=2",
    "/actors/{key}/claims": "/actors/iran/claims?limit=2",
    "/actors/{key}/neighbourhood": "/actors/iran/neighbourhood?depth=1&limit=2",
    "/events": "/events?limit=2",
    "/events/{key}": "/events/western-military-aid-to-ukraine",
    "/timeline": "/timeline?limit=2",
    "/claims": "/claims?limit=2",
    "/claims/{key}": "/claims/iran-supplied-missiles-and-uavs",
    "/relationships": "/relationships?limit=2",
    "/relationships/{key}": "/relationships/iran-supplies-arms-to-russia",
    "/sources": "/sources?limit=2",
    "/sources/{key}": "/sources/security-lense-iran-russia-nexus",
    "/search": "/search?q=iran&limit=2",
}


def test_every_get_route_has_an_example(seeded_api: TestClient) -> None:
    schema = seeded_api.get("/openapi.json").json()
    assert sorted(EVERY_GET) == sorted(
        path for path in schema["paths"] if "get" in schema["paths"][path]
    )


def test_head_answers_as_get_without_the_body(seeded_api: TestClient) -> None:
    for url in [*EVERY_GET.values(), "/actors/no-such-actor", "/search", "/nowhere"]:
        got = seeded_api.get(url)
        head = seeded_api.head(url)
        assert (head.status_code, head.content) == (got.status_code, b""), url
        assert head.headers == got.headers, url
        assert int(head.headers["content-length"]) == len(got.content) > 0, url
    assert seeded_api.get("/actors?limit=2").headers["link"]


def test_head_answers_304_to_a_matching_etag(seeded_api: TestClient) -> None:
    tag = seeded_api.head("/actors/iran").headers["etag"]
    assert tag == seeded_api.get("/actors/iran").headers["etag"]
    again = seeded_api.head("/actors/iran", headers={"If-None-Match": tag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", tag)


def test_a_method_not_allowed_names_head_beside_get(seeded_api: TestClient) -> None:
    response = seeded_api.delete("/actors/iran")
    assert problem(response, 405, "method-not-allowed") == "Method Not Allowed"
    assert response.headers["allow"] == "GET, HEAD"
    assert seeded_api.head("/actors/iran").status_code == 200


def with_query(url: str, query: str) -> str:
    return f"{url}&{query}" if "?" in url else f"{url}?{query}"


@pytest.mark.parametrize("route", sorted(EVERY_GET))
def test_every_route_refuses_a_query_parameter_it_does_not_take(
    seeded_api: TestClient, route: str
) -> None:
    response = seeded_api.get(with_query(EVERY_GET[route], "actr=iran"))
    detail = problem(response, 422, "invalid-parameter")
    assert detail.startswith(
        f"query parameter 'actr': not a parameter of GET {route}, which takes: "
    )
    schema = seeded_api.get("/openapi.json").json()["paths"][route]["get"]
    takes = sorted(p["name"] for p in schema.get("parameters", []) if p["in"] == "query")
    assert detail.endswith(f"which takes: {', '.join(takes) or 'none'}")


def test_an_unknown_query_parameter_is_named_with_those_the_route_takes(
    seeded_api: TestClient,
) -> None:
    detail = problem(seeded_api.get("/events?actr=iran"), 422, "invalid-parameter")
    assert detail == (
        "query parameter 'actr': not a parameter of GET /events, which takes: actor, cursor,"
        " factuality, from, limit, place, source, type, until"
    )
    many = "&".join(f"{name}=1" for name in ["b", "a", "x" * 500, "limit"])
    detail = problem(seeded_api.get(f"/health?{many}"), 422, "invalid-parameter")
    assert detail == (
        "query parameter 'a': not a parameter of GET /health, which takes: none;"
        f" nor are {'b, limit, ' + 'x' * 90!r}... (510 characters)"
    )
    write = seeded_api.post("/claims?dry_run=true", json={})
    assert problem(write, 422, "invalid-parameter") == (
        "query parameter 'dry_run': not a parameter of POST /claims, which takes: none"
    )


# A claim body with fields missing: JSON that reaches the schema answers 422.
INCOMPLETE = b'{"key": "body-check"}'


def body_problem(own: Own, method: str, body: bytes | Iterator[bytes], **headers: str) -> Response:
    """What a write of `body` answers; nothing is written whatever it is."""
    response = own.client.request(
        method,
        "/claims" if method == "POST" else "/claims/body-check",
        content=body,
        headers=headers,
    )
    assert own.client.get("/claims/body-check").status_code == 404
    return response


@pytest.mark.parametrize("method", ["POST", "PUT"])
@pytest.mark.parametrize(
    ("content_type", "sent"),
    [
        ("text/plain", "Content-Type 'text/plain'"),
        ("application/xml", "Content-Type 'application/xml'"),
        ("text/json", "Content-Type 'text/json'"),
        (None, "no Content-Type"),
    ],
)
def test_a_body_not_sent_as_json_is_a_415(
    own: Own, method: str, content_type: str | None, sent: str
) -> None:
    headers = own.write | ({"Content-Type": content_type} if content_type else {})
    response = body_problem(own, method, INCOMPLETE, **headers)
    assert problem(response, 415, "unsupported-media-type") == (
        "a request body must be JSON, sent with Content-Type: application/json;"
        f" this one came with {sent}"
    )


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "application/x+json"]
)
def test_a_json_body_reaches_the_schema(own: Own, content_type: str) -> None:
    response = body_problem(own, "POST", INCOMPLETE, **own.write, **{"Content-Type": content_type})
    assert problem(response, 422, "invalid-parameter").startswith(
        "body field 'source': Field required"
    )


@pytest.mark.parametrize("method", ["POST", "PUT"])
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"key": ', "Expecting value at line 1, column 9"),
        (b'{\n  "key": x}', "Expecting value at line 2, column 10"),
        (
            b'{"key": "body-check",}',
            "Expecting property name enclosed in double quotes at line 1, column 22",
        ),
        (b'{"key": "\xff"}', "byte 9 is not UTF-8 (invalid start byte)"),
        (b"[" * 100_000, "it is nested too deeply to read"),
    ],
    ids=["unfinished", "two-lines", "trailing-comma", "not-utf8", "too-deep"],
)
def test_a_body_that_is_not_json_is_a_400_saying_where(
    own: Own, method: str, body: bytes, reason: str
) -> None:
    response = body_problem(own, method, body, **own.write, **{"Content-Type": "application/json"})
    detail = problem(response, 400, "invalid-json")
    assert detail == f"request body is not valid JSON: {reason}"


@pytest.mark.parametrize("method", ["POST", "PUT"])
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_the_limit_is_a_413(own: Own, method: str, chunked: bool) -> None:
    # Valid JSON, so only its size refuses it; sent in pieces, it has no Content-Length.
    body = b'{"key": "' + b"x" * MAX_BODY_BYTES + b'"}'
    piece = 1 << 20
    sent = iter([body[at : at + piece] for at in range(0, len(body), piece)]) if chunked else body
    response = body_problem(own, method, sent, **own.write, **{"Content-Type": "application/json"})
    assert problem(response, 413, "too-large") == (
        f"a request body holds at most {MAX_BODY_BYTES:,} bytes; this one is larger"
    )


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"key": ', "application/json"),
        (b'{"key": "\xff"}', "application/json"),
        (INCOMPLETE, "text/plain"),
    ],
)
def test_a_bodys_token_is_checked_before_the_body(own: Own, body: bytes, content_type: str) -> None:
    without = body_problem(own, "POST", body, **{"Content-Type": content_type})
    assert problem(without, 401, "unauthorized").startswith("this needs a bearer token")
    reader = body_problem(own, "PUT", body, **own.read, **{"Content-Type": content_type})
    assert "writes need a write token" in problem(reader, 403, "forbidden")


def test_a_neighbourhoods_types_are_bounded(seeded_api: TestClient) -> None:
    # Each code as long as any filter code, and no more of them than a vocabulary needs:
    # a 3,000-character type was quoted whole in the problem.
    url = "/actors/iran/neighbourhood?type="
    assert problem(seeded_api.get(url + "x" * 3000), 422, "invalid-parameter") == (
        "query parameter 'type.0': String should have at most 100 characters"
    )
    many = "&type=".join(["sponsors"] * 51)
    assert problem(seeded_api.get(url + many), 422, "invalid-parameter") == (
        "query parameter 'type': List should have at most 50 items after validation, not 51"
    )
