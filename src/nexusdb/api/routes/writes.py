"""Grounded writes: `POST` and `PUT /sources`, `/claims`, `/events`, `/relationships`.

Each record goes through the seeder's own checks (`nexusdb.writing`) in one transaction,
committed only when the whole record is written; its rows carry `origin = 'api'`.

Retrying is safe two ways: `PUT /{kind}s/{key}` with the same body finds the row it
wrote (200, `created: false`) where a POST would clash with it (409); and a POST sent
with an `Idempotency-Key` header gets its first response again, as long as the body is
the same (another body under the same key is a 422).
"""

import hashlib
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Header, Path, Request, Response
from pydantic import BaseModel

from nexusdb.api.auth import Caller, WriteCaller
from nexusdb.api.dependencies import WriteSession
from nexusdb.api.problems import WRITE_PROBLEM_RESPONSES
from nexusdb.repositories import StoredResponses
from nexusdb.schemas.api import ClaimIn, EventIn, RelationshipIn, SourceIn, WriteOut
from nexusdb.writing import (
    ORIGIN,
    WriteRefusedError,
    Written,
    write_claim,
    write_event,
    write_relationship,
    write_source,
)

router = APIRouter(tags=["writes"], responses=WRITE_PROBLEM_RESPONSES)

JSON = "application/json"

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Any unique string (a UUID): a retry with the same key and body gets"
        " the first response again, and writes nothing twice.",
    ),
]
Key = Annotated[str, Path(max_length=200, description="The key the new row is to have.")]
WRITTEN = {"model": WriteOut, "description": "Written (201), or already there as sent (200)."}


def _fingerprint(request: Request, body: BaseModel) -> str:
    """The request as the key promises it: method, path and the body as validated, so a
    retry that only spaces its JSON differently is the same request."""
    described = f"{request.method} {request.url.path}\n{body.model_dump_json()}"
    return hashlib.sha256(described.encode()).hexdigest()


def _answer(
    session: WriteSession,
    caller: Caller,
    request: Request,
    body: BaseModel,
    idempotency_key: str | None,
    write: Callable[[], Written],
) -> Response:
    """Write once, commit, answer; or answer again what a key's first request got."""
    responses = StoredResponses(session)
    fingerprint = _fingerprint(request, body)
    if idempotency_key is not None:
        stored = responses.claim_key(caller.token_id, idempotency_key)
        if stored is not None:
            if stored.fingerprint != fingerprint:
                raise WriteRefusedError(
                    f"the Idempotency-Key {idempotency_key!r} was sent with another request"
                    f" ({stored.status} then); a new request needs a new key",
                    problem="idempotency-key-reused",
                )
            headers = {"Idempotent-Replayed": "true"}
            if stored.location:
                headers["Location"] = stored.location
            return Response(
                stored.body, status_code=stored.status, headers=headers, media_type=JSON
            )
    written = write()
    location = f"/{written.kind}s/{written.key}"
    out = WriteOut(
        kind=written.kind,
        key=written.key,
        origin=ORIGIN,
        created=written.created,
        location=location,
        rows=written.rows,
    )
    status = 201 if written.created else 200
    body_text = out.model_dump_json()
    if idempotency_key is not None:
        responses.store(
            caller.token_id,
            idempotency_key,
            fingerprint=fingerprint,
            status=status,
            location=location,
            body=body_text,
        )
    session.commit()
    return Response(body_text, status_code=status, headers={"Location": location}, media_type=JSON)


def _same_key(path_key: str, body_key: str) -> None:
    if path_key != body_key:
        raise WriteRefusedError(
            f"the body's key {body_key!r} is not the path's {path_key!r}",
            problem="key-mismatch",
        )


@router.post("/sources", status_code=201, responses={201: WRITTEN})
def post_source(
    session: WriteSession,
    caller: WriteCaller,
    request: Request,
    body: SourceIn,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """A source with its text, segmented into paragraphs as the seeder segments its files."""
    return _answer(
        session,
        caller,
        request,
        body,
        idempotency_key,
        lambda: write_source(session, body, body.text),
    )


@router.put("/sources/{key}", status_code=201, responses={200: WRITTEN, 201: WRITTEN})
def put_source(
    session: WriteSession, caller: WriteCaller, request: Request, key: Key, body: SourceIn
) -> Response:
    """The source under a key of the client's choosing: a retry finds it there."""
    _same_key(key, body.key)
    return _answer(
        session,
        caller,
        request,
        body,
        None,
        lambda: write_source(session, body, body.text, put=True),
    )


def _claim(session: WriteSession, body: ClaimIn, *, put: bool) -> Written:
    return write_claim(
        session,
        body,
        quote=body.quote,
        occurrence=body.occurrence,
        dataset_record=body.dataset_record(),
        put=put,
    )


@router.post("/claims", status_code=201, responses={201: WRITTEN})
def post_claim(
    session: WriteSession,
    caller: WriteCaller,
    request: Request,
    body: ClaimIn,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """A claim, grounded by a quote found in its source (a 422 shows the nearest passage and
    where it differs) or by a dataset record."""
    return _answer(
        session, caller, request, body, idempotency_key, lambda: _claim(session, body, put=False)
    )


@router.put("/claims/{key}", status_code=201, responses={200: WRITTEN, 201: WRITTEN})
def put_claim(
    session: WriteSession, caller: WriteCaller, request: Request, key: Key, body: ClaimIn
) -> Response:
    """The claim under a key of the client's choosing: a retry finds it there."""
    _same_key(key, body.key)
    return _answer(session, caller, request, body, None, lambda: _claim(session, body, put=True))


@router.post("/events", status_code=201, responses={201: WRITTEN})
def post_event(
    session: WriteSession,
    caller: WriteCaller,
    request: Request,
    body: EventIn,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """An event resting on the claims named in `evidence` (at least one)."""
    return _answer(
        session, caller, request, body, idempotency_key, lambda: write_event(session, body)
    )


@router.put("/events/{key}", status_code=201, responses={200: WRITTEN, 201: WRITTEN})
def put_event(
    session: WriteSession, caller: WriteCaller, request: Request, key: Key, body: EventIn
) -> Response:
    """The event under a key of the client's choosing: a retry finds it there."""
    _same_key(key, body.key)
    return _answer(
        session, caller, request, body, None, lambda: write_event(session, body, put=True)
    )


@router.post("/relationships", status_code=201, responses={201: WRITTEN})
def post_relationship(
    session: WriteSession,
    caller: WriteCaller,
    request: Request,
    body: RelationshipIn,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """A relationship resting on the claims named in `evidence`, no surer than the
    strongest of them that supports it."""
    return _answer(
        session, caller, request, body, idempotency_key, lambda: write_relationship(session, body)
    )


@router.put("/relationships/{key}", status_code=201, responses={200: WRITTEN, 201: WRITTEN})
def put_relationship(
    session: WriteSession, caller: WriteCaller, request: Request, key: Key, body: RelationshipIn
) -> Response:
    """The relationship under a key of the client's choosing: a retry finds it there."""
    _same_key(key, body.key)
    return _answer(
        session, caller, request, body, None, lambda: write_relationship(session, body, put=True)
    )
