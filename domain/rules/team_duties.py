"""A task's team as plain values: who must accept, who must sign, and whether that is done.

Only enforcement officers (the leader and ordinary members) count toward the legal minimum of
two inspectors (九(四)); experts (专家) go along and may sign, but are not officers, so they never
make up the two. A member who declares a conflict (回避) is recused and replaced in the same
transaction (domain/draw/amend.py); a recused member no longer counts for anything, including a
signature given before the recusal.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

MIN_OFFICERS = 2


class MemberRole(StrEnum):
    LEADER = "leader"  # 组长
    MEMBER = "member"
    EXPERT = "expert"  # 专家: not an enforcement officer, never counts towards the team size


class MemberStatus(StrEnum):
    ASSIGNED = "assigned"
    ACCEPTED = "accepted"
    RECUSED = "recused"  # declared a conflict (回避) and was replaced


@dataclass(frozen=True)
class Member:
    id: Hashable
    role: MemberRole | str
    status: MemberStatus | str = MemberStatus.ASSIGNED
    name: str = ""

    @property
    def is_officer(self) -> bool:
        return MemberRole(self.role) is not MemberRole.EXPERT

    @property
    def is_current(self) -> bool:
        return MemberStatus(self.status) is not MemberStatus.RECUSED

    @property
    def shown(self) -> str:
        return self.name or str(self.id)


@dataclass(frozen=True)
class Signature:
    """A member's confirmation of one revision of the report (None: revisions not tracked)."""

    member_id: Hashable
    revision: Hashable = None


def current_members(members: Iterable[Member]) -> list[Member]:
    return [m for m in members if m.is_current]


def current_officers(members: Iterable[Member]) -> list[Member]:
    return [m for m in current_members(members) if m.is_officer]


def awaiting_acceptance(members: Sequence[Member]) -> list[Member]:
    """Current officers who have not accepted yet."""
    return [
        m for m in current_officers(members) if MemberStatus(m.status) is not MemberStatus.ACCEPTED
    ]


def acceptance_problems(members: Sequence[Member]) -> list[str]:
    """Why the team is not ready yet, in Chinese; empty when every current officer accepted."""
    problems = []
    officers = current_officers(members)
    if len(officers) < MIN_OFFICERS:
        problems.append(
            f"检查组只有 {len(officers)} 名执法人员，至少需要 {MIN_OFFICERS} 名（专家不计入）"
        )
    pending = awaiting_acceptance(members)
    if pending:
        problems.append(f"尚未接受任务：{_names(pending)}")
    return problems


def all_accepted(members: Sequence[Member]) -> bool:
    return not acceptance_problems(members)


def unsigned_members(
    members: Sequence[Member], signatures: Iterable[Signature], revision: Hashable = None
) -> list[Member]:
    """Current members (experts included, for display) without a signature on `revision`."""
    signed = signers(members, signatures, revision)
    return [m for m in current_members(members) if m.id not in signed]


def signers(
    members: Sequence[Member], signatures: Iterable[Signature], revision: Hashable = None
) -> set[Hashable]:
    """Ids of current members who signed `revision`; signatures of earlier revisions are stale."""
    current = {m.id for m in current_members(members)}
    return {
        s.member_id
        for s in signatures
        if s.member_id in current and (revision is None or s.revision == revision)
    }


def signing_problems(
    members: Sequence[Member], signatures: Iterable[Signature], revision: Hashable = None
) -> list[str]:
    """Why the report is not fully signed, in Chinese; empty when it is.

    Fully signed: every current officer signed this revision, and they are at least two.
    Experts' signatures are kept but neither required nor counted (they are not officers).
    """
    signed = signers(members, signatures, revision)
    officers = current_officers(members)
    problems = []
    missing = [m for m in officers if m.id not in signed]
    if missing:
        problems.append(f"尚未签名的执法人员：{_names(missing)}")
    officer_signatures = sum(1 for m in officers if m.id in signed)
    if officer_signatures < MIN_OFFICERS:
        problems.append(
            f"只有 {officer_signatures} 名执法人员签名，"
            f"至少需要 {MIN_OFFICERS} 名（专家签名不计入）"
        )
    return problems


def is_fully_signed(
    members: Sequence[Member], signatures: Iterable[Signature], revision: Hashable = None
) -> bool:
    return not signing_problems(members, signatures, revision)


def _names(members: Iterable[Member]) -> str:
    return "、".join(m.shown for m in members)
