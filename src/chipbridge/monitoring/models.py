"""Monitored counterparties, the alerts raised on them, and what the last re-screen covered."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chipbridge.store.db import Base
from chipbridge.workgroup.delegations.models import Company

PARTY_TYPES = ("supplier", "customer", "distributor", "other")


class MonitoredParty(Base):
    """A member company's supplier, customer or distributor, screened like the group itself.

    The latest screening is kept on the row (one row per party, not one record per party per
    re-screen: there may be a hundred thousand); a party with hits also has a screening
    record in the review queue, written whenever its hits change.
    """

    __tablename__ = "monitored_parties"
    __table_args__ = (UniqueConstraint("owner_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(100))  # the owner's own id for the party
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2))
    type: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20), default="not screened")
    hits: Mapped[list[Any]] = mapped_column(default=list)
    # The best score down to the threshold minus the delta margin (see screening/delta.py).
    near: Mapped[float] = mapped_column(default=0.0)
    screened_at: Mapped[datetime | None]
    lists_used: Mapped[dict[str, Any] | None]
    owner: Mapped[Company] = relationship()


class Alert(Base):
    """A new potential match: a party (monitored, or the group's own) hit a listed entry it
    did not hit before, or an entry it hit changed."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_party", "subject", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))  # party | company | participant
    subject_id: Mapped[int]
    name: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    dataset: Mapped[str] = mapped_column(String(100))
    entry_id: Mapped[str] = mapped_column(String(200))
    listed_name: Mapped[str] = mapped_column(String(500))
    score: Mapped[float]
    citation: Mapped[str | None] = mapped_column(String(500))
    cause: Mapped[str] = mapped_column(String(20))  # new match | entry changed
    record_id: Mapped[int | None] = mapped_column(ForeignKey("screening_records.id"))
    lists_used: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(index=True)
    # The member company that monitors the party (none for the group's own companies and
    # participants).
    owner: Mapped[Company | None] = relationship()


class MonitoringState(Base):
    """What the last re-screen covered: the list generation and key every current result
    answers to, and ``run``, which names the profile cache written with those results (a
    cache with another run is not trusted and the next re-screen screens everyone)."""

    __tablename__ = "monitoring_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int]
    lists_key: Mapped[str] = mapped_column(String(64))
    run: Mapped[str] = mapped_column(String(32))
    full_at: Mapped[datetime]
    updated_at: Mapped[datetime]
