"""Grounded writes over HTTP: tokens and scopes, the seeder's checks, one transaction per
request (the database unchanged after every refusal), safe retries, origin 'api', and
rows a reseed leaves alone.

One seeded database for the module: each test writes rows of its own keys, and a
refusal is checked against a snapshot taken just before it.
"""

import re
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from nexusdb.api import create_app
from nexusdb.config import Settings
from nexusdb.grounding import split_segments
from nexusdb.repositories import TokenRepository
from nexusdb.seeding.loader import seed
from tests.conftest import api_client
from tests.support import SEEDS, Databases, make_engine, snapshot

ARTICLE = "security-lense-iran-russia-nexus"
QUOTE = "Iran provided its prestigious ballistic missiles"
TEXT = (
    "Field notes\n"
    "\n"
    "Drones launched from the south struck a depot near the river crossing on Tuesday,"
    " according to two residents who spoke to our reporter after the attack ended.\n"
    "  Officials did not confirm the strike, and said that an inquiry would decide within"
    " a month whether the depot had held any weapons at all, or only grain.  \n"
    "The depot held grain.\n"
)


@dataclass(frozen=True)
class World:
    url: str
    engine: Engine
    client: TestClient
    write: dict[str, str]
    read: dict[str, str]
    revoked: dict[str, str]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def world(databases: Databases, template_name: str) -> Iterator[World]:
    url = databases.create("writes", template=template_name)
    engine = make_engine(url)
    seed(engine, SEEDS)
    with Session(engine) as session, session.begin():
        tokens = TokenRepository(session)
        write = tokens.create("writer", "write")[1]
        read = tokens.create("reader", "read")[1]
        revoked = tokens.create("gone", "write")[1]
        tokens.revoke("gone")
    with api_client(url) as client:
        yield World(url, engine, client, _bearer(write), _bearer(read), _bearer(revoked))
    engine.dispose()


def scalar(engine: Engine, query: str, **parameters: Any) -> Any:
    with engine.connect() as connection:
        return connection.execute(text(query), parameters).scalar()


def refused(world: World, method: str, path: str, body: Any, **headers: str) -> Response:
    """A request that must be refused: the database is the same after it."""
    before = snapshot(world.engine)
    response = world.client.request(method, path, json=body, headers={**world.write, **headers})
    assert response.status_code >= 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert snapshot(world.engine) == before
    assert_in_api_terms(response, sent=f"{body} {headers}")
    return response


# What only PostgreSQL knows: its constraints and their text (`Key (id)=(...)`), and the
# rows' uuids (a uuid the client sent, such as an Idempotency-Key, is its own words).
INTERNALS = re.compile(r"Key \(|constraint|_pkey|_excl|_key\b")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def assert_in_api_terms(response: Response, *, sent: str) -> None:
    """A refusal says what is wrong in the API's words: keys and fields."""
    detail = response.json()["detail"]
    assert INTERNALS.search(detail) is None, detail
    assert all(uuid in sent for uuid in UUID.findall(detail)), detail


