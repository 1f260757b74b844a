"""API tokens: a bearer token lets a program (the field app) act as one person through the
field API, with exactly that person's rights.

A coordinator of the person's department (or above) issues it; the token is shown once and only
its SHA-256 is stored, with who it acts as. It works until revoked, and stops working as soon as
the person is deactivated. Issue and revocation are audit entries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from domain import clock
from domain.audit import log as audit
from domain.people.persons import PersonError, actor_for, load_person, parse_role
from domain.rules.access import Actor, Role, coordinates, require_coordinator
from domain.rules.ids import in_range
from domain.storage.models import ApiToken, InviteRole

# A recognisable prefix lets secret scanners (and people) tell what a leaked string is.
PREFIX = "ssj_"
# new_token's are 47 characters; a longer one is not worth hashing.
MAX_TOKEN = 128


class TokenError(PersonError):
    """A refused token operation; `reason` names it for an adapter."""


@dataclass(frozen=True)
class IssuedToken:
    token: str  # shown once, to whoever issued it
    token_id: int
    role: InviteRole
    person_id: int
    person_name: str


@dataclass(frozen=True)
class TokenInfo:
    token_id: int
    role: InviteRole
    person_id: int
    person_name: str
    label: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


def hash_token(token: str) -> str:
    # surrogatepass: a string from a header may hold lone surrogates; hashing must not fail.
    return hashlib.sha256(token.strip().encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


async def issue_token(
    actor: Actor, role: InviteRole | str, person_id: int, label: str = ""
) -> IssuedToken:
    role = parse_role(role)
    person = await load_person(role, person_id)
    require_coordinator(actor, person.department.path)
    if not person.active:
        raise TokenError("inactive", f"{person.name} 已停用，不能发放令牌 (person inactive)")
    label = label.strip()
    if len(label) > 100:
        raise TokenError("bad_label", "令牌备注最多 100 个字符 (label too long)")
    token = new_token()
    async with in_transaction() as conn:
        row = await ApiToken.create(
            using_db=conn,
            token_hash=hash_token(token),
            role=role,
            person_id=person.id,
            label=label,
            created_by=actor.label,
        )
        await audit.record(
            actor.label,
            "api_token.issue",
            "api_token",
            row.id,
            after={"role": role.value, "person_id": person.id, "label": label},
            connection=conn,
        )
    return IssuedToken(token, row.id, role, person.id, person.name)


async def revoke_token(actor: Actor, token_id: int) -> None:
    """The person's coordinators, or the person themself, may revoke."""
    row = await ApiToken.get_or_none(id=token_id) if in_range(token_id) else None
    if row is None:
        raise TokenError("unknown", f"没有编号为 {token_id} 的令牌 (no such token)")
    if not _is_owner(actor, row):
        person = await load_person(row.role, row.person_id)
        require_coordinator(actor, person.department.path)
    async with in_transaction() as conn:
        revoked = (
            await ApiToken.filter(id=row.id, revoked_at=None)
            .using_db(conn)
            .update(revoked_at=clock.now(), revoked_by=actor.label)
        )
        if not revoked:
            raise TokenError("revoked", f"令牌 {token_id} 已撤销 (already revoked)")
        await audit.record(actor.label, "api_token.revoke", "api_token", row.id, connection=conn)


def _is_owner(actor: Actor, row: ApiToken) -> bool:
    return actor.id == row.person_id and actor.role.value == row.role.value


async def resolve_token(token: str) -> Actor | None:
    """Who this token acts as; None for unknown and revoked tokens and inactive persons.
    Tokens are ASCII (PREFIX and URL-safe base64): anything else, such as undecodable bytes
    from a header, is no token rather than a failure to hash it."""
    if not token.startswith(PREFIX) or not token.isascii() or len(token) > MAX_TOKEN:
        return None
    row = await ApiToken.get_or_none(token_hash=hash_token(token), revoked_at=None)
    if row is None:
        return None
    try:
        person = await load_person(row.role, row.person_id)
    except PersonError:  # the person's row is gone
        return None
    return actor_for(person) if person.active else None


async def list_tokens(actor: Actor) -> list[TokenInfo]:
    """The tokens of the persons this actor coordinates, oldest first."""
    found = []
    for row in await ApiToken.all().order_by("id"):
        try:
            person = await load_person(row.role, row.person_id)
        except PersonError:
            continue
        if actor.role == Role.SYSTEM or coordinates(actor, person.department.path):
            found.append(
                TokenInfo(
                    row.id,
                    row.role,
                    row.person_id,
                    person.name,
                    row.label,
                    row.created_at,
                    row.revoked_at,
                )
            )
    return found
