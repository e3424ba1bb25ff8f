"""FastAPI wiring: the domains' routers, error handling, security headers, the app factory."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chipbridge.accounts.permissions import Action, Actor, Forbidden
from chipbridge.accounts.service import IDLE_TIMEOUT
from chipbridge.accounts.views import router as accounts
from chipbridge.screening import Screener
from chipbridge.store.db import session_factory
from chipbridge.web.auth import SAFE_METHODS, NotAuthenticated, endpoints, permit, security_event
from chipbridge.web.deps import render
from chipbridge.workgroup.audit.views import router as audit
from chipbridge.workgroup.delegations.views import router as delegations
from chipbridge.workgroup.documents.views import router as documents
from chipbridge.workgroup.errors import NotFound, Refused
from chipbridge.workgroup.meetings.views import router as meetings
from chipbridge.workgroup.reviews.views import router as reviews

log = logging.getLogger("chipbridge.web")
STATIC = Path(__file__).resolve().parent / "static"

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


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def create_app(
    engine: Engine, screener: Screener, lists_key: str, idle_timeout: timedelta = IDLE_TIMEOUT
) -> FastAPI:
    app = FastAPI(
        title="chipbridge",
        version="0.1.0",
        openapi_url=None,  # served below, to signed-in users only
        docs_url=None,  # the interactive docs would load scripts from the internet
        redoc_url=None,
    )
    app.state.sessions = session_factory(engine)
    app.state.screener = screener
    app.state.lists_key = lists_key
    app.state.idle_timeout = idle_timeout
    for router in (accounts, delegations, reviews, documents, meetings, audit):
        app.include_router(router)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(_: Annotated[Actor, Depends(permit(Action.SIGNED_IN))]) -> dict[str, Any]:
        return app.openapi()

    @app.get("/static/app.css", include_in_schema=False)
    def stylesheet(_: Annotated[None, Depends(permit(Action.PUBLIC))]) -> Response:
        return Response((STATIC / "app.css").read_bytes(), media_type="text/css")

    missing = [f"{method} {path}" for method, path, action in endpoints(app) if action is None]
    if missing:
        raise RuntimeError(f"routes without a permission (web.auth.permit): {missing}")

    def problem(
        request: Request, status: int, message: str, headers: dict[str, str] | None = None
    ) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": message}, status_code=status, headers=headers)
        response = render(request, "error.html", status_code=status, message=message)
        response.headers.update(headers or {})
        return response

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return problem(request, 404, str(exc))

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> Response:
        return problem(request, 400, str(exc))

    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, exc: NotAuthenticated) -> Response:
        if request.method in SAFE_METHODS and not _wants_json(request):
            query = f"?{request.url.query}" if request.url.query else ""
            target = quote(request.url.path + query)
            return RedirectResponse(f"/login?next={target}", status_code=303)
        return problem(request, 401, str(exc), {"WWW-Authenticate": "Bearer"})

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        actor: Actor | None = getattr(request.state, "actor", None)
        await run_in_threadpool(
            security_event, request, "refused", str(exc), actor.name if actor else None
        )
        return problem(request, 403, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}"
            for e in exc.errors()
        )
        return problem(request, 422, details or "invalid request")

    @app.exception_handler(IntegrityError)
    async def conflict(request: Request, exc: IntegrityError) -> Response:
        log.warning("conflict on %s: %s", request.url.path, exc.orig)
        return problem(
            request, 409, "the change conflicts with another one; nothing was written, try again"
        )

    @app.exception_handler(DBAPIError)
    async def busy(request: Request, exc: DBAPIError) -> Response:
        log.warning("database error on %s: %s", request.url.path, exc.orig)
        return problem(
            request,
            503,
            "the database is busy; nothing was written, try again shortly",
            {"Retry-After": "2"},
        )

    app.add_middleware(SecurityHeaders)
    return app
