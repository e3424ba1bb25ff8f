"""Accounts: users, passwords, logins with throttling and lockout, sessions, API tokens.

Every function takes the database session of the caller's unit of work; none commits.
Login and session checks return outcomes instead of raising, so that the caller can commit
what they recorded (a failed attempt, a lockout, an expired session) and still refuse.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from chipbridge.accounts.models import ApiToken, LoginFailure, LoginSession, User
from chipbridge.accounts.permissions import Action, Actor, Role, Scope, require
from chipbridge.workgroup.audit.service import record
from chipbridge.workgroup.delegations.models import Delegation
from chipbridge.workgroup.errors import NotFound, Refused

PASSWORDS = PasswordHash((Argon2Hasher(),))  # argon2id with the library's parameters

ACCOUNT_RATE = 3  # failed logins per account per minute before further tries wait
ACCOUNT_WINDOW = timedelta(minutes=1)
LOCK_AFTER = 5  # consecutive failed logins lock the account ...
LOCK_FOR = timedelta(minutes=15)  # ... for this long (or until its password is reset)
ADDRESS_RATE = 20  # failed logins from one address ...
ADDRESS_WINDOW = timedelta(minutes=15)  # ... within this window before it must wait
IDLE_TIMEOUT = timedelta(minutes=30)
MAX_SESSION = timedelta(hours=12)
TOUCH_EVERY = timedelta(minutes=1)  # how stale last_seen may get before it is rewritten

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
LANGUAGES = ("en", "zh")


@cache
def _dummy_hash() -> str:
    """A hash of a random password, verified when the e-mail is unknown so that a wrong
    e-mail takes as long as a wrong password."""
    return PASSWORDS.hash(secrets.token_urlsafe(16))


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(session_token: str) -> str:
    """The CSRF token of a web session: derived from the session's secret, never stored.

    The session token lives only in an HttpOnly cookie, so another site can neither read nor
    compute it.
    """
    return hmac.new(session_token.encode(), b"chipbridge csrf", hashlib.sha256).hexdigest()


# Who a credential belongs to, in one query with the credential (a session or a token) on
# every request: the columns an Actor needs, with the user's delegation code. The statements
# are built once (building one costs more than running it).
_WHO = (
    User.id.label("user_id"),
    User.email,
    User.role,
    User.is_head,
    User.language,
    User.active,
    Delegation.code.label("delegation"),
)
_SESSION = (
    select(
        LoginSession.id,
        LoginSession.ended_at,
        LoginSession.created_at,
        LoginSession.last_seen_at,
        *_WHO,
    )
    .join(User, LoginSession.user_id == User.id)
    .outerjoin(Delegation, User.delegation_id == Delegation.id)
    .where(LoginSession.token_hash == bindparam("digest"))
)
_TOKEN = (
    select(ApiToken.id, ApiToken.scope, ApiToken.revoked_at, ApiToken.last_used_at, *_WHO)
    .join(User, ApiToken.user_id == User.id)
    .outerjoin(Delegation, User.delegation_id == Delegation.id)
    .where(ApiToken.token_hash == bindparam("digest"))
)


def actor_for(user: User, scope: Scope = Scope.WRITE) -> Actor:
    """The actor a loaded user acts as (the CLI acting for a user)."""
    code = user.delegation.code if user.delegation else None
    return Actor(user.email, Role(user.role), user.id, code, user.is_head, scope, user.language)


def _actor(row: Any, scope: Scope = Scope.WRITE) -> Actor:
    """The actor behind a credential, from the row of ``_SESSION`` or ``_TOKEN``."""
    return Actor(
        name=row.email,
        role=Role(row.role),
        user_id=row.user_id,
        delegation=row.delegation,
        head=row.is_head,
        scope=scope,
        language=row.language,
    )


def user_dict(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "delegation": user.delegation.code if user.delegation else None,
        "head": user.is_head,
        "language": user.language,
        "active": user.active,
    }


def new_password() -> str:
    return secrets.token_urlsafe(12)


def get_user(session: Session, email: str) -> User:
    found = session.scalar(select(User).where(User.email == email.strip().lower()))
    if found is None:
        raise NotFound(f"no user {email!r}")
    return found


def users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.role, User.email)))


def add_user(
    session: Session,
    actor: Actor,
    email: str,
    role: Role,
    name: str | None = None,
    delegation_code: str | None = None,
    head: bool = False,
    language: str = "en",
) -> tuple[User, str]:
    """Create an account; returns it with its one-time initial password."""
    require(actor, Action.USER_ADMIN)
    email = email.strip().lower()
    if not _EMAIL.match(email) or len(email) > 254:
        raise Refused(f"{email!r} is not an e-mail address")
    if session.scalar(select(User).where(User.email == email)) is not None:
        raise Refused(f"a user {email} exists")
    if language not in LANGUAGES:
        raise Refused(f"language must be one of: {', '.join(LANGUAGES)}")
    delegation = None
    if role is Role.DELEGATE:
        if not delegation_code:
            raise Refused("a delegate belongs to a delegation: give --delegation CODE")
        delegation = session.scalar(select(Delegation).where(Delegation.code == delegation_code))
        if delegation is None:
            raise NotFound(f"no delegation {delegation_code!r}")
    elif delegation_code or head:
        raise Refused("only a delegate belongs to a delegation or heads one")
    if head and delegation is not None:
        existing = session.scalar(
            select(User).where(
                User.delegation_id == delegation.id, User.is_head.is_(True), User.active.is_(True)
            )
        )
        if existing is not None:
            raise Refused(f"{delegation.code} already has a head: {existing.email}")
    password = new_password()
    user = User(
        email=email,
        name=name or email.split("@")[0],
        role=role.value,
        delegation=delegation,
        is_head=head,
        language=language,
        password_hash=PASSWORDS.hash(password),
        active=True,
        failed_logins=0,
        created_at=now(),
    )
    session.add(user)
    session.flush()
    record(session, actor.name, "create", "user", user.id, None, user_dict(user))
    return user, password


def disable_user(session: Session, actor: Actor, email: str) -> User:
    require(actor, Action.USER_ADMIN)
    user = get_user(session, email)
    user.active = False
    _end_sessions(session, user)
    record(session, actor.name, "disable", "user", user.id, {"active": True}, {"active": False})
    return user


def reset_password(session: Session, actor: Actor, email: str) -> str:
    """A new one-time password; also lifts a lockout and signs the user out everywhere."""
    require(actor, Action.USER_ADMIN)
    user = get_user(session, email)
    password = new_password()
    user.password_hash = PASSWORDS.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    _end_sessions(session, user)
    record(session, actor.name, "reset_password", "user", user.id, None, {"email": user.email})
    return password


def _end_sessions(session: Session, user: User) -> None:
    for open_session in session.scalars(
        select(LoginSession).where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
    ):
        open_session.ended_at = now()


@dataclass(frozen=True, slots=True)
class LoginOutcome:
    """A successful login carries the user and the new session's token; a failure carries the
    HTTP status and a message that does not say whether the e-mail exists."""

    user: User | None = None
    token: str | None = None
    status: int = 200
    message: str = ""
    retry_after: int | None = None


def login(
    session: Session, email: str, password: str, address: str, at: datetime | None = None
) -> LoginOutcome:
    """Check a password, with throttling per address and per account and a lockout."""
    at = at or now()
    email = email.strip().lower()[:254]
    address = address[:100]
    from_address = session.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.address == address, LoginFailure.at > at - ADDRESS_WINDOW)
    )
    if (from_address or 0) >= ADDRESS_RATE:
        _log(session, email, address, "throttled: too many failed logins from this address")
        return LoginOutcome(
            status=429,
            message="too many failed logins from your address; try again later",
            retry_after=int(ADDRESS_WINDOW.total_seconds()),
        )
    user = session.scalar(select(User).where(User.email == email))
    if user is not None and user.locked_until is not None and user.locked_until > at:
        _log(session, email, address, "refused: account locked", user)
        return LoginOutcome(
            status=423,
            message=f"this account is locked until {user.locked_until:%Y-%m-%d %H:%M} UTC "
            "after repeated failed logins; the secretariat can reset its password",
            retry_after=int((user.locked_until - at).total_seconds()) + 1,
        )
    recent = session.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.email == email, LoginFailure.at > at - ACCOUNT_WINDOW)
    )
    if (recent or 0) >= ACCOUNT_RATE:
        _log(session, email, address, "throttled: too many failed logins for this account", user)
        return LoginOutcome(
            status=429,
            message="too many failed logins for this account; wait a minute and try again",
            retry_after=int(ACCOUNT_WINDOW.total_seconds()),
        )
    if user is None or not user.active:
        PASSWORDS.verify(password, _dummy_hash())
        return _failed(session, email, address, at, user)
    valid, rehashed = PASSWORDS.verify_and_update(password, user.password_hash)
    if not valid:
        return _failed(session, email, address, at, user)
    if rehashed:
        user.password_hash = rehashed
    user.failed_logins = 0
    user.locked_until = None
    token = secrets.token_urlsafe(32)
    session.add(
        LoginSession(
            token_hash=digest(token), user=user, created_at=at, last_seen_at=at, address=address
        )
    )
    record(session, user.email, "login", "user", user.id, None, {"address": address})
    return LoginOutcome(user=user, token=token)


def _failed(
    session: Session, email: str, address: str, at: datetime, user: User | None
) -> LoginOutcome:
    session.add(LoginFailure(email=email, address=address, at=at))
    reason = "failed login: wrong e-mail or password"
    if user is not None and user.active:
        user.failed_logins += 1
        if user.failed_logins >= LOCK_AFTER:
            user.locked_until = at + LOCK_FOR
            user.failed_logins = 0
            reason = f"failed login; account locked for {LOCK_FOR} after {LOCK_AFTER} failures"
    _log(session, email, address, reason, user)
    return LoginOutcome(status=401, message="wrong e-mail or password")


def _log(session: Session, email: str, address: str, reason: str, user: User | None = None) -> None:
    """A refused attempt goes to the audit log like any other act."""
    record(
        session,
        f"anonymous ({address})",
        "refused",
        "login",
        user.id if user else None,
        None,
        {"email": email, "reason": reason},
    )


def logout(session: Session, token: str) -> None:
    found = session.scalar(select(LoginSession).where(LoginSession.token_hash == digest(token)))
    if found is not None and found.ended_at is None:
        found.ended_at = now()
        record(session, found.user.email, "logout", "user", found.user_id)


@dataclass(frozen=True, slots=True)
class Credential:
    """What a session cookie or bearer token resolved to.

    ``actor`` is None when it was refused; ``reason`` then says why and ``log`` whether the
    attempt belongs in the audit log (an expired session, a revoked or unknown token).
    ``touch`` is the id of the session or token whose last use should be rewritten.
    """

    actor: Actor | None
    reason: str = ""
    log: bool = False
    touch: int | None = None


def check_session(
    session: Session, token: str, at: datetime, idle: timedelta = IDLE_TIMEOUT
) -> Credential:
    found = session.execute(_SESSION, {"digest": digest(token)}).first()
    if found is None or found.ended_at is not None:
        return Credential(None, "you are signed out; please sign in")
    if not found.active:
        return Credential(None, "this account is disabled", log=True)
    if at - found.last_seen_at > idle or at - found.created_at > MAX_SESSION:
        return Credential(None, "your session expired; please sign in again", log=True)
    stale = at - found.last_seen_at > TOUCH_EVERY
    return Credential(_actor(found), touch=found.id if stale else None)


def touch_session(session: Session, ident: int, at: datetime) -> None:
    found = session.get(LoginSession, ident)
    if found is not None and found.ended_at is None:
        found.last_seen_at = max(found.last_seen_at, at)


def expire_session(session: Session, token: str, at: datetime) -> None:
    found = session.scalar(select(LoginSession).where(LoginSession.token_hash == digest(token)))
    if found is not None and found.ended_at is None:
        found.ended_at = at


def create_token(
    session: Session, actor: Actor, email: str, name: str, scope: Scope
) -> tuple[ApiToken, str]:
    """A new API token for a user; the token itself is returned once and stored hashed."""
    require(actor, Action.USER_ADMIN)
    user = get_user(session, email)
    if not user.active:
        raise Refused(f"{email} is disabled")
    if not name.strip() or len(name) > 100:
        raise Refused("a token needs a name of at most 100 characters")
    raw = "cb_" + secrets.token_urlsafe(32)
    token = ApiToken(
        token_hash=digest(raw), user=user, name=name.strip(), scope=scope.value, created_at=now()
    )
    session.add(token)
    session.flush()
    record(
        session,
        actor.name,
        "create",
        "api_token",
        token.id,
        None,
        {"user": user.email, "name": token.name, "scope": token.scope},
    )
    return token, raw


def tokens(session: Session) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.id)))


def revoke_token(session: Session, actor: Actor, token_id: int) -> ApiToken:
    require(actor, Action.USER_ADMIN)
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"no token {token_id}")
    if token.revoked_at is None:
        token.revoked_at = now()
        record(session, actor.name, "revoke", "api_token", token.id, None, {"name": token.name})
    return token


def check_token(session: Session, raw: str, at: datetime) -> Credential:
    found = session.execute(_TOKEN, {"digest": digest(raw)}).first()
    if found is None:
        return Credential(None, "unknown API token", log=True)
    if found.revoked_at is not None:
        return Credential(None, "this API token was revoked", log=True)
    if not found.active:
        return Credential(None, "this account is disabled", log=True)
    stale = found.last_used_at is None or at - found.last_used_at > TOUCH_EVERY
    return Credential(_actor(found, Scope(found.scope)), touch=found.id if stale else None)


def touch_token(session: Session, ident: int, at: datetime) -> None:
    found = session.get(ApiToken, ident)
    if found is not None:
        found.last_used_at = at
