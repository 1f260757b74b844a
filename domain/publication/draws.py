"""Every draw of a campaign as the public may see it: the commitments (承诺值) and the candidate
digests from the moment `draw prepare` ends, each draw's fate, and an abandoned draw's secret
once it can no longer matter.

What is public, and when:

- at prepare: the commitment (SHA-256 of the secret), the prepare time, and per stratum and for
  the inspector pool the candidate count and digest. A commitment shown only after the reveal
  proves nothing: it must be out before the public entropy is known.
- at the reveal: the reveal time and the record hash. The revealed draw's secret stays sealed
  until the campaign is published (it is inside the record): with it and the entropy, anyone
  who rebuilt the candidate lists could compute the drawn businesses.
- an abandoned or failed draw: the time, and the reason a coordinator gave (a failed draw's own
  reason names drawn businesses, so only that it failed is shown). Its secret (and the entropy,
  if a reveal was attempted) once a later draw of the campaign is revealed or the campaign is
  published, so that SHA-256(secret) == commitment can be checked: the commitment was genuine,
  and an abandon left a trace that anyone can weigh against the reveal that followed.

Never here: drawn targets, the frozen lists themselves, who prepared, a pending secret.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from domain import clock
from domain.audit.log import parsed
from domain.storage.models import AuditEntry, Campaign, CampaignStatus, Draw, DrawStatus

FATE_LABELS = {
    "pending": "已准备，待揭示",
    "revealed": "已揭示",
    "abandoned": "已作废",
    "failed": "揭示失败（无法组成检查组），已作废",
}
ENDED = {"draw.abandon": "abandoned", "draw.failed": "failed"}


def _moment(value: dt.datetime | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return clock.local(value).isoformat(timespec="seconds")


def prepared_summary(draw: Draw) -> dict[str, Any]:
    """What `draw prepare` publishes: counts and digests of the frozen lists, no ids."""
    prepared = draw.prepared or {}
    pool = prepared.get("pool", {})
    return {
        "commitment": draw.commitment,
        "practice": draw.practice,
        "prepared_at": _moment(prepared.get("prepared_at") or draw.created_at),
        "strata": [
            {"name": s["name"], "eligible": s.get("eligible"), "digest": s["digest"]}
            for s in prepared.get("strata", [])
        ],
        "pool": {
            "size": pool.get("size"),
            "digest": pool.get("digest"),
            "snapshot_digest": pool.get("snapshot_digest"),
        },
    }


async def _endings(campaign: Campaign) -> dict[int, tuple[str, dt.datetime]]:
    """Draw id -> (how it ended, when), from the audit log, which says which abandons were a
    coordinator's and which a failed reveal's."""
    entries = await AuditEntry.filter(
        object_kind="campaign", object_id=campaign.code, action__in=list(ENDED)
    ).order_by("seq")
    return {parsed(e.data).get("draw"): (ENDED[e.action], e.at) for e in entries}


def _disclosed(draw: Draw, draws: list[Draw], published: bool) -> bool:
    """An abandoned draw's secret is public once a later draw is revealed or the campaign is
    published; the revealed draw's only at publication, with its record."""
    if draw.status == DrawStatus.ABANDONED:
        later = any(d.id > draw.id and d.status == DrawStatus.REVEALED for d in draws)
        return later or published
    return draw.status == DrawStatus.REVEALED and published


# What the history shows of a draw: never the record, which at a city's scale is megabytes
# (and read on every request of the public task notice).
SHOWN = (
    "id", "status", "practice", "commitment", "secret", "prepared", "entropy", "record_hash",
    "revealed_at", "abandoned_reason", "created_at", "updated_at",
)  # fmt: skip


async def shown_draws(campaign: Campaign) -> list[Draw]:
    """The campaign's draws, first prepared first, without their records."""
    return list(await Draw.filter(campaign_id=campaign.id).order_by("id").only(*SHOWN))


async def draw_history(campaign: Campaign, draws: list[Draw] | None = None) -> list[dict[str, Any]]:
    """Every draw of `campaign`, first prepared first (`draws`: as `shown_draws` gives them)."""
    if draws is None:
        draws = await shown_draws(campaign)
    endings = (
        await _endings(campaign) if any(d.status == DrawStatus.ABANDONED for d in draws) else {}
    )
    published = campaign.status == CampaignStatus.PUBLISHED
    rows = []
    for n, draw in enumerate(draws, start=1):
        row: dict[str, Any] = {"n": n, **prepared_summary(draw)}
        if draw.status == DrawStatus.ABANDONED:
            fate, at = endings.get(draw.id, ("abandoned", draw.updated_at))
            row["abandoned_at"] = _moment(at)
            row["reason"] = draw.abandoned_reason if fate == "abandoned" else None
        else:
            fate = "pending" if draw.status == DrawStatus.PREPARED else "revealed"
        if draw.status == DrawStatus.REVEALED:
            row["revealed_at"] = _moment(draw.revealed_at)
            row["record_hash"] = draw.record_hash
        row["fate"], row["fate_label"] = fate, FATE_LABELS[fate]
        disclosed = _disclosed(draw, draws, published)
        row["secret"] = draw.secret if disclosed else None
        row["entropy"] = draw.entropy if disclosed else None
        rows.append(row)
    return rows
