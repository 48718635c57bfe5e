"""Strong ETags on every successful GET, and 304 Not Modified for a matching If-None-Match.

The tag is a hash of the body itself, so it changes exactly when the answer does (after
any write, whichever path made it) and needs no bookkeeping in the database. The body is
still computed: the 304 saves the client's bandwidth and parsing, not the server's query.
"""

import hashlib

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

# Headers a 304 repeats from the 200 it stands for (RFC 9110, 15.4.5).
KEPT_ON_304 = ("cache-control", "content-location", "etag", "link", "vary")


def entity_tag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """If-None-Match uses the weak comparison: `W/"x"` matches `"x"`, `*` matches any."""
    if not if_none_match:
        return False
    candidates = [part.strip().removeprefix("W/") for part in if_none_match.split(",")]
    return "*" in candidates or tag in candidates


class ETagMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
        tag = entity_tag(body)
        headers = dict(response.headers)
        headers.update(etag=tag, **{"cache-control": "no-cache"})
        if matches(request.headers.get("if-none-match"), tag):
            kept = {name: value for name, value in headers.items() if name in KEPT_ON_304}
            return Response(status_code=304, headers=kept)
        return Response(content=body, status_code=200, headers=headers)