def new_key(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def claim_body(key: str, **fields: Any) -> dict[str, Any]:
    return {
        "key": key,
        "source": ARTICLE,
        "kind": "fact",
        "certainty": "asserted",
        "text": "Iran supplied Russia with ballistic missiles.",
        "quote": QUOTE,
        "about": ["iran", "russia"],
    } | fields


def post(world: World, path: str, body: dict[str, Any], **headers: str) -> Response:
    return world.client.post(path, json=body, headers={**world.write, **headers})


# -- tokens --------------------------------------------------------------------------------


def test_a_write_without_a_token_is_a_401_with_a_bearer_challenge(world: World) -> None:
    before = snapshot(world.engine)
    response = world.client.post("/claims", json=claim_body(new_key("no-token")))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["type"] == "urn:nexusdb:problem:unauthorized"
    assert response.json()["detail"].startswith("this needs a bearer token")
    assert snapshot(world.engine) == before


@pytest.mark.parametrize(
    ("token", "status", "challenge", "detail"),
    [
        ("unknown", 401, 'Bearer error="invalid_token"', "the bearer token is not one of"),
        ("revoked", 401, 'Bearer error="invalid_token"', "the token 'gone' was revoked at 20"),
        (
            "read",
            403,
            'Bearer error="insufficient_scope", scope="write"',
            "the token 'reader' has scope 'read'; writes need a write token",
        ),
    ],
)
def test_a_write_needs_a_live_write_token(
    world: World, token: str, status: int, challenge: str, detail: str
) -> None:
    headers = {
        "unknown": _bearer("nxdb_" + "x" * 43),
        "revoked": world.revoked,
        "read": world.read,
    }[token]
    before = snapshot(world.engine)
    response = world.client.post("/claims", json=claim_body(new_key("scope")), headers=headers)
    assert response.status_code == status
    assert response.headers["www-authenticate"] == challenge
    assert response.json()["detail"].startswith(detail)
    assert snapshot(world.engine) == before


def test_reads_are_open_unless_the_setting_asks_for_a_token(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert world.client.get(f"/sources/{ARTICLE}").status_code == 200
    monkeypatch.setenv("NEXUSDB_API_READ_TOKEN_REQUIRED", "true")
    assert Settings().api_read_token_required is True
    with TestClient(create_app(world.url, Settings()), raise_server_exceptions=False) as closed:
        anonymous = closed.get(f"/sources/{ARTICLE}")
        assert anonymous.status_code == 401
        assert anonymous.headers["www-authenticate"] == "Bearer"
        assert closed.get("/sources", headers=world.revoked).status_code == 401
        assert closed.get(f"/sources/{ARTICLE}", headers=world.read).status_code == 200
        assert closed.get(f"/sources/{ARTICLE}", headers=world.write).status_code == 200
        assert closed.get("/health").status_code == 200


# -- sources -------------------------------------------------------------------------------


def test_a_source_is_segmented_as_the_seeder_segments_its_files(world: World) -> None:
    key = new_key("field-notes")
    body = {
        "key": key,
        "kind": "news_report",
        "title": "Field notes",
        "published": "2024-11",
        "reliability": "C",
        "authors": ["asif-aziz"],
        "text": TEXT,
    }
    response = post(world, "/sources", body)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/sources/{key}"
    expected = split_segments(TEXT)
    assert response.json() == {
        "kind": "source",
        "key": key,
        "origin": "api",
        "created": True,
        "location": f"/sources/{key}",
        "rows": {"source": 1, "source_segment": len(expected), "source_author": 1},
    }
    with world.engine.connect() as connection:
        stored = connection.execute(
            text(
                "SELECT g.ordinal, g.kind, g.start_offset, g.end_offset, g.text"
                " FROM source_segment g JOIN source s ON s.id = g.source_id"
                " WHERE s.key = :key ORDER BY g.ordinal"
            ),
            {"key": key},
        ).all()
    assert [tuple(row) for row in stored] == [
        (s.ordinal, s.kind, s.start, s.end, s.text) for s in expected
    ]
    assert [s.kind for s in expected] == ["heading", "paragraph", "paragraph", "heading"]
    assert scalar(world.engine, "SELECT origin FROM source WHERE key = :k", k=key) == "api"
    shown = world.client.get(f"/sources/{key}").json()
    assert (shown["published"], shown["published_precision"]) == ("2024-11", "month")


@pytest.mark.parametrize(
    ("change", "status", "problem", "detail"),
    [
        (
            {"kind": "blog"},
            422,
            "unknown-code",
            "field 'kind': unknown source kind 'blog' (known: article, background, book,",
        ),
        ({"authors": ["nobody"]}, 422, "unknown-key", "field 'authors[0]': unknown actor key"),
        (
            {"authors": ["asif-aziz", "asif-aziz"]},
            422,
            "invalid-record",
            "field 'authors[1]': actor 'asif-aziz' is listed twice",
        ),
        ({"published": "2024-13"}, 422, "invalid-parameter", "body field 'published'"),
        ({"key": ARTICLE}, 409, "key-exists", "a source with this key exists already"),
        ({"colour": "red"}, 422, "invalid-parameter", "body field 'colour': Extra inputs"),
    ],
)
def test_a_bad_source_is_a_problem_and_writes_nothing(
    world: World, change: dict[str, Any], status: int, problem: str, detail: str
) -> None:
    body = {"key": new_key("bad-source"), "kind": "article", "title": "T", "text": TEXT}
    response = refused(world, "POST", "/sources", body | change)
    assert response.status_code == status
    assert response.json()["type"] == f"urn:nexusdb:problem:{problem}"
    assert detail in response.json()["detail"]


# -- claims --------------------------------------------------------------------------------


def test_a_quoted_claim_is_located_in_its_source(world: World) -> None:
    key = new_key("api-claim")
    response = post(world, "/claims", claim_body(key))
    assert response.status_code == 201, response.text
    assert response.json()["rows"] == {"claim": 1, "claim_actor": 2}
    with world.engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT c.origin, c.quote, substr(g.text, c.span_start - g.start_offset + 1,"
                " c.span_end - c.span_start), a.key FROM claim c"
                " JOIN source_segment g ON g.id = c.segment_id"
                " JOIN actor a ON a.id = c.claimant_id WHERE c.key = :key"
            ),
            {"key": key},
        ).one()
    # The claimant defaults to the source's first author, as in the seed.
    assert tuple(row) == ("api", QUOTE, QUOTE, "asif-aziz")


def test_a_claim_on_a_source_written_over_the_api(world: World) -> None:
    source = new_key("notes")
    post(world, "/sources", {"key": source, "kind": "article", "title": "N", "text": TEXT})
    body = claim_body(new_key("depot"), source=source, quote="The depot held grain.", about=[])
    body["claimant"] = "iran"
    assert post(world, "/claims", body).status_code == 201
    start = TEXT.index("The depot held grain.")
    spans = scalar(world.engine, "SELECT span_start FROM claim WHERE key = :key", key=body["key"])
    assert spans == start


def test_a_quote_not_in_its_source_shows_the_nearest_passage(world: World) -> None:
    body = claim_body(new_key("misquote"), quote="Iran provided its prestigeous ballistic missiles")
    response = refused(world, "POST", "/claims", body)
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "urn:nexusdb:problem:quote-not-found"
    assert problem["detail"].startswith(
        f"claim '{body['key']}': field 'quote': quote not found in the source;"
        " nearest passage in paragraph"
    )
    assert (
        "'Iran provided its prestigious ballistic missiles'; first difference at character 26:"
        " quote has 'e', source has 'i'"
    ) in problem["detail"]
    assert problem["instance"] == "/claims"


@pytest.mark.parametrize(
    ("change", "problem", "detail"),
    [
        (
            {"certainty": "sure"},
            "unknown-code",
            "field 'certainty': unknown certainty 'sure' (known: asserted, possible, probable,"
            " speculative)",
        ),
        ({"quote": "that"}, "quote-not-found", "field 'quote': quote occurs"),
        ({"claimant": "atlantis"}, "unknown-key", "field 'claimant': unknown actor key 'atlantis'"),
        (
            {"source": "times-of-israel-report"},
            "no-text",
            "source 'times-of-israel-report' has no text to quote from",
        ),
        (
            {"record_id": "r-1"},
            "invalid-parameter",
            "a claim is grounded by a quote or by a record_id, exactly one",
        ),
        ({"key": "Not A Key"}, "invalid-parameter", "body field 'key': String should match"),
        (
            {"text": "Iran\x00"},
            "refused-by-database",
            "refused by the database: PostgreSQL text fields cannot contain NUL (0x00) bytes",
        ),
    ],
)
def test_a_bad_claim_is_a_problem_and_writes_nothing(
    world: World, change: dict[str, Any], problem: str, detail: str
) -> None:
    response = refused(world, "POST", "/claims", claim_body(new_key("bad-claim")) | change)
    assert response.status_code == 422
    assert response.json()["type"] == f"urn:nexusdb:problem:{problem}"
    assert detail in response.json()["detail"]


def source_of(world: World, kind: str, text: str | None) -> str:
    key = new_key(kind.replace("_", "-"))
    body = {"key": key, "kind": kind, "title": "S", "authors": ["asif-aziz"], "text": text}
    assert post(world, "/sources", body).status_code == 201
    return key


def test_a_claim_grounded_by_a_dataset_record(world: World) -> None:
    key = new_key("record-claim")
    release = source_of(world, "dataset", None)
    body = claim_body(key, source=release, quote=None, record_id="UKR1234", record_field="notes")
    body["record_data"] = {"fatalities": 3}
    assert post(world, "/claims", body).status_code == 201
    with world.engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT record_id, record_field, record_data, segment_id, origin"
                " FROM claim WHERE key = :key"
            ),
            {"key": key},
        ).one()
    assert tuple(row) == ("UKR1234", "notes", {"fatalities": 3}, None, "api")


