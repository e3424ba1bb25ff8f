"""Every table, gathered so Alembic and tests see the whole schema."""

from chipbridge.accounts.models import ApiToken, LoginFailure, LoginSession, User
from chipbridge.store.db import Base
from chipbridge.workgroup.audit.models import AuditEntry
from chipbridge.workgroup.delegations.models import Company, Delegation, Participant
from chipbridge.workgroup.documents.models import Document
from chipbridge.workgroup.meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    Minutes,
    MinutesApproval,
    MinutesBlock,
    SignOff,
    Track,
)
from chipbridge.workgroup.reviews.models import Decision, FalsePositive, ScreeningRecord

__all__ = [
    "AgendaItem",
    "ApiToken",
    "Attendance",
    "AuditEntry",
    "Base",
    "Company",
    "Decision",
    "Delegation",
    "Document",
    "FalsePositive",
    "LoginFailure",
    "LoginSession",
    "Meeting",
    "Minutes",
    "MinutesApproval",
    "MinutesBlock",
    "Participant",
    "ScreeningRecord",
    "SignOff",
    "Track",
    "User",
]
