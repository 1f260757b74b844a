"""Who a coordinator's reference or a Telegram account denotes: inspectors and coordinators,
the two kinds of person who use the chat."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.errors import NotFound, UserError
from domain.rules.access import Actor, Role
from domain.rules.ids import MAX_ID, in_range, parse_id, shown
from domain.storage.limits import max_length
from domain.storage.models import Coordinator, Department, Inspector, InviteRole

Person = Inspector | Coordinator
CERT_NO_MAX = max_length(Inspector, "cert_no")


class PersonError(UserError):
    """`reason` lets an adapter say it in the user's language; the message is the fallback."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def actor_for(person: Person) -> Actor:
    """The person's Actor; a coordinator's department must be loaded."""
    if isinstance(person, Coordinator):
        return Actor(
            Role.COORDINATOR, person.id, person.name, department_path=person.department.path
        )
    return Actor(Role.INSPECTOR, person.id, person.name, cert_no=person.cert_no)


def model_for(role: InviteRole | str) -> type[Inspector] | type[Coordinator]:
    return Coordinator if InviteRole(role) == InviteRole.COORDINATOR else Inspector


async def load_person(
    role: InviteRole | str, person_id: int, connection: BaseDBAsyncClient | None = None
) -> Person:
    model = model_for(role)
    if not in_range(person_id):
        raise PersonError(
            "no_person", f"没有编号为 {person_id} 的{_role_zh(role)} (no such person)"
        )
    query = model.filter(id=person_id)
    if connection is not None:
        query = query.using_db(connection)
    person = await query.prefetch_related("department").first()
    if person is None:
        raise PersonError(
            "no_person", f"没有编号为 {person_id} 的{_role_zh(role)} (no such person)"
        )
    return person


async def find_person(role: InviteRole | str, reference: str) -> Person:
    """An inspector by certificate number, a coordinator by id: how coordinators name them."""
    role = parse_role(role)
    reference = reference.strip()
    if role == InviteRole.INSPECTOR:
        if len(reference) > CERT_NO_MAX:
            raise PersonError(
                "bad_reference",
                f"执法证号最多 {CERT_NO_MAX} 个字符，收到 {len(reference)} 个 (too long)",
            )
        person = await Inspector.get_or_none(cert_no=reference).prefetch_related("department")
        if person is None:
            raise PersonError(
                "no_person", f"没有执法证号为 {reference} 的检查人员 (no such inspector)"
            )
        return person
    person_id = parse_id(reference)
    if person_id is None:
        raise PersonError(
            "bad_reference", f"协调员编号应为 1 到 {MAX_ID} 之间的数字，收到 {shown(reference)}"
        )
    return await load_person(role, person_id)


def parse_role(role: InviteRole | str) -> InviteRole:
    try:
        return InviteRole(str(role).strip().lower())
    except ValueError:
        raise PersonError(
            "bad_role", f"身份应为 inspector 或 coordinator，收到 {role!r} (role)"
        ) from None


def _role_zh(role: InviteRole | str) -> str:
    return "协调员" if InviteRole(role) == InviteRole.COORDINATOR else "检查人员"


async def bound_person(
    telegram_user_id: int, connection: BaseDBAsyncClient | None = None
) -> Person | None:
    """The person (active or not) bound to this account, coordinators first."""
    for model in (Coordinator, Inspector):
        query = model.filter(telegram_user_id=telegram_user_id)
        if connection is not None:
            query = query.using_db(connection)
        person = await query.prefetch_related("department").first()
        if person is not None:
            return person
    return None


async def coordinator_actor(coordinator_id: int) -> Actor | None:
    """The Actor of the active coordinator with this id; None if there is none (or no longer)."""
    person = await Coordinator.get_or_none(id=coordinator_id, active=True).prefetch_related(
        "department"
    )
    return actor_for(person) if person is not None else None


async def add_coordinator(name: str, department_code: str) -> Coordinator:
    """A new coordinator of the department with this code (loaded with it)."""
    department = await Department.get_or_none(code=department_code)
    if department is None:
        raise NotFound(f"未知的部门「{department_code}」")
    return await Coordinator.create(name=name, department=department)


async def list_coordinators() -> list[Coordinator]:
    """Every coordinator, active or not, with their department, by id."""
    return list(await Coordinator.all().order_by("id").prefetch_related("department"))