@pytest.mark.parametrize(
    ("kind", "text", "grounding", "problem", "allows"),
    [
        (
            "news_report",
            TEXT,
            {"record_id": "x"},
            "not-a-dataset",
            "is a news_report, not a dataset: it has no records; its claims quote its text"
            " ('quote')",
        ),
        (
            "news_report",
            None,
            {"record_id": "x"},
            "not-a-dataset",
            "is a news_report, not a dataset: it has no records; it grounds no claim until its"
            " text is added",
        ),
        (
            "dataset",
            None,
            {"quote": "The depot held grain."},
            "no-text",
            "has no text to quote from; its claims rest on a dataset record ('record_id')",
        ),
    ],
)
def test_a_claim_is_grounded_only_as_its_source_allows(
    world: World,
    kind: str,
    text: str | None,
    grounding: dict[str, str],
    problem: str,
    allows: str,
) -> None:
    """A record grounds only a dataset's claims, a quote only those of a source with text:
    a record id cannot stand in for the words of a report."""
    source = source_of(world, kind, text)
    body = claim_body(new_key("grounded-as-allowed"), source=source, quote=None) | grounding
    response = refused(world, "POST", "/claims", body)
    assert response.status_code == 422
    assert response.json()["type"] == f"urn:nexusdb:problem:{problem}"
    assert response.json()["detail"] == (
        f"claim {body['key']!r}: field 'source': source {source!r} {allows}"
    )


