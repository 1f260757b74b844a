"""API tokens: a bearer token lets a program (the field app) act as one person through the
field API, with exactly that person's rights.

Two ways make one: a person signs in with a one-time code (domain/people/login.py) and gets a
token that expires (SSJ_TOKEN_DAYS); a coordinator of the person's department (or above) issues
one for an integration, which works until revoked unless given an expiry. A token's scope is
`full`, or `read` for a program that must change nothing. The token is shown once and only its
SHA-256 is stored, with who it acts as. It stops working when revoked, when it expires and as
soon as the person is deactivated. The person and their coordinators may list and revoke it.
Issue and revocation are audit entries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from domain import clock
from domain.audit import log as audit
from domain.people.persons import Person, PersonError, load_person, parse_role
from domain.rules.access import Actor, Role, coordinates, require_coordinator
from domain.rules.ids import in_range
from domain.storage.models import ApiToken, Coordinator, InviteRole, TokenScope
from domain.storage.plain_read import moment_of

MAX_DAYS = 3660
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
    expires_at: dt.datetime | None = None
    scope: TokenScope = TokenScope.FULL


@dataclass(frozen=True)
class TokenInfo:
    token_id: int
    role: InviteRole
    person_id: int
    person_name: str
    label: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    expires_at: dt.datetime | None = None
    scope: TokenScope = TokenScope.FULL
    created_by: str = ""

    def state(self, now: dt.datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


@dataclass(frozen=True)
class Credential:
    """What a presented token stands for: who acts, through which token, with what scope."""

    actor: Actor
    token_id: int
    scope: TokenScope

    @property
    def may_change(self) -> bool:
        return self.scope == TokenScope.FULL


def hash_token(token: str) -> str:
    # surrogatepass: a string from a header may hold lone surrogates; hashing must not fail.
    return hashlib.sha256(token.strip().encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def parse_scope(scope: TokenScope | str) -> TokenScope:
    try:
        return TokenScope(str(scope).strip().lower())
    except ValueError:
        raise TokenError("bad_scope", f"范围应为 read 或 full，收到 {scope!r} (scope)") from None


async def issue_token(
    actor: Actor,
    role: InviteRole | str,
    person_id: int,
    label: str = "",
    *,
    expires_days: int | None = None,
    scope: TokenScope | str = TokenScope.FULL,
) -> IssuedToken:
    """A coordinator's token for an integration: until revoked, or for `expires_days`."""
    role = parse_role(role)
    scope = parse_scope(scope)
    if expires_days is not None and not 1 <= expires_days <= MAX_DAYS:
        raise TokenError("bad_days", f"有效天数应在 1 到 {MAX_DAYS} 之间，收到 {expires_days}")
    person = await load_person(role, person_id)
    require_coordinator(actor, person.department.path)
    expires_at = None if expires_days is None else clock.now() + dt.timedelta(days=expires_days)
    async with in_transaction() as conn:
        return await mint(conn, actor, person, label, expires_at, scope)


async def mint(
    conn: BaseDBAsyncClient,
    actor: Actor,
    person: Person,
    label: str,
    expires_at: dt.datetime | None,
    scope: TokenScope = TokenScope.FULL,
) -> IssuedToken:
    """Store a new token for `person` in the caller's transaction, with its audit entry."""
    role = InviteRole.COORDINATOR if isinstance(person, Coordinator) else InviteRole.INSPECTOR
    if not person.active:
        raise TokenError("inactive", f"{person.name} 已停用，不能发放令牌 (person inactive)")
    label = label.strip()
    if len(label) > 100:
        raise TokenError("bad_label", "令牌备注最多 100 个字符 (label too long)")
    token = new_token()
    row = await ApiToken.create(
        using_db=conn,
        token_hash=hash_token(token),
        role=role,
        person_id=person.id,
        label=label,
        created_by=actor.label,
        expires_at=expires_at,
        scope=scope,
    )
    after: dict[str, object] = {
        "role": role.value,
        "person_id": person.id,
        "label": label,
        "scope": scope.value,
    }
    if expires_at is not None:
        after["expires_at"] = expires_at
    await audit.record(
        actor.label, "api_token.issue", "api_token", row.id, after=after, connection=conn
    )
    return IssuedToken(token, row.id, role, person.id, person.name, expires_at, scope)


