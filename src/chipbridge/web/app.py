"""FastAPI wiring: the domains' routers, error handling, security headers, the app factory."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chipbridge.accounts.permissions import Action, Actor
from chipbridge.accounts.service import IDLE_TIMEOUT
from chipbridge.accounts.views import router as accounts
from chipbridge.monitoring.views import router as monitoring
from chipbridge.screening import Screener
from chipbridge.store.db import session_factory
from chipbridge.store.lists import ActiveLists, ListStore
from chipbridge.web import errors, openapi
from chipbridge.web.auth import endpoints, permit
from chipbridge.web.live import Current, LiveScreener
from chipbridge.workgroup.audit.views import router as audit
from chipbridge.workgroup.briefing.views import router as briefing
from chipbridge.workgroup.delegations.views import router as delegations
from chipbridge.workgroup.documents.views import router as documents
from chipbridge.workgroup.meetings.views import router as meetings
from chipbridge.workgroup.reviews.views import router as reviews

# Every domain's routes, in the order the app includes them.
ROUTERS = (accounts, delegations, reviews, documents, meetings, audit, monitoring, briefing)
STATIC = Path(__file__).resolve().parent / "static"
# The largest body a request may send: a document's 200,000 characters, escaped as JSON,
# fit; a larger body is refused (413) before it is read into memory.
MAX_BODY = 4 * 1024 * 1024

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        b"frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


class SecurityHeaders:
    """Adds the security headers to every answer, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((n, v) for n, v in SECURITY_HEADERS if n not in names),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def single_parameters(request: Request) -> None:
    """Refuses a query parameter the route declares when it is given twice (422, in the
    shape of every other invalid request). No route takes a list in its query, and the
    framework would keep one of the values: ``?status=open&status=cleared`` must not answer
    as if one of them had not been asked. What a route declares is read from the app's own
    OpenAPI document, the one its clients and the schema tests read."""
    route = request.scope.get("route")
    if not request.scope.get("query_string") or route is None:
        return
    declared = _declared(request.app, getattr(route, "path", ""), request.method)
    seen: set[str] = set()
    for name, _ in request.query_params.multi_items():
        if name in declared:
            if name in seen:
                error = {"type": "repeated", "loc": ("query", name), "msg": "given more than once"}
                raise RequestValidationError([error])
            seen.add(name)


def _declared(app: FastAPI, path: str, method: str) -> frozenset[str]:
    known: dict[tuple[str, str], frozenset[str]] = app.state.query_parameters
    key = (path, method.lower())
    if key not in known:
        operation = app.openapi().get("paths", {}).get(path, {}).get(key[1], {})
        known[key] = frozenset(
            p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"
        )
    return known[key]


def create_app(
    engine: Engine,
    screener: Screener,
    lists: ActiveLists,
    idle_timeout: timedelta = IDLE_TIMEOUT,
    store: ListStore | None = None,
) -> FastAPI:
    """The app. With ``store``, a new list import is picked up without a restart (web/live.py);
    without, it answers from ``screener`` for good."""
    app = FastAPI(
        title="chipbridge",
        version="0.1.0",
        max_body_size=MAX_BODY,
        openapi_url=None,  # served below, to signed-in users only
        docs_url=None,  # the interactive docs would load scripts from the internet
        redoc_url=None,
        dependencies=[Depends(single_parameters)],
    )
    app.state.query_parameters = {}
    app.state.sessions = session_factory(engine)
    app.state.live = LiveScreener(Current(screener, lists), store)
    app.state.idle_timeout = idle_timeout
    for router in ROUTERS:
        app.include_router(router)

    app.openapi = lambda: openapi.document(app)  # type: ignore[method-assign]

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_json(_: Annotated[Actor, Depends(permit(Action.SIGNED_IN))]) -> dict[str, Any]:
        return app.openapi()

    @app.get("/static/app.css", include_in_schema=False)
    def stylesheet(_: Annotated[None, Depends(permit(Action.PUBLIC))]) -> Response:
        return Response((STATIC / "app.css").read_bytes(), media_type="text/css")

    missing = [f"{method} {path}" for method, path, action in endpoints(app) if action is None]
    if missing:
        raise RuntimeError(f"routes without a permission (web.auth.permit): {missing}")

    errors.install(app)
    app.add_middleware(SecurityHeaders)  # the outermost: its headers go on every answer
    return app
