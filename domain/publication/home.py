"""The public home page's data (公示首页): 一单两库 — the item list and the public fields of the two
directories — the campaigns with their three notices, and how anyone can check a draw.

Public here, and only this: the items as published; each business's name, credit code, region
and categories; each active inspector's name, unit and certificate number (the directory is
public: an inspector shows the certificate at the door). Never a chat account, a phone, an
address, a risk class, a complaint count or a conflict: those serve the draw, not the public.
"""

from __future__ import annotations

from typing import Any

from domain.publication.draws import draw_history
from domain.publication.notices import ITEM_KIND_LABELS, STATUS_LABELS
from domain.storage.models import (
    Campaign,
    CampaignStatus,
    Department,
    InspectionItem,
    Inspector,
    Target,
)

HOME_PATH = "/"
CAMPAIGNS_PATH = "/public/campaigns"
DOCS_PATH = "/public/docs/draw-record.md"
# {record_hash}: the hash on the task notice, or where a reader finds it.
VERIFY_COMMAND = (
    "shuangsuiji verify record.json --candidates candidates/ --expect-hash {record_hash}"
)


def notice_links(code: str, *, task_notice: bool, results: bool) -> dict[str, str | None]:
    base = f"{CAMPAIGNS_PATH}/{code}"
    return {
        "plan": base,
        "task_notice": f"{base}/task-notice" if task_notice else None,
        "results": f"{base}/results" if results else None,
        "record": f"{base}/record" if results else None,
        "candidates": f"{base}/candidates" if results else None,
    }


async def _campaigns() -> list[dict[str, Any]]:
    rows = []
    campaigns = Campaign.all().order_by("-start_date", "code").prefetch_related("department")
    for c in await campaigns:
        published = c.status == CampaignStatus.PUBLISHED
        history = await draw_history(c)
        revealed = [d for d in history if d["fate"] == "revealed"]
        rows.append(
            {
                "code": c.code,
                "name": c.name,
                "department": c.department.name,
                "status": c.status.value,
                "status_label": STATUS_LABELS[c.status],
                "period": {"start": c.start_date.isoformat(), "due": c.due_date.isoformat()},
                "record_hash": revealed[-1]["record_hash"] if revealed else None,
                "links": notice_links(c.code, task_notice=bool(history), results=published),
            }
        )
    return rows


async def _items() -> list[dict[str, Any]]:
    items = InspectionItem.filter(active=True).order_by("code").prefetch_related("body")
    return [
        {
            "code": i.code,
            "name": i.name,
            "kind": ITEM_KIND_LABELS[i.kind],
            "legal_basis": i.legal_basis,
            "body": i.body.name,
            "content": i.content,
            "ratio_percent": f"{i.ratio_percent.normalize():f}",
            "frequency_per_year": i.frequency_per_year,
            "method": i.method,
            "requirements": i.requirements,
        }
        for i in await items
    ]


async def _businesses() -> list[dict[str, Any]]:
    targets = Target.all().order_by("region__path", "name").prefetch_related("region")
    return [
        {
            "name": t.name,
            "credit_code": t.credit_code,
            "region": t.region.name,
            "categories": list(t.categories),
        }
        for t in await targets
    ]


async def _inspectors() -> list[dict[str, Any]]:
    people = Inspector.filter(active=True).order_by("department__path", "cert_no")
    return [
        {"name": p.name, "unit": p.department.name, "cert_no": p.cert_no}
        for p in await people.prefetch_related("department")
    ]


async def home() -> dict[str, Any]:
    """Everything the home page shows, as plain data (also its JSON)."""
    tops = await Department.filter(parent_id=None).order_by("code")
    return {
        "office": "、".join(d.name for d in tops),
        "items": await _items(),
        "businesses": await _businesses(),
        "inspectors": await _inspectors(),
        "campaigns": await _campaigns(),
        "verify": {"command": VERIFY_COMMAND, "docs": DOCS_PATH},
    }
