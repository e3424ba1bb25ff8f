"""The OpenAPI document, made honest: every answer a route can give is declared.

FastAPI documents a route's success answer and its request's validation error. The other
answers follow from rules the app applies to every route alike, so they are declared here,
from the same facts the handlers in ``web.errors`` and ``web.auth`` use: 401 (or, for a
page, a redirect to the login page) unless the route is public; 403 where the permission
matrix or the Origin and CSRF checks can refuse; 409 and 503 when the database refuses the
request's unit of work. Errors a route's own rules raise (400, 404) are declared on the
route with a description, and receive their content here: a ``Problem`` as JSON on the API,
the error page on the site.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from chipbridge.accounts.permissions import RULES, Action, Role
from chipbridge.web.auth import SAFE_METHODS, endpoints
from chipbridge.web.errors import Problem, wants_json

_PROBLEM = {"$ref": "#/components/schemas/Problem"}
_PAGE = {"text/html": {"schema": {"type": "string"}}}
_RETRY = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}
_CHALLENGE = {"WWW-Authenticate": {"description": "Bearer", "schema": {"type": "string"}}}


def _errors(
    method: str, path: str, action: Action, api: bool, body: bool
) -> dict[str, dict[str, Any]]:
    """The answers every route of this kind can give, beyond its own."""
    found: dict[str, dict[str, Any]] = {}
    if "{" in path:
        found["404"] = {"description": "No such record"}
    if method not in SAFE_METHODS:
        found["400"] = {"description": "Refused by a rule of the group; the message says which"}
    if body:
        found.setdefault("400", {"description": "The body cannot be read"})
        # Answered by Starlette's body limit around the app, in plain text.
        found["413"] = {
            "description": "The body is larger than the app accepts (4 MiB)",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    unsafe = method not in SAFE_METHODS
    if action is not Action.PUBLIC:
        if api or unsafe:
            found["401"] = {"description": "Not signed in, or the token or session is not valid"}
            if api:
                found["401"]["headers"] = _CHALLENGE
        else:
            found["303"] = {"description": "Not signed in: on to the login page"}
    if unsafe or (action is not Action.PUBLIC and RULES[action].roles != frozenset(Role)):
        found["403"] = {"description": "Refused: the permission matrix, Origin or CSRF check"}
    if unsafe:
        found["409"] = {"description": "Conflicts with a concurrent change; nothing written"}
    found["503"] = {"description": "The database is busy; nothing written", "headers": _RETRY}
    return found


def document(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document with every answer declared (built once, then kept)."""
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(title=app.title, version=app.version, routes=app.routes)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)  # replaced by Problem below
    schemas.pop("ValidationError", None)
    schemas["Problem"] = Problem.model_json_schema()
    for method, path, action in endpoints(app):
        operation = doc["paths"].get(path, {}).get(method.lower())
        if operation is None:
            continue  # not in the schema (the schema itself, the stylesheet)
        assert action is not None  # create_app refuses routes without one
        api = wants_json(path)
        responses = operation["responses"]
        if not api and method not in SAFE_METHODS and "200" in responses:
            # Forms follow post/redirect/get: success is a redirect to the page showing it.
            del responses["200"]
            responses["303"] = {"description": "Done: on to the page that shows the change"}
        body = "requestBody" in operation
        for code, answer in _errors(method, path, action, api, body).items():
            responses.setdefault(code, answer)
        for code, answer in responses.items():
            if code.startswith(("4", "5")) and code != "413":
                answer["content"] = {"application/json": {"schema": _PROBLEM}} if api else _PAGE
                if code == "422":
                    answer["description"] = "The request does not fit this schema"
        if action is Action.PUBLIC:
            operation["security"] = [*operation.get("security", []), {}]
    app.openapi_schema = doc
    return doc
