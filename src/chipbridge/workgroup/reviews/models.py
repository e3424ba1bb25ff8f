"""Screening records for every company and participant, reviewers' decisions (four eyes),
and the false positives remembered per party and listed entry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chipbridge.store.db import Base

STATUSES = ("clear", "potential match", "confirmed match", "false positive")


class ScreeningRecord(Base):
    __tablename__ = "screening_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))  # company | participant | party
    subject_id: Mapped[int]
    name: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))
    top_score: Mapped[float] = mapped_column(default=0.0)
    hits: Mapped[list[Any]] = mapped_column(default=list)
    lists_key: Mapped[str] = mapped_column(String(64))
    # {dataset: version} of every list screened against: the record can be reproduced with
    # `chipbridge screen --as-of` on the versions it names.
    lists_used: Mapped[dict[str, Any] | None]
    screened_at: Mapped[datetime]
    current: Mapped[bool] = mapped_column(default=True)
    # Decisions count in rounds: a disagreement closes the round and the record is open again.
    review_round: Mapped[int] = mapped_column(default=0, server_default="0")
    note: Mapped[str | None] = mapped_column(String(1000))  # why it is (again) in the queue
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="record", order_by="Decision.id"
    )


class Decision(Base):
    __tablename__ = "review_decisions"
    __table_args__ = (UniqueConstraint("record_id", "round", "reviewer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("screening_records.id"))
    round: Mapped[int] = mapped_column(default=0, server_default="0")
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(2000))
    reviewer: Mapped[str] = mapped_column(String(200))  # the reviewer's e-mail
    decided_at: Mapped[datetime]
    record: Mapped[ScreeningRecord] = relationship(back_populates="decisions")


class FalsePositive(Base):
    """A party judged not to be a listed entry, remembered while that entry is unchanged.

    ``entry_hash`` is the SHA-256 of the listed entry's content when the decision was made;
    a re-screen that finds the same entry with another hash voids the memory and queues the
    party again, saying why.
    """

    __tablename__ = "false_positives"
    __table_args__ = (Index("ix_false_positives_party", "subject", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    dataset: Mapped[str] = mapped_column(String(100))
    entry_id: Mapped[str] = mapped_column(String(200))
    entry_hash: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int] = mapped_column(ForeignKey("screening_records.id"))
    decided_at: Mapped[datetime]
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str | None] = mapped_column(String(1000))
