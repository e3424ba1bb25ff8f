"""Meetings twice a year: policy tracks, agendas, counsel's sign-offs, attendance, bilingual
minutes and the heads' approvals.

A meeting's ``status`` is one state of the lifecycle in ``service.STEPS``; nothing else
changes it. Agenda items, tracks and minutes blocks are never deleted: removing one stamps
``removed_at`` and ``removed_by``, and the audit log keeps what it said.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chipbridge.store.db import Base
from chipbridge.workgroup.delegations.models import Delegation, Participant


class State(StrEnum):
    DRAFT = "draft"
    AGENDA_CIRCULATED = "agenda_circulated"
    AGENDA_LOCKED = "agenda_locked"
    HELD = "held"
    MINUTES_DRAFTED = "minutes_drafted"
    MINUTES_APPROVED = "minutes_approved"


class Track(Base):
    __tablename__ = "tracks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_zh: Mapped[str | None] = mapped_column(String(200))
    removed_at: Mapped[datetime | None]
    removed_by: Mapped[str | None] = mapped_column(String(254))


meeting_tracks = Table(
    "meeting_tracks",
    Base.metadata,
    Column("meeting_id", ForeignKey("meetings.id"), primary_key=True),
    Column("track_id", ForeignKey("tracks.id"), primary_key=True),
)


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_on: Mapped[date]
    start_time: Mapped[time] = mapped_column(default=time(9, 0), server_default="09:00:00")
    end_time: Mapped[time] = mapped_column(default=time(17, 0), server_default="17:00:00")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    location: Mapped[str | None] = mapped_column(String(200))
    host_delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegations.id"))
    status: Mapped[str] = mapped_column(String(20), default=State.DRAFT)
    circulated_at: Mapped[datetime | None]
    locked_at: Mapped[datetime | None]
    held_at: Mapped[datetime | None]
    counsel_present: Mapped[bool | None]
    counsel_name: Mapped[str | None] = mapped_column(String(200))
    host: Mapped[Delegation | None] = relationship()
    tracks: Mapped[list[Track]] = relationship(secondary=meeting_tracks, order_by=Track.id)
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position"
    )
    minutes: Mapped[Minutes | None] = relationship(back_populates="meeting")
    attendance: Mapped[list[Attendance]] = relationship(order_by="Attendance.id")
    sign_offs: Mapped[list[SignOff]] = relationship(order_by="SignOff.id")


class AgendaItem(Base):
    """One item. The first item of every agenda is the antitrust statement (``antitrust``);
    an item proposed after the lock is ``late`` (pending, approved or refused by counsel)."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    track_id: Mapped[int | None] = mapped_column(ForeignKey("tracks.id"))
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    title: Mapped[str] = mapped_column(String(300))
    title_zh: Mapped[str | None] = mapped_column(String(300))
    antitrust: Mapped[bool] = mapped_column(default=False, server_default=false())
    late: Mapped[str | None] = mapped_column(String(10))  # pending | approved | refused
    late_reason: Mapped[str | None] = mapped_column(String(1000))
    late_decided_by: Mapped[str | None] = mapped_column(String(254))
    late_decided_at: Mapped[datetime | None]
    removed_at: Mapped[datetime | None]
    removed_by: Mapped[str | None] = mapped_column(String(254))
    meeting: Mapped[Meeting] = relationship(back_populates="agenda")
    track: Mapped[Track | None] = relationship()

    @property
    def on_agenda(self) -> bool:
        """Part of the agenda: not removed, and not a late item counsel has not approved."""
        return self.removed_at is None and self.late in (None, "approved")


class SignOff(Base):
    """Counsel's sign-off of an agenda or of minutes: it holds while the content it signed
    (``content_hash``) is unchanged."""

    __tablename__ = "sign_offs"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    subject: Mapped[str] = mapped_column(String(10))  # agenda | minutes
    content_hash: Mapped[str] = mapped_column(String(64))
    signed_by: Mapped[str] = mapped_column(String(254))
    signed_at: Mapped[datetime]


class Attendance(Base):
    """Who attended, for which delegation, in what capacity."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"))
    capacity: Mapped[str] = mapped_column(String(30))
    participant: Mapped[Participant] = relationship()
    delegation: Mapped[Delegation] = relationship()


class Minutes(Base):
    __tablename__ = "minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), unique=True)
    drafted_by: Mapped[str | None] = mapped_column(String(254))
    drafted_at: Mapped[datetime | None]
    meeting: Mapped[Meeting] = relationship(back_populates="minutes")
    blocks: Mapped[list[MinutesBlock]] = relationship(order_by="MinutesBlock.position")
    approvals: Mapped[list[MinutesApproval]] = relationship(
        back_populates="minutes", order_by="MinutesApproval.id"
    )

    @property
    def approved_by(self) -> list[str]:
        """The codes of the delegations whose heads approved, in order."""
        return [a.delegation.code for a in self.approvals]

    @property
    def live_blocks(self) -> list[MinutesBlock]:
        return [b for b in self.blocks if b.removed_at is None]


class MinutesBlock(Base):
    """One passage of the minutes in English and Chinese side by side, attributed to the
    speaker or delegation it records, and to the person who wrote it down."""

    __tablename__ = "minutes_blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id"))
    position: Mapped[int]
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"))
    attributed_to: Mapped[str] = mapped_column(String(300))
    text_en: Mapped[str] = mapped_column(Text)
    text_zh: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(254))
    removed_at: Mapped[datetime | None]
    removed_by: Mapped[str | None] = mapped_column(String(254))
    agenda_item: Mapped[AgendaItem | None] = relationship()


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
