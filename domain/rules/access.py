"""Who may see or change what: the one place that decides. Both adapters ask here.

The drawn list is sealed until the campaign is published (docs/domain.md, 八): a task may be seen
only by coordinators of the campaign's department or of a department above it, and by the
task's own current team. Every such view of sealed data is an audit entry (written where
tasks are loaded, domain/tasks/views.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.errors import NotFound, PermissionDenied


class Role(StrEnum):
    """Who acts. An Actor is a system, coordinator, inspector or the public; LEADER exists for
    the task lifecycle, where the team's leader may do what other members may not."""

    SYSTEM = "system"
    COORDINATOR = "coordinator"
    INSPECTOR = "inspector"  # any team member, experts included
    LEADER = "leader"  # the team leader (组长), also a team member
    PUBLIC = "public"

    @property
    def label_zh(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.SYSTEM: "系统",
    Role.COORDINATOR: "协调员",
    Role.INSPECTOR: "检查组成员",
    Role.LEADER: "检查组组长",
    Role.PUBLIC: "公众",
}


@dataclass(frozen=True)
class Actor:
    """Who is acting, resolved by an adapter from a Telegram user id or an API token."""

    role: Role
    id: int | None = None
    name: str = ""
    department_path: str = ""  # coordinators: their department's path, e.g. "/3299/"
    cert_no: str = ""  # inspectors

    @property
    def label(self) -> str:
        """How the actor appears in the audit log."""
        if self.role == Role.INSPECTOR:
            return f"inspector:{self.cert_no or self.id}"
        if self.role == Role.COORDINATOR:
            return f"coordinator:{self.id}"
        return self.role.value


SYSTEM = Actor(Role.SYSTEM, name="system")
PUBLIC = Actor(Role.PUBLIC, name="public")


def coordinates(actor: Actor, department_path: str) -> bool:
    """A coordinator acts for their own department and every department below it."""
    return (
        actor.role == Role.COORDINATOR
        and bool(actor.department_path)
        and department_path.startswith(actor.department_path)
    )


def may_see_task(
    actor: Actor, campaign_department_path: str, published: bool, member_ids: set[int]
) -> bool:
    if actor.role == Role.SYSTEM:
        return True
    if coordinates(actor, campaign_department_path):
        return True
    if actor.role == Role.INSPECTOR and actor.id in member_ids:
        return True
    return published and actor.role == Role.PUBLIC


def require_coordinator(actor: Actor, department_path: str) -> None:
    if actor.role == Role.SYSTEM or coordinates(actor, department_path):
        return
    raise PermissionDenied("只有本级或上级抽查组织单位的协调员可以执行此操作 (coordinators only)")


def require_any_coordinator(actor: Actor) -> None:
    """Refuse a non-coordinator before anything is looked up: the refusal then tells nothing
    about who or what exists. The department check still follows, with `require_coordinator`."""
    if actor.role == Role.SYSTEM or (actor.role == Role.COORDINATOR and actor.department_path):
        return
    raise PermissionDenied("只有本级或上级抽查组织单位的协调员可以执行此操作 (coordinators only)")


# Same answer whether or not the task exists: the refusal itself must not leak.
NOT_YOURS = "没有找到该任务，或您无权查看 (no such task, or not yours to see)"


class NotYours(PermissionDenied, NotFound):
    """A task the actor may not see, refused exactly as one that does not exist (an HTTP
    adapter answers 404 for both)."""

    def __init__(self) -> None:
        super().__init__(NOT_YOURS)


def require_task_view(
    actor: Actor, campaign_department_path: str, published: bool, member_ids: set[int]
) -> None:
    if not may_see_task(actor, campaign_department_path, published, member_ids):
        raise NotYours()


def is_sealed_view(actor: Actor, published: bool) -> bool:
    """A view that must be written to the audit log."""
    return not published and actor.role != Role.SYSTEM
