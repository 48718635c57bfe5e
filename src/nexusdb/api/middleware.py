"""What every request goes through before its route, whatever the route.

Plain ASGI, not Starlette's BaseHTTPMiddleware, which runs each response through a task
and a stream of its own.
"""

from abc import ABC, abstractmethod

from starlette.types import ASGIApp, Message, Receive, Scope, Send


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
