"""Delegations, member companies (with ownership links) and participants."""

from __future__ import annotations

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
    companies: Mapped[list[Company]] = relationship(back_populates="delegation")


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
    delegation: Mapped[Delegation | None] = relationship(back_populates="companies")
    participants: Mapped[list[Participant]] = relationship(back_populates="company")


class Participant(Base):
    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    name: Mapped[str] = mapped_column(String(300))
    name_zh: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(String(300))
    illustrative: Mapped[bool] = mapped_column(default=False)
    company: Mapped[Company | None] = relationship(back_populates="participants")