# -- events and relationships --------------------------------------------------------------


def event_body(key: str, evidence: list[Any], **fields: Any) -> dict[str, Any]:
    return {
        "key": key,
        "type": "arms_transfer",
        "title": "Iran ships drones to Russia",
        "start": "2022-08",
        "factuality": "occurred",
        "evidence": evidence,
        "participants": [
            {"actor": "iran", "role": "initiator", "evidence": evidence},
            {"actor": "russia", "role": "target", "evidence": evidence},
        ],
    } | fields


def test_an_event_rests_on_the_claims_it_names(world: World) -> None:
    claim = new_key("event-claim")
    post(world, "/claims", claim_body(claim))
    key = new_key("api-event")
    response = post(world, "/events", event_body(key, [claim, "iran-supplied-missiles-and-uavs"]))
    assert response.status_code == 201, response.text
    assert response.json()["rows"] == {
        "event": 1,
        "event_evidence": 2,
        "event_participant": 2,
        "event_participant_evidence": 4,
    }
    with world.engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT e.origin, e.start_date::text, e.start_precision, e.date_basis,"
                " array_agg(c.key ORDER BY c.key) FROM event e"
                " JOIN event_evidence v ON v.event_id = e.id JOIN claim c ON c.id = v.claim_id"
                " WHERE e.key = :key GROUP BY 1, 2, 3, 4"
            ),
            {"key": key},
        ).one()
    assert tuple(row) == (
        "api",
        "2022-08-01",
        "month",
        "source_text",
        sorted([claim, "iran-supplied-missiles-and-uavs"]),
    )
    assert scalar(world.engine, "SELECT count(*) FROM unsupported_fact") == 0


