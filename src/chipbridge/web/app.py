"""FastAPI wiring: the domains' routers, error handling, and the app factory."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine

from chipbridge.screening import Screener
from chipbridge.store.db import session_factory
from chipbridge.web.deps import render
from chipbridge.workgroup.audit.views import router as audit
from chipbridge.workgroup.delegations.views import router as delegations
from chipbridge.workgroup.documents.views import router as documents
from chipbridge.workgroup.errors import NotFound, Refused
from chipbridge.workgroup.meetings.views import router as meetings
from chipbridge.workgroup.reviews.views import router as reviews


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(engine: Engine, screener: Screener, lists_key: str) -> FastAPI:
    app = FastAPI(title="chipbridge", version="0.1.0", openapi_url="/openapi.json")
    app.state.sessions = session_factory(engine)
    app.state.screener = screener
    app.state.lists_key = lists_key
    for router in (delegations, reviews, documents, meetings, audit):
        app.include_router(router)

    def problem(request: Request, status: int, message: str) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": message}, status_code=status)
        return render(request, "error.html", status_code=status, message=message)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return problem(request, 404, str(exc))

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> Response:
        return problem(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}"
            for e in exc.errors()
        )
        return problem(request, 422, details or "invalid request")

    return app
