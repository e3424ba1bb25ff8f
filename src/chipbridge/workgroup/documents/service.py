"""The document gate: public information only, with red flags held for review."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.orm import Session

from chipbridge.accounts.permissions import Action, Actor, allowed, require
from chipbridge.workgroup.audit.service import record
from chipbridge.workgroup.documents.models import Document
from chipbridge.workgroup.errors import Refused, find

# Antitrust: competitors must not exchange these. Export control: signs of controlled
# technology or non-public material.
ANTITRUST = (
    "price",
    "prices",
    "pricing",
    "cost",
    "costs",
    "capacity",
    "output",
    "customer",
    "customers",
    "territory",
    "territories",
    "bid",
    "bids",
    "bidding",
)
EXPORT_PHRASES = (
    "technology for the development or production",
    "source code",
    "proprietary",
    "confidential",
    "not for public release",
)
_ECCN = re.compile(r"\b[0-9][A-E][0-9]{3}(?:\.[a-z](?:\.[0-9]+)?)?\b")
_WORD = re.compile(r"[a-z]+")


def red_flags(text: str) -> list[str]:
    """Every reason the text should be held for a reviewer."""
    lowered = text.lower()
    words = set(_WORD.findall(lowered))
    reasons = [f"antitrust: mentions {w!r}" for w in ANTITRUST if w in words]
    reasons += [f"export control: ECCN-like code {m}" for m in sorted(set(_ECCN.findall(text)))]
    reasons += [f"export control: {p!r}" for p in EXPORT_PHRASES if p in lowered]
    return reasons


def submit(
    session: Session,
    actor: Actor,
    title: str,
    source_url: str | None,
    published_on: date | None,
    text: str,
) -> Document:
    """Admit a public document, hold one with red flags, refuse one without a public source."""
    require(actor, Action.DOCUMENT_SUBMIT)
    if not title.strip():
        raise Refused("a document needs a title")
    url = (source_url or "").strip()
    try:
        parsed = urlparse(url)
    except ValueError:  # e.g. "http://[": an unclosed IPv6 address
        raise Refused(f"the source URL {url[:100]!r} is not a valid address") from None
    if parsed.scheme not in ("http", "https") or not parsed.netloc or published_on is None:
        raise Refused(
            "only public information is admitted: give the public source URL (http/https) "
            "and its publication date"
        )
    if published_on > date.today():
        raise Refused("the publication date is in the future")
    reasons = red_flags(f"{title}\n{text}")
    document = Document(
        title=title,
        source_url=url,
        published_on=published_on,
        text=text,
        status="held" if reasons else "admitted",
        reasons=reasons,
        submitted_by=actor.name,
    )
    session.add(document)
    session.flush()
    record(
        session,
        actor.name,
        "submit",
        "document",
        document.id,
        None,
        {"status": document.status, "reasons": reasons},
    )
    return document


def review(session: Session, actor: Actor, document_id: int, admit: bool, reason: str) -> Document:
    """Admit or reject a held document; the reviewer is the signed-in user."""
    require(actor, Action.DOCUMENT_REVIEW)
    document = find(session, Document, document_id, "document", lock=True)
    if document.status != "held":
        raise Refused(f"document {document_id} is {document.status}, not held for review")
    if not reason.strip():
        raise Refused("a review needs a reason")
    before = document.status
    document.status = "admitted" if admit else "rejected"
    document.decided_by = actor.name
    document.decision_reason = reason
    record(
        session,
        actor.name,
        "review",
        "document",
        document.id,
        {"status": before},
        {"status": document.status, "reason": reason},
    )
    return document


def documents(session: Session, actor: Actor) -> list[Document]:
    """Admitted documents for everyone; held and rejected ones only for compliance roles."""
    require(actor, Action.DOCUMENT_READ)
    query = select(Document).order_by(Document.id.desc())
    if not allowed(actor, Action.DOCUMENT_READ_HELD):
        query = query.where(Document.status == "admitted")
    return list(session.scalars(query))
