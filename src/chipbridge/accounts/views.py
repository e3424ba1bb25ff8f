"""Signing in and out, and who am I: pages and JSON."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from chipbridge.accounts import service
from chipbridge.accounts.permissions import Action, Actor, Forbidden, Role, Scope
from chipbridge.store.db import transaction
from chipbridge.web.auth import SESSION_COOKIE, client_address, permit
from chipbridge.web.deps import render

router = APIRouter()
LOGIN_CSRF_COOKIE = "chipbridge_login_csrf"
Anyone = Annotated[Actor | None, Depends(permit(Action.PUBLIC))]
SignedIn = Annotated[Actor, Depends(permit(Action.SIGNED_IN))]


def _local(target: str) -> str:
    """Only redirect within this site after signing in. Browsers read "//host", "/\\host"
    and "/\t/host" as another site, so a backslash or a control character anywhere refuses
    the target."""
    foreign = target.startswith("//") or any(c == "\\" or ord(c) < 0x20 for c in target)
    return target if target.startswith("/") and not foreign else "/"


def _login_form(
    request: Request, status: int, next: str, email: str, error: str | None
) -> HTMLResponse:
    """The login page. Its form carries a CSRF token too: before there is a session, the
    token is a random value also set in a strict same-site cookie (double submit)."""
    token = secrets.token_urlsafe(32)
    request.state.csrf = token
    response = render(
        request, "login.html", status_code=status, next=_local(next), email=email, error=error
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict")
    return response


class MeOut(BaseModel):
    email: str
    role: Role
    delegation: str | None
    head: bool
    scope: Scope
    language: str


@router.get(
    "/login",
    response_class=HTMLResponse,
    response_model=None,
    responses={303: {"description": "Signed in already: on to `next`"}},
)
def login_page(
    request: Request, actor: Anyone, next: Annotated[str, Query(max_length=2000)] = "/"
) -> Response:
    if actor is not None:
        return RedirectResponse(_local(next), status_code=303)
    return _login_form(request, 200, next, "", None)


@router.post(
    "/login",
    status_code=303,
    response_class=RedirectResponse,
    response_model=None,
    responses={
        303: {"description": "Signed in: on to `next`, with the session cookie"},
        401: {"description": "Wrong e-mail or password: the form again"},
        429: {"description": "Too many failed logins: the form again"},
    },
)
def login(
    request: Request,
    _: Anyone,
    email: Annotated[str, Form(min_length=1, max_length=254)],
    password: Annotated[str, Form(min_length=1, max_length=200)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(csrf_token, expected):
        raise Forbidden("the login form's CSRF token is missing or wrong; reload the page")
    # Its own unit of work: a failed attempt is committed (for throttling and the audit log)
    # even though the answer is a refusal.
    with transaction(request.app.state.sessions) as db:
        outcome = service.login(db, email, password, client_address(request))
    if outcome.token is None:
        response = _login_form(request, outcome.status, next, email, outcome.message)
        if outcome.retry_after:
            response.headers["Retry-After"] = str(outcome.retry_after)
        return response
    redirect = RedirectResponse(_local(next), status_code=303)
    redirect.delete_cookie(LOGIN_CSRF_COOKIE, httponly=True, samesite="strict")
    redirect.set_cookie(
        SESSION_COOKIE,
        outcome.token,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return redirect


@router.post(
    "/logout",
    status_code=303,
    response_class=RedirectResponse,
    responses={303: {"description": "Signed out: on to the login page"}},
)
def logout(request: Request, _: SignedIn) -> RedirectResponse:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with transaction(request.app.state.sessions) as db:
            service.logout(db, token)
    redirect = RedirectResponse("/login", status_code=303)
    redirect.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax")
    return redirect


@router.get("/api/v1/me")
def me(actor: SignedIn) -> MeOut:
    assert actor.role is not None  # a request always acts as a user
    return MeOut(
        email=actor.name,
        role=actor.role,
        delegation=actor.delegation,
        head=actor.head,
        scope=actor.scope,
        language=actor.language,
    )