@pytest.mark.parametrize(
    ("change", "problem", "detail"),
    [
        ({"evidence": []}, "invalid-parameter", "body field 'evidence': List should have at least"),
        ({"evidence": ["no-such-claim"]}, "unknown-key", "unknown claim key 'no-such-claim'"),
        # A claim that disputes or qualifies an event is no evidence that it happened.
        *(
            (
                {"evidence": [{"claim": "iran-supplied-missiles-and-uavs", "stance": stance}]},
                "no-evidence",
                "field 'evidence': no claim supports it (stance 'supports')",
            )
            for stance in ("disputes", "qualifies")
        ),
        # Nor is it evidence that an actor took part.
        (
            {
                "participants": [
                    {
                        "actor": "iran",
                        "role": "initiator",
                        "evidence": [
                            {"claim": "iran-supplied-missiles-and-uavs", "stance": "qualifies"}
                        ],
                    }
                ]
            },
            "no-evidence",
            "field 'participants[0].evidence': no claim supports it (stance 'supports')",
        ),
        ({"type": "party"}, "unknown-code", "field 'type': unknown event type 'party' (known: "),
        (
            {"start": "2025-01"},
            "invalid-record",
            "2025-01 is after 'security-lense-iran-russia-nexus' was published (2024-11-21)",
        ),
        ({"parent": "no-such-event"}, "unknown-key", "unknown event key 'no-such-event'"),
        (
            {"parent": "us-presidential-election-2024"},
            "invalid-record",
            "does not lie within parent 'us-presidential-election-2024'",
        ),
    ],
)
def test_a_bad_event_is_a_problem_and_writes_nothing(
    world: World, change: dict[str, Any], problem: str, detail: str
) -> None:
    body = event_body(new_key("bad-event"), ["iran-supplied-missiles-and-uavs"]) | change
    response = refused(world, "POST", "/events", body)
    assert response.status_code == 422
    assert response.json()["type"] == f"urn:nexusdb:problem:{problem}"
    assert detail in response.json()["detail"]


def relationship_body(key: str, **fields: Any) -> dict[str, Any]:
    return {
        "key": key,
        "subject": "iran",
        "type": "cooperates_with",
        "object": "hamas",
        "start": "2023",
        "certainty": "possible",
        "evidence": ["hard-line-not-as-easy"],
    } | fields


def test_a_relationship_no_surer_than_its_claims(world: World) -> None:
    key = new_key("api-relationship")
    response = post(world, "/relationships", relationship_body(key))
    assert response.status_code == 201, response.text
    assert scalar(world.engine, "SELECT count(*) FROM overstated_relationship") == 0
    stored = scalar(
        world.engine, "SELECT certainty || ' ' || origin FROM relationship WHERE key = :k", k=key
    )
    assert stored == "possible api"


@pytest.mark.parametrize(
    ("change", "status", "problem", "detail"),
    [
        (
            {"certainty": "asserted"},
            422,
            "overstated",
            "'asserted' is stronger than the strongest claim it cites ('possible':"
            " 'hard-line-not-as-easy')",
        ),
        (
            {"evidence": [{"claim": "hard-line-not-as-easy", "stance": "disputes"}]},
            422,
            "no-evidence",
            "no claim supports it",
        ),
        ({"object": "iran"}, 422, "invalid-parameter", "a relationship needs two different"),
        (
            {"type": "supplies_arms_to", "object": "russia", "start": "2022", "end": "2023"},
            409,
            "conflict",
            "field 'start': overlaps relationship 'iran-supplies-arms-to-russia' with the same"
            " actors and type",
        ),
    ],
)
def test_a_bad_relationship_is_a_problem_and_writes_nothing(
    world: World, change: dict[str, Any], status: int, problem: str, detail: str
) -> None:
    body = relationship_body(new_key("bad-relationship")) | change
    if change.get("type") == "supplies_arms_to":
        body |= {"certainty": "asserted", "evidence": ["iran-supplied-missiles-and-uavs"]}
        body["basis"] = "source_text"
    response = refused(world, "POST", "/relationships", body)
    assert response.status_code == status, response.text
    assert response.json()["type"] == f"urn:nexusdb:problem:{problem}"
    assert detail in response.json()["detail"]


