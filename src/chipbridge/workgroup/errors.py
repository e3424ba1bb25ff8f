"""Errors the working group's rules raise; the web layer turns them into 4xx answers."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")


class NotFound(LookupError):
    """No such record."""


class Refused(ValueError):
    """The request breaks a rule of the group; the message says which."""


def find(session: Session, model: type[T], ident: Any, label: str, lock: bool = False) -> T:
    """The record with this id, or NotFound naming what was missing.

    ``lock`` reads it with SELECT ... FOR UPDATE (PostgreSQL), for a read-check-write that
    must not interleave with another request's; SQLite's writing transactions are already
    serialised.
    """
    found = session.get(model, ident, with_for_update=lock)
    if found is None:
        raise NotFound(f"no {label} {ident}")
    return found
