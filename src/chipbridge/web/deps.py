"""Request-scoped helpers shared by every domain's views: a transaction committed before the
answer is sent, bounded ids, the screener, the page renderer with the request's language."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import annotated_types
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import AfterValidator, BeforeValidator, StringConstraints
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Action, Actor, allowed
from chipbridge.screening import Screener
from chipbridge.store.db import transaction
from chipbridge.web import i18n
from chipbridge.web.auth import SAFE_METHODS, authenticated

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))

# Every id in a path, a query or a body: what a JSON client holds exactly (2^53 - 1; the
# database's 64-bit integers hold more, but a JavaScript number or a validator comparing in
# floating point does not).
MAX_ID = 2**53 - 1
Id = Annotated[int, annotated_types.Ge(1), annotated_types.Le(MAX_ID)]
# Text a rule needs (a title, a reason): at least one character that is not a space.
Filled = Annotated[str, StringConstraints(pattern=r"\S")]
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: object) -> object:
    if isinstance(value, dt.date) or (isinstance(value, str) and _DAY.fullmatch(value)):
        return value
    raise ValueError("a date is written YYYY-MM-DD")


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# A moment in an answer: stored as naive UTC, sent with its zone (RFC 3339 needs one).
Utc = Annotated[dt.datetime, AfterValidator(_utc)]

# A calendar day as YYYY-MM-DD, and nothing else (pydantic alone would also read a number
# as a Unix time).
Day = Annotated[dt.date, BeforeValidator(_iso_day)]


def session(
    request: Request, _: Annotated[Actor | None, Depends(authenticated)]
) -> Iterator[Session]:
    """One transaction per request, committed when the handler returns and before the answer
    is sent (``scope="function"`` below): a failed commit becomes an error answer, never a
    2xx. It opens after the credential is checked (hence the dependency on it)."""
    write = request.method not in SAFE_METHODS
    with transaction(request.app.state.sessions, write=write) as db:
        yield db


Db = Annotated[Session, Depends(session, scope="function")]


def screener(request: Request) -> Screener:
    found: Screener = request.app.state.screener
    return found


def lists_key(request: Request) -> str:
    key: str = request.app.state.lists_key
    return key


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    actor: Actor | None = getattr(request.state, "actor", None)
    lang = i18n.pick(
        request.query_params.get("lang"),
        request.cookies.get("lang"),
        actor.language if actor else None,
    )
    response = templates.TemplateResponse(
        request,
        template,
        {
            "_": i18n.translator(lang),
            "lang": lang,
            "languages": i18n.LANGUAGES,
            "user": actor,
            "csrf": getattr(request.state, "csrf", ""),
            "can": lambda action: actor is not None and allowed(actor, Action(action)),
            **context,
        },
        status_code=status_code,
    )
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie("lang", lang, samesite="lax")
    return response