# -- retries -------------------------------------------------------------------------------


def test_a_put_with_a_key_of_the_clients_choosing_is_safe_to_retry(world: World) -> None:
    key = new_key("put-claim")
    body = claim_body(key)
    first = world.client.put(f"/claims/{key}", json=body, headers=world.write)
    assert first.status_code == 201, first.text
    assert first.json()["created"] is True
    before = snapshot(world.engine)
    again = world.client.put(f"/claims/{key}", json=body, headers=world.write)
    assert again.status_code == 200
    # The repeat wrote nothing, and says so.
    assert first.json()["rows"] == {"claim": 1, "claim_actor": 2}
    assert again.json() == first.json() | {"created": False, "rows": {}}
    assert again.headers["location"] == f"/claims/{key}"
    assert snapshot(world.engine) == before
    changed = refused(world, "PUT", f"/claims/{key}", body | {"certainty": "probable"})
    assert changed.status_code == 409
    assert "exists already and differs from this one" in changed.json()["detail"]
    elsewhere = refused(world, "PUT", f"/claims/{new_key('other')}", body)
    assert elsewhere.json()["type"] == "urn:nexusdb:problem:key-mismatch"
    seed_row = refused(
        world, "PUT", "/claims/iran-russia-security-nexus", claim_body("iran-russia-security-nexus")
    )
    assert seed_row.status_code == 409


def puts_of_every_kind(prefix: str, year: str) -> list[tuple[str, dict[str, Any]]]:
    """A PUT of each kind, each resting on the one before; the relationship holds in
    `year` alone, so that those of different tests do not overlap."""
    source, claim = new_key(f"{prefix}-source"), new_key(f"{prefix}-claim")
    event, relationship = new_key(f"{prefix}-event"), new_key(f"{prefix}-relationship")
    return [
        (f"/sources/{source}", {"key": source, "kind": "article", "title": "P", "text": TEXT}),
        (f"/claims/{claim}", claim_body(claim, certainty="probable")),
        (f"/events/{event}", event_body(event, [claim])),
        (
            f"/relationships/{relationship}",
            relationship_body(
                relationship, certainty="probable", evidence=[claim], start=year, end=year
            ),
        ),
    ]


def test_put_works_for_every_kind(world: World) -> None:
    writes = puts_of_every_kind("put", "2010")
    for path, body in writes:
        assert world.client.put(path, json=body, headers=world.write).status_code == 201, path
    before = snapshot(world.engine)
    for path, body in writes:
        again = world.client.put(path, json=body, headers=world.write)
        assert (again.status_code, again.json()["created"], again.json()["rows"]) == (
            200,
            False,
            {},
        ), path
    assert snapshot(world.engine) == before


CONCURRENT = 3


@pytest.fixture(scope="module")
def clients(world: World) -> Iterator[list[TestClient]]:
    """Clients of their own, each with its own app and connections, to write at once."""
    with ExitStack() as stack:
        yield [stack.enter_context(api_client(world.url)) for _ in range(CONCURRENT)]


def at_once(clients: list[TestClient], method: str, path: str, body: Any, token: Any) -> list[Any]:
    """The same request from every client at the same moment, one thread each."""
    start = threading.Barrier(len(clients))

    def send(client: TestClient) -> Response:
        start.wait()
        return client.request(method, path, json=body, headers=token)

    with ThreadPoolExecutor(len(clients)) as pool:
        return list(pool.map(send, clients))


