"""Request-scoped helpers shared by every domain's views: a transaction, the screener,
the page renderer with the request's language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from chipbridge.screening import Screener
from chipbridge.store.db import transaction
from chipbridge.web import i18n

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))

ACTOR_HEADER = "x-chipbridge-user"


def session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back on error."""
    with transaction(request.app.state.sessions) as db:
        yield db


def screener(request: Request) -> Screener:
    found: Screener = request.app.state.screener
    return found


def lists_key(request: Request) -> str:
    key: str = request.app.state.lists_key
    return key


def actor(request: Request) -> str:
    """Who acts: the authenticated user in a deployment (a header set by the proxy)."""
    return request.headers.get(ACTOR_HEADER, "secretariat")[:200]


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = i18n.pick(request.query_params.get("lang"), request.cookies.get("lang"))
    response = templates.TemplateResponse(
        request,
        template,
        {"_": i18n.translator(lang), "lang": lang, "languages": i18n.LANGUAGES, **context},
        status_code=status_code,
    )
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie("lang", lang, samesite="lax")
    return response
