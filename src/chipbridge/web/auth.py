"""Who is asking, and may they: sessions, bearer tokens, CSRF, Origin, the route permission.

Every route names its action with ``permit(Action.X)``; ``create_app`` refuses to start when
a route does not. ``authenticated`` resolves the request's credential once per request,
before the request's unit of work opens (``deps.session`` depends on it), so its own small
writes - a session's last use, an expired session, a refused token in the audit log - never
wait on the request's lock.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from functools import cache
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import OperationalError

from chipbridge.accounts import service as accounts
from chipbridge.accounts.permissions import Action, Actor, Forbidden, require
from chipbridge.store.db import transaction
from chipbridge.workgroup.audit.service import record

log = logging.getLogger("chipbridge.security")

SESSION_COOKIE = "chipbridge_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_bearer = HTTPBearer(auto_error=False, description="An API token from `chipbridge tokens create`.")
_cookie = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="The web session set by /login."
)


class NotAuthenticated(Exception):
    """No valid session or token: pages redirect to the login page, the API answers 401."""


def security_event(request: Request, action: str, reason: str, actor: str | None = None) -> None:
    """Record a refused request in the audit log, in its own transaction (the request's own
    work, if any, was rolled back)."""
    who = actor or f"anonymous ({client_address(request)})"
    log.warning("%s %s %s: %s", who, request.method, request.url.path, reason)
    with transaction(request.app.state.sessions) as db:
        record(
            db,
            who,
            action,
            "request",
            None,
            None,
            {"method": request.method, "path": request.url.path[:300], "reason": reason},
        )


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def authenticated(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> Actor | None:
    """The actor behind the request's bearer token or session cookie, or None."""
    at = accounts.now()
    factory = request.app.state.sessions
    request.state.actor = None
    if bearer is not None:
        with transaction(factory, write=False) as db:
            credential = accounts.check_token(db, bearer.credentials, at)
        touch = accounts.touch_token
    elif cookie:
        with transaction(factory, write=False) as db:
            credential = accounts.check_session(db, cookie, at, request.app.state.idle_timeout)
        touch = accounts.touch_session
    else:
        request.state.auth_failure = "please sign in"
        return None
    if credential.log:
        with transaction(factory) as db:
            if cookie and bearer is None:
                accounts.expire_session(db, cookie, at)
        security_event(request, "refused", credential.reason)
    elif credential.touch is not None:
        try:
            with transaction(factory) as db:
                touch(db, credential.touch, at)
        except OperationalError:
            pass  # the database is busy: the last-use time is refreshed on a later request
    request.state.actor = credential.actor
    request.state.auth_failure = credential.reason
    request.state.via = "token" if bearer is not None else "session"
    if credential.actor is not None and request.state.via == "session" and cookie:
        request.state.csrf = accounts.csrf_token(cookie)
    return credential.actor


async def submitted_csrf(request: Request) -> str | None:
    """The CSRF token sent with a state-changing request: a header, or a form field."""
    if request.method in SAFE_METHODS:
        return None
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


def _same_origin(request: Request) -> bool:
    """A state-changing request from a page of another site is refused outright."""
    origin = request.headers.get("origin")
    if origin is None:
        return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")
    parts = urlsplit(origin)
    return (parts.scheme, parts.netloc) == (request.url.scheme, request.url.netloc)


def _check(request: Request, action: Action, actor: Actor | None, csrf: str | None) -> Actor | None:
    unsafe = request.method not in SAFE_METHODS
    if unsafe and not _same_origin(request):
        raise Forbidden(f"cross-site request refused (Origin {request.headers.get('origin')})")
    if action is Action.PUBLIC:
        return actor
    if actor is None:
        raise NotAuthenticated(getattr(request.state, "auth_failure", "") or "please sign in")
    if unsafe and request.state.via == "session":
        expected = request.state.csrf
        if not csrf or not hmac.compare_digest(csrf, expected):
            raise Forbidden("the form's CSRF token is missing or wrong; reload the page")
    require(actor, action)
    return actor


@cache
def permit(action: Action) -> Callable[..., Awaitable[Actor | None]]:
    """The dependency a route declares to name its action: it authenticates the request,
    checks Origin and CSRF on state-changing requests, and applies the permission matrix.

    It returns the actor, who is never None except on an ``Action.PUBLIC`` route.
    """

    # Pure checks, no I/O: it runs on the event loop, without a hand-off to a worker thread.
    async def dependency(
        request: Request,
        actor: Annotated[Actor | None, Depends(authenticated)],
        csrf: Annotated[str | None, Depends(submitted_csrf)],
    ) -> Actor | None:
        return _check(request, action, actor, csrf)

    dependency.action = action  # type: ignore[attr-defined]
    dependency.__name__ = f"permit_{action.name.lower()}"
    return dependency


def route_action(route: APIRoute) -> Action | None:
    """The action a route declared with ``permit`` (None if it declared none)."""
    found = [
        dep.call.action  # type: ignore[union-attr]
        for dep in route.dependant.dependencies
        if hasattr(dep.call, "action")
    ]
    return found[0] if len(found) == 1 else None


def endpoints(app: FastAPI) -> list[tuple[str, str, Action | None]]:
    """(method, path, action) of every route of the app, included routers' routes too."""
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and context.path is not None:
            for method in sorted(context.methods or ()):
                found.append((method, context.path, route_action(route)))
    return found
