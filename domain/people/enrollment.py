"""Enrollment: a coordinator invites a person, the person binds their Telegram account with the
one-time code, a coordinator unbinds it (a lost phone) so that a new invite can bind another.

Codes are random (192 bits, URL-safe: they travel in a `t.me/<bot>?start=<code>` link), used
once, and expire (72 h by default). Only their SHA-256 is stored. One Telegram account binds one
person, and a person has at most one account: re-binding goes through `unbind` and a new invite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain import clock
from domain.audit import log as audit
from domain.people.persons import (
    PersonError,
    actor_for,
    bound_person,
    find_person,
    load_person,
    model_for,
    parse_role,
)
from domain.rules.access import (
    Actor,
    Role,
    coordinates,
    require_any_coordinator,
    require_coordinator,
)
from domain.rules.ids import in_range
from domain.storage.models import (
    Invite,
    InviteRole,
    OutboxMessage,
    OutboxStatus,
    TelegramAccount,
)

DEFAULT_TTL = dt.timedelta(hours=72)
MAX_TTL = dt.timedelta(days=30)
# The outbox's reason for a message whose recipient has no account yet; binding requeues them,
# so an assignment made before someone enrolled reaches them once they do.
UNBOUND = "recipient has no Telegram account bound"


class InviteError(PersonError):
    """A refused enrollment; `reason` lets an adapter say it in the user's language."""


@dataclass(frozen=True)
class IssuedInvite:
    code: str  # shown once, to the coordinator who issued it
    invite_id: int
    role: InviteRole
    person_id: int
    person_name: str
    expires_at: dt.datetime

    def deep_link(self, bot_username: str) -> str:
        return f"https://t.me/{bot_username}?start={self.code}"


@dataclass(frozen=True)
class Binding:
    role: InviteRole
    person_id: int
    name: str
    actor: Actor


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def new_code() -> str:
    # 24 bytes → 32 characters of [A-Za-z0-9_-]: what a start parameter allows (≤ 64).
    return secrets.token_urlsafe(24)


async def issue_invite(
    actor: Actor,
    role: InviteRole | str,
    person_id: int,
    ttl: dt.timedelta = DEFAULT_TTL,
    now: dt.datetime | None = None,
) -> IssuedInvite:
    """A coordinator of the person's department (or above) invites them."""
    role = parse_role(role)
    if not dt.timedelta(minutes=5) <= ttl <= MAX_TTL:
        raise InviteError("bad_ttl", "邀请有效期应在 5 分钟到 30 天之间 (ttl)")
    person = await load_person(role, person_id)
    require_coordinator(actor, person.department.path)
    if not person.active:
        raise InviteError("inactive", f"{person.name} 已停用，不能邀请 (person inactive)")
    if person.telegram_user_id is not None:
        raise InviteError(
            "person_bound", f"{person.name} 已绑定 Telegram 账号；如需更换，请先解绑 (unbind first)"
        )
    now = now or clock.now()
    code = new_code()
    async with in_transaction() as conn:
        invite = await Invite.create(
            using_db=conn,
            code_hash=hash_code(code),
            role=role,
            person_id=person.id,
            created_by=actor.label,
            expires_at=now + ttl,
        )
        await audit.record(
            actor.label,
            "enrollment.invite",
            "invite",
            invite.id,
            after={"role": role.value, "person_id": person.id, "expires_at": invite.expires_at},
            connection=conn,
        )
    return IssuedInvite(code, invite.id, role, person.id, person.name, invite.expires_at)


async def invite_by_reference(
    actor: Actor, role: InviteRole | str, reference: str, ttl: dt.timedelta = DEFAULT_TTL
) -> IssuedInvite:
    """`issue_invite` for a person named as coordinators name them (an inspector's certificate
    number, a coordinator's id), refusing a non-coordinator before the lookup."""
    require_any_coordinator(actor)
    person = await find_person(role, reference)
    return await issue_invite(actor, role, person.id, ttl)


async def revoke_invite(actor: Actor, invite_id: int) -> None:
    """To a coordinator of another department the invite does not exist: a refusal would
    tell them which invite numbers are in use."""
    require_any_coordinator(actor)
    invite = await Invite.get_or_none(id=invite_id) if in_range(invite_id) else None
    if invite is None or not await _manages(actor, invite):
        raise InviteError("unknown", f"没有编号为 {invite_id} 的邀请 (no such invite)")
    async with in_transaction() as conn:
        revoked = (
            await Invite.filter(id=invite.id, used_at=None, revoked_at=None)
            .using_db(conn)
            .update(revoked_at=clock.now())
        )
        if not revoked:
            raise InviteError("used", "该邀请已使用或已撤销 (already used or revoked)")
        await audit.record(actor.label, "enrollment.revoke", "invite", invite.id, connection=conn)


