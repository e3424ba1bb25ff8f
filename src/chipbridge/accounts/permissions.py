"""Who may do what: the one permission matrix, enforced by the services and the routes.

Every action the system knows is a member of ``Action`` with exactly one ``Rule`` in
``RULES``. Services call ``require(actor, Action.X)`` before they read or change anything,
so the rule holds whether the call comes from a page, the API, the CLI or a test; every
route also names its action (``web.auth.permit``), so a route without a rule cannot be
registered. ``docs/permissions.md`` is generated from this table (``matrix_markdown``), and
a test keeps the two identical.

A later domain adds a capability in one place: a new ``Action`` member and its ``Rule``
below (then regenerate the docs with ``python -m chipbridge.accounts.permissions``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    SECRETARIAT = "secretariat"  # administers the group
    REVIEWER = "reviewer"  # compliance reviewer: decides screening hits and held documents
    COUNSEL = "counsel"  # antitrust and export-control sign-off
    DELEGATE = "delegate"  # belongs to one delegation, optionally its head
    OBSERVER = "observer"  # read-only


class Scope(StrEnum):
    """What an API token may do: read only, or read and write."""

    READ = "read"
    WRITE = "write"


class Forbidden(PermissionError):
    """The actor's role does not allow the action; the message says which rule refused it."""


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: an authenticated user, or a job run by the operator on the server.

    ``role`` is None only for a system job (the CLI, the demo seed, a re-screen after a
    list import); no request can produce one.
    """

    name: str
    role: Role | None
    user_id: int | None = None
    delegation: str | None = None
    head: bool = False
    scope: Scope = Scope.WRITE
    language: str = "en"

    @classmethod
    def system(cls, job: str) -> Actor:
        return cls(name=f"system: {job}", role=None)


EVERYONE = frozenset(Role)
COMPLIANCE = frozenset({Role.SECRETARIAT, Role.REVIEWER, Role.COUNSEL})


@dataclass(frozen=True, slots=True)
class Rule:
    roles: frozenset[Role]
    what: str  # what the action does, for messages and the docs
    writes: bool = False
    heads_only: bool = False  # delegates must also be their delegation's head


class Action(StrEnum):
    PUBLIC = "public"
    SIGNED_IN = "signed_in"
    GROUP_READ = "group.read"
    MEMBERS_EDIT = "members.edit"
    SCREEN_QUERY = "screen.query"
    SCREENING_READ = "screening.read"
    REVIEW_DECIDE = "review.decide"
    DOCUMENT_READ = "document.read"
    DOCUMENT_READ_HELD = "document.read_held"
    DOCUMENT_SUBMIT = "document.submit"
    DOCUMENT_REVIEW = "document.review"
    MEETING_PLAN = "meeting.plan"
    MEETING_RUN = "meeting.run"
    AGENDA_EDIT = "agenda.edit"
    AGENDA_SIGN_OFF = "agenda.sign_off"
    MINUTES_RECORD = "minutes.record"
    MINUTES_SIGN_OFF = "minutes.sign_off"
    MINUTES_READ_DRAFT = "minutes.read_draft"
    MINUTES_APPROVE = "minutes.approve"
    AUDIT_READ = "audit.read"
    CALENDAR_READ = "calendar.read"
    USER_ADMIN = "user.admin"


RULES: dict[Action, Rule] = {
    Action.PUBLIC: Rule(EVERYONE, "open the login page (no account needed)"),
    Action.SIGNED_IN: Rule(EVERYONE, "see their own account, sign out, read the API schema"),
    Action.GROUP_READ: Rule(
        EVERYONE, "see the delegations, companies, participants, meetings and agendas"
    ),
    Action.MEMBERS_EDIT: Rule(
        frozenset({Role.SECRETARIAT}),
        "add, edit and remove delegations' member companies and participants (each is "
        "screened, and screened again when renamed)",
        writes=True,
    ),
    Action.SCREEN_QUERY: Rule(COMPLIANCE, "screen a name in the screening console"),
    Action.SCREENING_READ: Rule(
        COMPLIANCE, "see screening hits, the review queue and review decisions"
    ),
    Action.REVIEW_DECIDE: Rule(
        frozenset({Role.REVIEWER}),
        "decide a potential match (a second reviewer must agree)",
        writes=True,
    ),
    Action.DOCUMENT_READ: Rule(EVERYONE, "see admitted documents"),
    Action.DOCUMENT_READ_HELD: Rule(
        COMPLIANCE, "see held and rejected documents and why they were held"
    ),
    Action.DOCUMENT_SUBMIT: Rule(
        frozenset({Role.SECRETARIAT, Role.COUNSEL, Role.DELEGATE}),
        "submit a document to the exchange",
        writes=True,
    ),
    Action.DOCUMENT_REVIEW: Rule(
        frozenset({Role.REVIEWER, Role.COUNSEL}), "admit or reject a held document", writes=True
    ),
    # The meeting cycle: the secretariat runs it, counsel signs off the agenda (before it is
    # circulated, and again after any change) and the minutes (before the heads approve).
    Action.MEETING_PLAN: Rule(
        frozenset({Role.SECRETARIAT}), "plan and create meetings", writes=True
    ),
    Action.MEETING_RUN: Rule(
        frozenset({Role.SECRETARIAT}),
        "circulate and lock an agenda, mark a meeting held and record who attended",
        writes=True,
    ),
    Action.AGENDA_EDIT: Rule(
        frozenset({Role.SECRETARIAT}),
        "add, edit and remove agenda items and policy tracks, propose late items",
        writes=True,
    ),
    Action.AGENDA_SIGN_OFF: Rule(
        frozenset({Role.COUNSEL}),
        "sign off an agenda before it is circulated or locked, approve or refuse a late item",
        writes=True,
    ),
    Action.MINUTES_RECORD: Rule(
        frozenset({Role.SECRETARIAT}), "draft the bilingual minutes", writes=True
    ),
    Action.MINUTES_SIGN_OFF: Rule(
        frozenset({Role.COUNSEL}), "sign off minutes before the heads approve them", writes=True
    ),
    Action.MINUTES_READ_DRAFT: Rule(
        frozenset({Role.SECRETARIAT, Role.COUNSEL, Role.DELEGATE}),
        "read minutes before both heads have approved them",
        heads_only=True,
    ),
    Action.MINUTES_APPROVE: Rule(
        frozenset({Role.DELEGATE}),
        "approve minutes for their own delegation, after counsel's sign-off",
        writes=True,
        heads_only=True,
    ),
    Action.AUDIT_READ: Rule(COMPLIANCE, "read the audit log"),
    # The feed holds what every role already sees on the meetings page (dates, venues, time
    # zones, states, tracks); it is served to a session or a bearer token, never to a token
    # in the URL, which would end up in logs and calendar apps' sync settings.
    Action.CALENDAR_READ: Rule(
        EVERYONE, "download the meetings calendar (iCalendar: dates, venues, time zones)"
    ),
    # Accounts and tokens are managed with `chipbridge users` / `chipbridge tokens` by the
    # operator on the server; no role does it through the web.
    Action.USER_ADMIN: Rule(frozenset(), "manage accounts and API tokens", writes=True),
}


def allowed(actor: Actor, action: Action) -> bool:
    if actor.role is None:
        return True  # a job the operator runs on the server itself
    rule = RULES[action]
    if actor.role not in rule.roles:
        return False
    if rule.heads_only and actor.role is Role.DELEGATE and not actor.head:
        return False
    return not (rule.writes and actor.scope is Scope.READ)


def require(actor: Actor, action: Action) -> None:
    """Raise Forbidden unless the matrix lets this actor take this action."""
    if allowed(actor, action):
        return
    rule = RULES[action]
    if rule.writes and actor.scope is Scope.READ and actor.role in rule.roles:
        raise Forbidden(f"a read-only token may not {rule.what}")
    who = f"{actor.role} {'(head)' if actor.head else ''}".strip()
    raise Forbidden(f"{actor.name} ({who}) may not {rule.what}")


def matrix_markdown() -> str:
    """The matrix as the Markdown table in docs/permissions.md."""
    roles = list(Role)
    lines = [
        "| action | what | " + " | ".join(r.value for r in roles) + " |",
        "| --- | --- | " + " | ".join("---" for _ in roles) + " |",
    ]
    for action, rule in RULES.items():
        cells = []
        for role in roles:
            if role not in rule.roles:
                cells.append("")
            elif rule.heads_only and role is Role.DELEGATE:
                cells.append("head")
            else:
                cells.append("yes")
        lines.append(f"| `{action.value}` | {rule.what} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(matrix_markdown(), end="")
