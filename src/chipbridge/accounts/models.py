"""Users, their web sessions, their API tokens, and failed logins (for throttling).

No secret is stored in the clear: passwords as argon2id hashes, session and API tokens as
SHA-256 digests (they are long random strings, so a fast hash is enough).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chipbridge.store.db import Base
from chipbridge.workgroup.delegations.models import Delegation


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegations.id"))
    is_head: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str] = mapped_column(String(5), default="en")
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    delegation: Mapped[Delegation | None] = relationship()


# One active head per delegation: minutes are approved by "the" head of each side.
_ONE_HEAD = User.is_head.is_(True) & User.active.is_(True)
Index(
    "uq_users_one_head_per_delegation",
    User.delegation_id,
    unique=True,
    sqlite_where=_ONE_HEAD,
    postgresql_where=_ONE_HEAD,
)


class LoginSession(Base):
    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    address: Mapped[str | None] = mapped_column(String(100))
    user: Mapped[User] = relationship()


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    user: Mapped[User] = relationship()


class LoginFailure(Base):
    """One failed login, kept to throttle by address (accounts count their own failures)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[datetime] = mapped_column(index=True)
