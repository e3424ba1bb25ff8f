"""What a meeting page and its printed pack show, from one context and the same template
macros (``web/templates/_meeting.html``): the agenda by policy track opening with the
antitrust statement, the participants by delegation, the admitted documents with their
public sources. The pack is the bilingual PDF of it (``web.pdf.render_pdf``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Action, Actor, require
from chipbridge.web import i18n
from chipbridge.workgroup.delegations.models import Company, Delegation, Participant
from chipbridge.workgroup.documents.models import Document
from chipbridge.workgroup.meetings import service
from chipbridge.workgroup.meetings.models import AgendaItem, Meeting, Track


def agenda_by_track(
    meeting: Meeting,
) -> tuple[list[AgendaItem], list[tuple[Track, list[AgendaItem]]]]:
    """The antitrust statement (first), then each of the meeting's tracks with its items."""
    items = service.agenda_items(meeting)
    opening = [i for i in items if i.antitrust]
    groups = [(t, [i for i in items if i.track_id == t.id]) for t in meeting.tracks]
    return opening, groups


def sides(session: Session, meeting: Meeting) -> list[dict[str, Any]]:
    """Per delegation, who attended in what capacity once the meeting is held; before that,
    the delegation's participants."""
    out = []
    for delegation in session.scalars(select(Delegation).order_by(Delegation.id)):
        if meeting.attendance:
            people = [
                {"person": a.participant, "capacity": a.capacity}
                for a in meeting.attendance
                if a.delegation_id == delegation.id
            ]
        else:
            people = [
                {"person": p, "capacity": None}
                for p in session.scalars(
                    select(Participant)
                    .join(Company)
                    .where(
                        Company.delegation_id == delegation.id,
                        Company.removed_at.is_(None),
                        Participant.removed_at.is_(None),
                    )
                    .order_by(Participant.id)
                )
            ]
        out.append({"delegation": delegation, "people": people})
    return out


def documents(session: Session, day: date) -> list[Document]:
    """Admitted documents published by the meeting's day: public information only."""
    return list(
        session.scalars(
            select(Document)
            .where(Document.status == "admitted", Document.published_on <= day)
            .order_by(Document.published_on, Document.id)
        )
    )


def context(session: Session, actor: Actor, meeting: Meeting) -> dict[str, Any]:
    require(actor, Action.GROUP_READ)
    opening, groups = agenda_by_track(meeting)
    return {
        "meeting": meeting,
        "state": service.label(meeting.status),
        "opening": opening,
        "groups": groups,
        "sides": sides(session, meeting),
        "documents": documents(session, meeting.starts_on),
        "statement": service.ANTITRUST_STATEMENT,
        "statement_title": service.ANTITRUST_TITLE,
    }


def bilingual() -> Callable[[str], str]:
    """Interface strings in both languages, for a document both sides read."""
    english, chinese = i18n.translator("en"), i18n.translator("zh")

    def both(text: str) -> str:
        zh = chinese(text)
        return english(text) if zh == text else f"{english(text)} · {zh}"

    return both


def render(session: Session, actor: Actor, meeting_id: int) -> bytes:
    """The meeting pack as PDF bytes."""
    from chipbridge.web.pdf import render_pdf

    meeting = service.get(session, actor, meeting_id)
    return render_pdf(
        "meeting_pack.html", _=bilingual(), lang="en", **context(session, actor, meeting)
    )
