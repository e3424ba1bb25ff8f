"""Errors the working group's rules raise; the web layer turns them into 4xx answers."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")


class NotFound(LookupError):
    """No such record."""


class Refused(ValueError):
    """The request breaks a rule of the group; the message says which."""


def require(session: Session, model: type[T], ident: Any, label: str) -> T:
    """The record with this id, or NotFound naming what was missing."""
    found = session.get(model, ident)
    if found is None:
        raise NotFound(f"no {label} {ident}")
    return found
