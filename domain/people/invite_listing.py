"""The invites a coordinator may see: those of the persons of their department and below, with
whether each still works, so that a code handed out by mistake can be found and revoked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain import clock
from domain.people.persons import PersonError, load_person
from domain.rules.access import Actor, Role, coordinates, require_any_coordinator
from domain.storage.models import Invite, InviteRole


@dataclass(frozen=True)
class InviteInfo:
    invite_id: int
    role: InviteRole
    person_id: int
    person_name: str
    created_by: str
    created_at: dt.datetime
    expires_at: dt.datetime
    used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    def state(self, now: dt.datetime) -> str:
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "pending"


async def list_invites(actor: Actor, pending_only: bool = False) -> list[InviteInfo]:
    """Oldest first; `pending_only`: those that could still bind an account."""
    require_any_coordinator(actor)
    query = Invite.all()
    if pending_only:
        query = query.filter(used_at=None, revoked_at=None, expires_at__gt=clock.now())
    found = []
    for row in await query.order_by("id"):
        try:
            person = await load_person(row.role, row.person_id)
        except PersonError:  # the person's row is gone
            continue
        if actor.role == Role.SYSTEM or coordinates(actor, person.department.path):
            found.append(
                InviteInfo(
                    row.id,
                    row.role,
                    row.person_id,
                    person.name,
                    row.created_by,
                    row.created_at,
                    row.expires_at,
                    row.used_at,
                    row.revoked_at,
                )
            )
    return found
