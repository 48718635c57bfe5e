"""Strong ETags on every successful GET, and 304 Not Modified for a matching If-None-Match.

The tag is a hash of the body itself, so it changes exactly when the answer does (after
any write, whichever path made it) and needs no bookkeeping in the database. The body is
still computed: the 304 saves the client's bandwidth and parsing, not the server's query.
"""

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from nexusdb.api.middleware import MethodMiddleware

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


class ETagMiddleware(MethodMiddleware):
    """A 200 to a GET (or a HEAD, which comes here as GET: `HeadAsGet`) is held until its
    last body chunk, tagged, and sent whole, or replaced by a 304; every other response
    passes through as it comes."""

    methods = frozenset({"GET"})

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        start: Message | None = None
        body = bytearray()

        async def tagging(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                if message["status"] != 200:
                    await send(message)
                return
            if start is None or start["status"] != 200 or message["type"] != "http.response.body":
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body", False):
                return
            tag = entity_tag(bytes(body))
            headers = MutableHeaders(raw=list(start["headers"]))
            headers["etag"] = tag
            headers["cache-control"] = "no-cache"
            if matches(Headers(scope=scope).get("if-none-match"), tag):
                kept = [
                    (name, value) for name, value in headers.raw if name.decode() in KEPT_ON_304
                ]
                await send({"type": "http.response.start", "status": 304, "headers": kept})
                await send({"type": "http.response.body", "body": b""})
                return
            await send({**start, "headers": headers.raw})
            await send({"type": "http.response.body", "body": bytes(body)})

        await self.app(scope, receive, tagging)
