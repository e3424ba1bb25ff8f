"""Error answers: one shape for the API (``Problem``), the error page for the site, and the
exception handlers that turn the services' errors into them.

Which route can answer which error is declared once, in ``web.openapi``, from the same rules
these handlers apply.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, IntegrityError
from starlette.exceptions import HTTPException

from chipbridge.accounts.permissions import Actor, Forbidden
from chipbridge.web.auth import SAFE_METHODS, NotAuthenticated, security_event
from chipbridge.web.deps import render
from chipbridge.web.pdf import PdfUnavailable
from chipbridge.workgroup.errors import NotFound, Refused

log = logging.getLogger("chipbridge.web")

BUSY = "the database is busy; nothing was written, try again shortly"
CONFLICT = "the change conflicts with another one; nothing was written, try again"


class Problem(BaseModel):
    """Every error answer of the API: what went wrong, in one sentence."""

    error: str = Field(description="What went wrong, and what to do about it.")


def wants_json(path: str) -> bool:
    """The API and its schema answer JSON; every other path is a page of the site."""
    return path.startswith("/api/") or path == "/openapi.json"


def problem(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    if wants_json(request.url.path):
        body = Problem(error=message).model_dump()
        return JSONResponse(body, status_code=status, headers=headers)
    response = render(request, "error.html", status_code=status, status=status, message=message)
    response.headers.update(headers or {})
    return response


def _message(error: dict[str, Any]) -> str:
    """Pydantic's message, but an unknown name is said to be one (a misspelt option would
    otherwise read as "Extra inputs are not permitted")."""
    if error["type"] == "extra_forbidden":
        where = "parameter" if error["loc"][0] == "query" else "field"
        return f"unknown {where} (misspelt?)"
    return str(error["msg"])


def install(app: FastAPI) -> None:
    """Register the handlers: rule errors are 4xx, a busy or conflicting database is 503 or
    409 (the request's transaction was rolled back), never a 500."""

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return problem(request, 404, str(exc))

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> Response:
        return problem(request, 400, str(exc))

    @app.exception_handler(PdfUnavailable)
    async def no_pdf(request: Request, exc: PdfUnavailable) -> Response:
        log.error("cannot render a PDF: %s", exc)
        return problem(request, 503, f"the PDF cannot be made on this server: {exc}")

    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, exc: NotAuthenticated) -> Response:
        if request.method in SAFE_METHODS and not wants_json(request.url.path):
            query = f"?{request.url.query}" if request.url.query else ""
            target = quote(request.url.path + query)
            return RedirectResponse(f"/login?next={target}", status_code=303)
        return problem(request, 401, str(exc), {"WWW-Authenticate": "Bearer"})

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        actor: Actor | None = getattr(request.state, "actor", None)
        try:
            await run_in_threadpool(
                security_event, request, "refused", str(exc), actor.name if actor else None
            )
        except DBAPIError as error:  # a refusal that cannot be recorded is not answered
            return await busy(request, error)
        return problem(request, 403, str(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        """The framework's own refusals (a body it cannot parse, an unknown path, a method
        the route does not take) in the same shape as every other error."""
        return problem(request, exc.status_code, str(exc.detail), dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {_message(e)}"
            for e in exc.errors()
        )
        return problem(request, 422, details or "invalid request")

    @app.exception_handler(IntegrityError)
    async def conflict(request: Request, exc: IntegrityError) -> Response:
        log.warning("conflict on %s: %s", request.url.path, exc.orig)
        return problem(request, 409, CONFLICT)

    @app.exception_handler(DBAPIError)
    async def busy(request: Request, exc: DBAPIError) -> Response:
        log.warning("database error on %s: %s", request.url.path, exc.orig)
        return problem(request, 503, BUSY, {"Retry-After": "2"})
