"""Meetings twice a year, agenda items in policy tracks, and minutes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chipbridge.store.db import Base
from chipbridge.workgroup.delegations.models import Delegation


class Track(Base):
    __tablename__ = "tracks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_on: Mapped[date]
    location: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="planned")
    agenda: Mapped[list[AgendaItem]] = relationship(back_populates="meeting")
    minutes: Mapped[Minutes | None] = relationship(back_populates="meeting")


class AgendaItem(Base):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    track_id: Mapped[int] = mapped_column(ForeignKey("tracks.id"))
    title: Mapped[str] = mapped_column(String(300))
    meeting: Mapped[Meeting] = relationship(back_populates="agenda")
    track: Mapped[Track] = relationship()


class Minutes(Base):
    __tablename__ = "minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    meeting: Mapped[Meeting] = relationship(back_populates="minutes")
    approvals: Mapped[list[MinutesApproval]] = relationship(
        back_populates="minutes", order_by="MinutesApproval.id"
    )

    @property
    def approved_by(self) -> list[str]:
        """The codes of the delegations whose heads approved, in order."""
        return [a.delegation.code for a in self.approvals]


class MinutesApproval(Base):
    """One delegation's approval, one row each: two heads approving at the same instant
    insert two rows, and a delegation cannot approve twice (unique constraint)."""

    __tablename__ = "minutes_approvals"
    __table_args__ = (UniqueConstraint("minutes_id", "delegation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id"))
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"))
    approved_by: Mapped[str] = mapped_column(String(254))  # the head's e-mail
    approved_at: Mapped[datetime]
    minutes: Mapped[Minutes] = relationship(back_populates="approvals")
    delegation: Mapped[Delegation] = relationship()
