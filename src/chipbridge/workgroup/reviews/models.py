"""Screening records for every company and participant, and reviewers' decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chipbridge.store.db import Base

STATUSES = ("clear", "potential match", "confirmed match", "false positive")


class ScreeningRecord(Base):
    __tablename__ = "screening_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))  # company | participant
    subject_id: Mapped[int]
    name: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))
    top_score: Mapped[float] = mapped_column(default=0.0)
    hits: Mapped[list[Any]] = mapped_column(default=list)
    lists_key: Mapped[str] = mapped_column(String(64))
    screened_at: Mapped[datetime]
    current: Mapped[bool] = mapped_column(default=True)
    decisions: Mapped[list[Decision]] = relationship(back_populates="record")


class Decision(Base):
    __tablename__ = "review_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("screening_records.id"))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(2000))
    reviewer: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime]
    record: Mapped[ScreeningRecord] = relationship(back_populates="decisions")