async def revoke_token(actor: Actor, token_id: int) -> None:
    """The person's coordinators, or the person themself, may revoke. To anybody else the
    token does not exist: the answer must not tell whose tokens there are."""
    row = await ApiToken.get_or_none(id=token_id) if in_range(token_id) else None
    if row is None or not await _may_manage(actor, row):
        raise TokenError("unknown", f"没有编号为 {token_id} 的令牌 (no such token)")
    async with in_transaction() as conn:
        revoked = (
            await ApiToken.filter(id=row.id, revoked_at=None)
            .using_db(conn)
            .update(revoked_at=clock.now(), revoked_by=actor.label)
        )
        if not revoked:
            raise TokenError("revoked", f"令牌 {token_id} 已撤销 (already revoked)")
        await audit.record(actor.label, "api_token.revoke", "api_token", row.id, connection=conn)


async def logout(credential: Credential) -> None:
    """The caller gives up the token they called with."""
    await revoke_token(credential.actor, credential.token_id)


def _is_owner(actor: Actor, row: ApiToken) -> bool:
    return actor.id == row.person_id and actor.role.value == row.role.value


async def _may_manage(actor: Actor, row: ApiToken) -> bool:
    if _is_owner(actor, row) or actor.role == Role.SYSTEM:
        return True
    if actor.role != Role.COORDINATOR:
        return False
    try:
        person = await load_person(row.role, row.person_id)
    except PersonError:
        return False
    return coordinates(actor, person.department.path)


# The token with its person in one query, as plain values: every request asks this. Written
# with constants only (the hash is hex digits), so that one text serves both databases.
_CREDENTIAL_SQL = """SELECT t.id, t.role, t.person_id, t.expires_at, t.scope,
 i.name AS inspector_name, i.active AS inspector_active, i.cert_no,
 c.name AS coordinator_name, c.active AS coordinator_active, d.path AS department_path
 FROM api_token t
 LEFT JOIN inspector i ON t.role = '{inspector}' AND i.id = t.person_id
 LEFT JOIN coordinator c ON t.role = '{coordinator}' AND c.id = t.person_id
 LEFT JOIN department d ON d.id = c.department_id
 WHERE t.token_hash = '{token_hash}' AND t.revoked_at IS NULL"""


async def authenticate(token: str) -> Credential | None:
    """What this token stands for; None for unknown, revoked and expired tokens and for
    inactive persons. Tokens are ASCII (PREFIX and URL-safe base64): anything else, such as
    undecodable bytes from a header, is no token rather than a failure to hash it."""
    if not token.startswith(PREFIX) or not token.isascii() or len(token) > MAX_TOKEN:
        return None
    sql = _CREDENTIAL_SQL.format(
        inspector=InviteRole.INSPECTOR.value,
        coordinator=InviteRole.COORDINATOR.value,
        token_hash=hash_token(token),
    )
    rows = await ApiToken._meta.db.execute_query_dict(sql)
    if not rows:
        return None
    row = rows[0]
    expires_at = moment_of(row["expires_at"])
    if expires_at is not None and expires_at <= clock.now():
        return None
    if row["role"] == InviteRole.INSPECTOR.value and row["inspector_active"]:
        actor = Actor(
            Role.INSPECTOR, row["person_id"], row["inspector_name"], cert_no=row["cert_no"]
        )
    elif row["role"] == InviteRole.COORDINATOR.value and row["coordinator_active"]:
        actor = Actor(
            Role.COORDINATOR,
            row["person_id"],
            row["coordinator_name"],
            department_path=row["department_path"],
        )
    else:  # no such person, or not active
        return None
    return Credential(actor, row["id"], TokenScope(row["scope"]))


async def resolve_token(token: str) -> Actor | None:
    """Who this token acts as (see `authenticate`)."""
    credential = await authenticate(token)
    return credential.actor if credential else None


async def list_tokens(actor: Actor) -> list[TokenInfo]:
    """The actor's own tokens and those of the persons they coordinate, oldest first."""
    found = []
    for row in await ApiToken.all().order_by("id"):
        try:
            person = await load_person(row.role, row.person_id)
        except PersonError:
            continue
        if (
            _is_owner(actor, row)
            or actor.role == Role.SYSTEM
            or coordinates(actor, person.department.path)
        ):
            found.append(
                TokenInfo(
                    row.id,
                    row.role,
                    row.person_id,
                    person.name,
                    row.label,
                    row.created_at,
                    row.revoked_at,
                    row.expires_at,
                    row.scope,
                    row.created_by,
                )
            )
    return found