async def _manages(actor: Actor, invite: Invite) -> bool:
    if actor.role == Role.SYSTEM:
        return True
    try:
        person = await load_person(invite.role, invite.person_id)
    except PersonError:
        return False
    return coordinates(actor, person.department.path)


def _check_usable(invite: Invite | None, now: dt.datetime) -> Invite:
    if invite is None:
        raise InviteError("unknown", "邀请码无效，请核对链接或向协调员索取新的邀请 (unknown code)")
    if invite.revoked_at is not None:
        raise InviteError("revoked", "该邀请已被撤销，请向协调员索取新的邀请 (invite revoked)")
    if invite.used_at is not None:
        raise InviteError("used", "该邀请码已使用过，每个邀请只能使用一次 (invite already used)")
    if invite.expires_at <= now:
        raise InviteError("expired", "该邀请已过期，请向协调员索取新的邀请 (invite expired)")
    return invite


async def redeem(code: str, telegram_user_id: int, now: dt.datetime | None = None) -> Binding:
    """Bind the invited person to this Telegram account; refused changes nothing."""
    now = now or clock.now()
    try:
        async with in_transaction() as conn:
            invite = _check_usable(
                await Invite.get_or_none(code_hash=hash_code(code), using_db=conn), now
            )
            if await bound_person(telegram_user_id, conn) is not None:
                raise InviteError(
                    "account_taken",
                    "此 Telegram 账号已绑定其他人员；一个账号只能绑定一人 (account already bound)",
                )
            person = await load_person(invite.role, invite.person_id, conn)
            if not person.active:
                raise InviteError("inactive", "该人员已停用，邀请不再有效 (person inactive)")
            claimed = (
                await Invite.filter(id=invite.id, used_at=None, revoked_at=None)
                .using_db(conn)
                .update(used_at=now, used_by_telegram_id=telegram_user_id)
            )
            bound = (
                await model_for(invite.role)
                .filter(id=person.id, telegram_user_id=None)
                .using_db(conn)
                .update(telegram_user_id=telegram_user_id)
            )
            if not claimed:
                raise InviteError("used", "该邀请码已使用过，每个邀请只能使用一次 (already used)")
            if not bound:
                raise InviteError(
                    "person_bound", "该人员已绑定其他 Telegram 账号，请先由协调员解绑 (bound)"
                )
            await _requeue_unbound(invite.role, person.id, now, conn)
            await (
                TelegramAccount.filter(telegram_user_id=telegram_user_id)
                .using_db(conn)
                .update(blocked_at=None)
            )
            actor = actor_for(person)
            await audit.record(
                actor.label,
                "enrollment.bind",
                invite.role.value,
                person.id,
                before={"telegram_user_id": None},
                after={"telegram_user_id": telegram_user_id},
                data={"invite_id": invite.id},
                connection=conn,
            )
    except IntegrityError:
        # Two redemptions for the same account raced past the check: the unique column won.
        raise InviteError(
            "account_taken", "此 Telegram 账号已绑定其他人员 (account already bound)"
        ) from None
    return Binding(invite.role, person.id, person.name, actor)


async def _requeue_unbound(
    role: InviteRole, person_id: int, now: dt.datetime, conn: BaseDBAsyncClient
) -> None:
    await (
        OutboxMessage.filter(
            recipient_kind=role.value,
            recipient_id=person_id,
            status=OutboxStatus.DEAD,
            last_error=UNBOUND,
        )
        .using_db(conn)
        .update(status=OutboxStatus.PENDING, next_attempt_at=now, attempts=0, last_error=None)
    )


async def unbind(actor: Actor, role: InviteRole | str, person_id: int) -> int:
    """Release the person's Telegram account; returns its id (so the adapter can tidy the
    chat's command menu). The person re-binds through a new invite."""
    role = parse_role(role)
    person = await load_person(role, person_id)
    require_coordinator(actor, person.department.path)
    old = person.telegram_user_id
    if old is None:
        raise InviteError("not_bound", f"{person.name} 尚未绑定 Telegram 账号 (not bound)")
    async with in_transaction() as conn:
        await (
            model_for(role)
            .filter(id=person.id, telegram_user_id=old)
            .using_db(conn)
            .update(telegram_user_id=None)
        )
        # Whoever binds this account next starts without the old person's current task.
        await (
            TelegramAccount.filter(telegram_user_id=old).using_db(conn).update(current_task_id=None)
        )
        await audit.record(
            actor.label,
            "enrollment.unbind",
            role.value,
            person.id,
            before={"telegram_user_id": old},
            after={"telegram_user_id": None},
            connection=conn,
        )
    return old


async def resolve_actor(telegram_user_id: int) -> Actor | None:
    """Who this Telegram account acts as; None for strangers and inactive persons."""
    person = await bound_person(telegram_user_id)
    if person is None or not person.active:
        return None
    return actor_for(person)
