"""Meetings twice a year, agenda items in policy tracks, and minutes."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chipbridge.store.db import Base


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
    approved_by: Mapped[list[Any]] = mapped_column(default=list)  # delegation codes
    meeting: Mapped[Meeting] = relationship(back_populates="minutes")
