"""Delegations, member companies (with ownership links) and participants.

Companies and participants are never deleted: removing one stamps ``removed_at`` and
``removed_by`` (the audit log keeps what it was), and every list of the group leaves it out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chipbridge.store.db import Base


class Delegation(Base):
    """One association's side of the working group (SIA or CSIA)."""

    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    association: Mapped[str] = mapped_column(String(200))
    association_zh: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    head: Mapped[str | None] = mapped_column(String(200))
    # Where this side hosts the meetings it hosts, and that place's IANA time zone.
    venue: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str | None] = mapped_column(String(64))
    companies: Mapped[list[Company]] = relationship(back_populates="delegation")

    @property
    def members(self) -> list[Company]:
        """The member companies that have not been removed."""
        return [c for c in self.companies if c.removed_at is None]


class Company(Base):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegations.id"))
    name: Mapped[str] = mapped_column(String(300))
    name_zh: Mapped[str | None] = mapped_column(String(300))
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    country: Mapped[str] = mapped_column(String(2))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    ownership_percent: Mapped[float | None]
    illustrative: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(String(1000))
    removed_at: Mapped[datetime | None]
    removed_by: Mapped[str | None] = mapped_column(String(254))
    delegation: Mapped[Delegation | None] = relationship(back_populates="companies")
    participants: Mapped[list[Participant]] = relationship(back_populates="company")

    @property
    def people(self) -> list[Participant]:
        """The participants that have not been removed."""
        return [p for p in self.participants if p.removed_at is None]


class Participant(Base):
    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    name: Mapped[str] = mapped_column(String(300))
    name_zh: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(String(300))
    illustrative: Mapped[bool] = mapped_column(default=False)
    removed_at: Mapped[datetime | None]
    removed_by: Mapped[str | None] = mapped_column(String(254))
    company: Mapped[Company | None] = relationship(back_populates="participants")