def test_identical_puts_at_once_all_succeed(world: World, clients: list[TestClient]) -> None:
    """Retries that overlap (a client that gave up waiting, a proxy that resends) wait for
    each other: one writes, the others find its row, none sees a clash."""
    writes = puts_of_every_kind("racing", "2011")
    outcomes, stored = {}, {}
    for path, body in writes:
        answers = at_once(clients, "PUT", path, body, world.write)
        outcomes[path] = sorted((a.status_code, a.json().get("detail", "")) for a in answers)
        table = path.split("/")[1].removesuffix("s")
        query = f"SELECT count(*) FROM {table} WHERE key = :key"
        stored[path] = scalar(world.engine, query, key=body["key"])
    assert outcomes == {path: [(200, "")] * (CONCURRENT - 1) + [(201, "")] for path, _ in writes}
    assert stored == dict.fromkeys(outcomes, 1)


def test_posts_of_one_key_at_once_write_it_once(world: World, clients: list[TestClient]) -> None:
    key = new_key("racing-post")
    answers = at_once(clients, "POST", "/claims", claim_body(key), world.write)
    assert sorted(answer.status_code for answer in answers) == [201] + [409] * (CONCURRENT - 1)
    for answer in answers:
        if answer.status_code == 409:
            assert answer.json()["type"] == "urn:nexusdb:problem:key-exists"
            assert answer.json()["detail"] == (
                f"claim {key!r}: field 'key': a claim with this key exists already"
            )


def wait_until_blocked(engine: Engine) -> None:
    """Until a connection to this database waits for a lock another transaction holds."""
    query = (
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + 10
    while not scalar(engine, query):
        assert time.monotonic() < deadline, "the write never waited"
        time.sleep(0.01)


@pytest.mark.parametrize(
    ("committed_meanwhile", "problem", "detail"),
    [
        (
            "INSERT INTO source (key, kind, title, reliability, basis, origin)"
            " VALUES (:key, 'dataset', 'Imported', 'B', 'source_text', 'import:x')",
            "key-exists",
            "source {key!r}: field 'key': a source with this key was written while this request"
            " ran",
        ),
        (
            "INSERT INTO relationship (key, subject_id, relationship_type, object_id,"
            " start_date, start_precision, end_date, end_precision, date_basis, certainty,"
            " basis, origin) SELECT :key || '-imported', i.id, 'cooperates_with', h.id,"
            " '1990-01-01', 'year', '1990-01-01', 'year', 'source_text', 'possible',"
            " 'source_text', 'import:x' FROM actor i, actor h"
            " WHERE i.key = 'iran' AND h.key = 'hamas'",
            "conflict",
            "relationship {key!r}: field 'start': overlaps a relationship with the same actors"
            " and type written while this request ran; one relationship row is one reading of"
            " an edge",
        ),
    ],
    ids=["same-key", "overlapping-reading"],
)
def test_a_row_another_writer_commits_meanwhile_is_a_conflict_in_api_terms(
    world: World, committed_meanwhile: str, problem: str, detail: str
) -> None:
    """The seed and imports do not wait for the API's locks: a row of theirs that appears
    while a write runs is refused by PostgreSQL, and said in the API's words."""
    key = new_key("meanwhile")
    if problem == "key-exists":
        path, body = "/sources", {"key": key, "kind": "article", "title": "M", "text": TEXT}
    else:
        path, body = "/relationships", relationship_body(key, start="1990", end="1990")
    with world.engine.connect() as other, ThreadPoolExecutor(1) as pool:
        other.execute(text(committed_meanwhile), {"key": key})
        answer = pool.submit(world.client.post, path, json=body, headers=world.write)
        wait_until_blocked(world.engine)
        other.commit()
        # The other writer's row, and none of the refused request's.
        expected = snapshot(world.engine)
        response = answer.result()
    assert (response.status_code, response.json()["type"]) == (
        409,
        f"urn:nexusdb:problem:{problem}",
    )
    assert response.json()["detail"] == detail.format(key=key)
    assert_in_api_terms(response, sent=str(body))
    assert snapshot(world.engine) == expected


def test_an_idempotency_key_replays_the_first_response(world: World) -> None:
    body = claim_body(new_key("idempotent"))
    key = str(uuid.uuid4())
    first = post(world, "/claims", body, **{"Idempotency-Key": key})
    assert first.status_code == 201
    before = snapshot(world.engine)
    again = post(world, "/claims", body, **{"Idempotency-Key": key})
    assert (again.status_code, again.content) == (201, first.content)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == first.headers["location"]
    assert snapshot(world.engine) == before
    other = refused(world, "POST", "/claims", body | {"text": "Else."}, **{"Idempotency-Key": key})
    assert other.status_code == 422
    assert other.json()["type"] == "urn:nexusdb:problem:idempotency-key-reused"
    # Without the key, the same body is a new request and clashes with the claim.
    assert refused(world, "POST", "/claims", body).status_code == 409


def test_a_refused_request_stores_no_response_for_its_key(world: World) -> None:
    key = str(uuid.uuid4())
    body = claim_body(new_key("fixed-later"), quote="Iran sold Russia")
    refused(world, "POST", "/claims", body, **{"Idempotency-Key": key})
    fixed = post(world, "/claims", body | {"quote": QUOTE}, **{"Idempotency-Key": key})
    assert fixed.status_code == 201, fixed.text


def test_an_idempotency_key_is_kept_for_a_day(world: World) -> None:
    key = str(uuid.uuid4())
    body = claim_body(new_key("day-old"))
    assert post(world, "/claims", body, **{"Idempotency-Key": key}).status_code == 201
    with world.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE api_idempotency SET created_at = now() - interval '25 hours'"
                " WHERE key = :key"
            ),
            {"key": key},
        )
    later = post(world, "/claims", body | {"key": new_key("next-day")}, **{"Idempotency-Key": key})
    assert later.status_code == 201
    assert scalar(world.engine, "SELECT count(*) FROM api_idempotency WHERE key = :k", k=key) == 1


