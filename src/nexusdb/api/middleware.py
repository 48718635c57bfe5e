"""What every request goes through before its route, whatever the route.

Plain ASGI, not Starlette's BaseHTTPMiddleware, which runs each response through a task
and a stream of its own.
"""

import json
from abc import ABC, abstractmethod

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nexusdb.api.problems import BODY_PROBLEM, BodyProblem, echoed, problem

# The largest request body read: a source document with its text is the largest write,
# and a long report is well under a megabyte; a body past this is refused unread.
MAX_BODY_BYTES = 16 * 1024 * 1024


class MethodMiddleware(ABC):
    """Handles the HTTP requests of its `methods` (`handle`), and passes every other
    request through untouched."""

    methods: frozenset[str]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in self.methods:
            await self.handle(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    @abstractmethod
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The request, one of `methods`: call `self.app` or answer it."""


class HeadAsGet(MethodMiddleware):
    """HEAD answered as the GET of the same URL without its body (RFC 9110, 9.3.2): the
    same status and headers, ETag and Content-Length included. FastAPI routes answer only
    the methods they declare, and declaring HEAD beside every GET would list each
    operation twice in the OpenAPI."""

    methods = frozenset({"HEAD"})

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def _is_json(content_type: str) -> bool:
    """`application/json`, or a `+json` type (`application/merge-patch+json`), as FastAPI
    reads a body as JSON."""
    main, _, sub = content_type.partition(";")[0].strip().lower().partition("/")
    return main == "application" and (sub == "json" or sub.endswith("+json"))


def body_problem(content_type: str | None, body: bytes) -> BodyProblem | None:
    """Why `body` cannot be read as JSON, if it cannot; an empty body is left to the
    route (which needs one or not)."""
    if not body:
        return None
    if content_type is None or not _is_json(content_type):
        sent = f"Content-Type {echoed(content_type)}" if content_type else "no Content-Type"
        return BodyProblem(
            415,
            "unsupported-media-type",
            f"a request body must be JSON, sent with Content-Type: application/json;"
            f" this one came with {sent}",
        )
    try:
        json.loads(body)
    except UnicodeDecodeError as error:
        reason = f"byte {error.start} is not {error.encoding.upper()} ({error.reason})"
    except json.JSONDecodeError as error:
        reason = f"{error.msg} at line {error.lineno}, column {error.colno}"
    except RecursionError:
        reason = "it is nested too deeply to read"
    else:
        return None
    return BodyProblem(400, "invalid-json", f"request body is not valid JSON: {reason}")


class JsonBody(MethodMiddleware):
    """A request body must be JSON: another media type (or none) is a 415, JSON that does
    not parse or is not UTF-8 a 400 that says where, a body over MAX_BODY_BYTES a 413
    (answered at once, before any more of it is read).

    Neither is answered here, so that a route checks its token first (a write without
    one is a 401 whatever its body) without this layer knowing about tokens. The problem
    waits in the scope (`problems.BODY_PROBLEM`) and the body goes on, labelled
    application/octet-stream so that FastAPI does not parse it again: as bytes, no body
    model accepts it, and the validation error that follows is answered with the body's
    problem. A route that reads no body never reports one.
    """

    methods = frozenset({"POST", "PUT", "PATCH"})

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        chunks: list[bytes] = []
        declared = Headers(scope=scope).get("content-length", "")
        # The larger of what the client announced and what has arrived.
        size = int(declared) if declared.isdigit() else 0
        received = 0
        more = True
        while more and size <= MAX_BODY_BYTES:
            message = await receive()
            if message["type"] != "http.request":
                return  # The client went away: no one to answer.
            chunk = message.get("body", b"")
            chunks.append(chunk)
            received += len(chunk)
            size = max(size, received)
            more = message.get("more_body", False)
        if size > MAX_BODY_BYTES:
            detail = f"a request body holds at most {MAX_BODY_BYTES:,} bytes; this one is larger"
            too_large = problem(Request(scope), 413, "too-large", detail)
            await too_large(scope, receive, send)
            return
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        unreadable = body_problem(Headers(scope=scope).get("content-type"), body)
        if unreadable is not None:
            headers = [(name, value) for name, value in scope["headers"] if name != b"content-type"]
            headers.append((b"content-type", b"application/octet-stream"))
            scope = {**scope, "headers": headers, BODY_PROBLEM: unreadable}
        await self.app(scope, replay, send)
