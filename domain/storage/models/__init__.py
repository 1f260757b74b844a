"""All tortoise models; `domain.storage.db` registers this module, so every model is imported here.

Each foreign key's `<name>_id` column, which tortoise sets on instances, is declared beside the
key as a bare annotation so that type checkers know it: tortoise makes fields only of class
attributes that are `Field`s, so an annotation without a value adds no column."""

from domain.storage.models.api_token import ApiToken, LoginCode, LoginThrottle, TokenScope
from domain.storage.models.audit import AuditEntry, AuditHead
from domain.storage.models.bot_state import BotState
from domain.storage.models.calendar import CalendarYear
from domain.storage.models.campaign import (
    Campaign,
    CampaignStatus,
    Coordinator,
    Draw,
    DrawCandidateChunk,
    DrawCandidates,
    DrawStatus,
    MemberRole,
    MemberStatus,
    Task,
    TeamMember,
)
from domain.storage.models.directory import (
    Conflict,
    Department,
    InspectionItem,
    Inspector,
    ItemKind,
    RiskClass,
    Target,
    TargetStatus,
)
from domain.storage.models.enrollment import Invite, InviteRole, ProcessedUpdate, TelegramAccount
from domain.storage.models.evidence import Evidence, EvidenceKind
from domain.storage.models.idempotency import IdempotentRequest
from domain.storage.models.outbox import (
    OutboxMessage,
    OutboxStatus,
    RecipientKind,
    Reminder,
    ReminderStatus,
)
from domain.storage.models.report import FollowUp, Penalty, Report, ReportSignature

__all__ = [
    "ApiToken",
    "AuditEntry",
    "AuditHead",
    "BotState",
    "CalendarYear",
    "Campaign",
    "CampaignStatus",
    "Conflict",
    "Coordinator",
    "Department",
    "Draw",
    "DrawCandidateChunk",
    "DrawCandidates",
    "DrawStatus",
    "Evidence",
    "EvidenceKind",
    "FollowUp",
    "IdempotentRequest",
    "InspectionItem",
    "Inspector",
    "Invite",
    "InviteRole",
    "ItemKind",
    "LoginCode",
    "LoginThrottle",
    "MemberRole",
    "MemberStatus",
    "OutboxMessage",
    "OutboxStatus",
    "Penalty",
    "ProcessedUpdate",
    "RecipientKind",
    "Reminder",
    "ReminderStatus",
    "Report",
    "ReportSignature",
    "RiskClass",
    "Target",
    "TargetStatus",
    "Task",
    "TeamMember",
    "TelegramAccount",
    "TokenScope",
]
