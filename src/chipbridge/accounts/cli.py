"""``chipbridge users`` and ``chipbridge tokens``: accounts and API tokens, run by the operator
on the server (no web page manages accounts).

Passwords and tokens are printed once, when they are made, and stored only as hashes.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from chipbridge.accounts.permissions import Actor

users = typer.Typer(help="Accounts: add, list, disable, reset passwords.", no_args_is_help=True)
tokens = typer.Typer(help="API tokens for /api/v1: create, list, revoke.", no_args_is_help=True)


class RoleName(StrEnum):
    secretariat = "secretariat"
    reviewer = "reviewer"
    counsel = "counsel"
    delegate = "delegate"
    observer = "observer"


class ScopeName(StrEnum):
    read = "read"
    write = "write"


@contextmanager
def _unit_of_work() -> Iterator[tuple[Session, Actor]]:
    """A transaction on the configured database, acting as the operator; rule errors become a
    one-line message and exit code 2."""
    from chipbridge.accounts.permissions import Actor
    from chipbridge.store.db import make_engine, migrate, session_factory, transaction
    from chipbridge.workgroup.errors import NotFound, Refused

    engine = make_engine()
    migrate(engine)
    try:
        with transaction(session_factory(engine)) as session:
            yield session, Actor.system(f"cli ({getpass.getuser()})")
    except (Refused, NotFound) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()


@users.command("add")
def users_add(
    email: Annotated[str, typer.Argument(help="The user's e-mail address (their login).")],
    role: Annotated[RoleName, typer.Option(help="What the user may do.")],
    delegation: Annotated[
        str | None, typer.Option(help="Delegation code (delegates only), e.g. SIA.")
    ] = None,
    head: Annotated[bool, typer.Option("--head", help="Head of the delegation.")] = False,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    language: Annotated[str, typer.Option(help="Interface language: en or zh.")] = "en",
) -> None:
    """Add a user and print a one-time initial password."""
    from chipbridge.accounts import service
    from chipbridge.accounts.permissions import Role

    with _unit_of_work() as (session, actor):
        user, password = service.add_user(
            session, actor, email, Role(role.value), name, delegation, head, language
        )
        typer.echo(f"added {user.email} ({user.role}); initial password, shown once:")
    typer.echo(password)


@users.command("list")
def users_list() -> None:
    """Every account: e-mail, role, delegation, state."""
    from chipbridge.accounts import service

    with _unit_of_work() as (session, _):
        for user in service.users(session):
            side = user.delegation.code if user.delegation else "-"
            state = "active" if user.active else "disabled"
            head = " head" if user.is_head else ""
            typer.echo(f"{user.email}\t{user.role}{head}\t{side}\t{state}")


@users.command("disable")
def users_disable(email: Annotated[str, typer.Argument()]) -> None:
    """Disable an account: it can no longer sign in, its sessions end, its tokens stop."""
    from chipbridge.accounts import service

    with _unit_of_work() as (session, actor):
        service.disable_user(session, actor, email)
    typer.echo(f"disabled {email}")


@users.command("reset-password")
def users_reset_password(email: Annotated[str, typer.Argument()]) -> None:
    """Set a new one-time password (also lifts a lockout and ends the user's sessions)."""
    from chipbridge.accounts import service

    with _unit_of_work() as (session, actor):
        password = service.reset_password(session, actor, email)
        typer.echo(f"new password for {email}, shown once:")
    typer.echo(password)


@tokens.command("create")
def tokens_create(
    email: Annotated[str, typer.Argument(help="Whose token: it acts with that user's role.")],
    name: Annotated[str, typer.Option(help="What the token is for.")],
    scope: Annotated[ScopeName, typer.Option(help="read, or read and write.")] = ScopeName.read,
) -> None:
    """Create an API token; the token is printed alone on the last line, once."""
    from chipbridge.accounts import service
    from chipbridge.accounts.permissions import Scope

    with _unit_of_work() as (session, actor):
        token, raw = service.create_token(session, actor, email, name, Scope(scope.value))
        typer.echo(f"token {token.id} ({token.scope}) for {email}; send it as 'Bearer <token>':")
    typer.echo(raw)


@tokens.command("list")
def tokens_list() -> None:
    """Every token: id, user, name, scope, state (never the token itself)."""
    from chipbridge.accounts import service

    with _unit_of_work() as (session, _):
        for token in service.tokens(session):
            state = "revoked" if token.revoked_at else "active"
            typer.echo(f"{token.id}\t{token.user.email}\t{token.name}\t{token.scope}\t{state}")


@tokens.command("revoke")
def tokens_revoke(token_id: Annotated[int, typer.Argument(min=1, max=2**63 - 1)]) -> None:
    """Revoke a token: it is refused from the next request on."""
    from chipbridge.accounts import service

    with _unit_of_work() as (session, actor):
        service.revoke_token(session, actor, token_id)
    typer.echo(f"revoked token {token_id}")