# -- the seed leaves API rows alone --------------------------------------------------------


def test_a_reseed_keeps_what_the_api_wrote(world: World) -> None:
    source, claim, event = new_key("kept-source"), new_key("kept-claim"), new_key("kept-event")
    post(world, "/sources", {"key": source, "kind": "article", "title": "K", "text": TEXT})
    post(world, "/claims", claim_body(claim, source=source, quote="The depot held grain."))
    post(world, "/events", event_body(event, [claim, "iran-supplied-missiles-and-uavs"]))
    before = snapshot(world.engine)
    report = seed(world.engine, SEEDS)
    assert report is not None
    assert not report.changed
    assert snapshot(world.engine) == before
    origins = scalar(
        world.engine,
        "SELECT string_agg(DISTINCT origin, ',') FROM (SELECT origin FROM source WHERE key = :s"
        " UNION ALL SELECT origin FROM claim WHERE key = :c"
        " UNION ALL SELECT origin FROM event WHERE key = :e) AS rows",
        s=source,
        c=claim,
        e=event,
    )
    assert origins == "api"


def test_a_seed_claim_an_api_event_rests_on_is_not_deleted(world: World, tmp_path: Path) -> None:
    from tests.test_seeding import UNCITED_CLAIM, by_key, edit_yaml

    event = new_key("rests-on-seed")
    seed_claims = UNCITED_CLAIM.replace(
        "WHERE NOT EXISTS", "WHERE c.origin = 'seed' AND NOT EXISTS"
    )
    cited = scalar(world.engine, seed_claims)
    assert post(world, "/events", event_body(event, [cited])).status_code == 201
    copy = tmp_path / "seeds"
    copy.mkdir()
    for path in SEEDS.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    edit_yaml(copy / "claims.yaml", lambda records: records.remove(by_key(records, cited)))
    before = snapshot(world.engine)
    with pytest.raises(Exception, match=f"claim '{cited}' is used by event_evidence of event"):
        seed(world.engine, copy)
    assert snapshot(world.engine) == before
