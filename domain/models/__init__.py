"""All tortoise models; `domain.db` registers this module, so every model is imported here.

Each foreign key's `<name>_id` column, which tortoise sets on instances, is declared beside the
key as a bare annotation so that type checkers know it: tortoise makes fields only of class
attributes that are `Field`s, so an annotation without a value adds no column."""

from domain.models.api_token import ApiToken
from domain.models.audit import AuditEntry, AuditHead
from domain.models.bot_state import BotState
from domain.models.calendar import CalendarYear
from domain.models.campaign import (
    Campaign,
    CampaignStatus,
    Coordinator,
    Draw,
    DrawCandidates,
    DrawStatus,
    MemberRole,
    MemberStatus,
    Task,
    TeamMember,
)
from domain.models.directory import (
    Conflict,
    Department,
    InspectionItem,
    Inspector,
    ItemKind,
    RiskClass,
    Target,
    TargetStatus,
)
from domain.models.enrollment import Invite, InviteRole, ProcessedUpdate, TelegramAccount
from domain.models.evidence import Evidence, EvidenceKind
from domain.models.outbox import (
    OutboxMessage,
    OutboxStatus,
    RecipientKind,
    Reminder,
    ReminderStatus,
)
from domain.models.report import FollowUp, Penalty, Report, ReportSignature

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
    "DrawCandidates",
    "DrawStatus",
    "Evidence",
    "EvidenceKind",
    "FollowUp",
    "InspectionItem",
    "Inspector",
    "Invite",
    "InviteRole",
    "ItemKind",
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
]
