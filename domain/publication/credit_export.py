"""Dishonesty records (失信) of a published campaign for the credit information platform
(信用信息平台), as CSV or JSON. The schema is also in `docs/credit-export.md`.

Sources, both limited to the campaign's published tasks:

- each penalty (行政处罚) marked dishonest whose information is published (`basis` "penalty");
- each result category C (公示信息隐瞒真实情况弄虚作假) or 8 (不配合检查情节严重) in a published
  report (`basis` "result").

One record per penalty and per such category, in task-number order, penalties first.

Fields (CSV columns in this order; JSON members of each record; every value a string, "" when
not applicable):

====================  ==============================  ================================
field                 中文                             value
====================  ==============================  ================================
record_id             记录编号                         `<task_number>/penalty/<decision_no>`
                                                       or `<task_number>/result/<code>`;
                                                       stable across exports
basis                 失信依据                         `penalty` or `result`
credit_code           统一社会信用代码                 18 characters
business_name         市场主体名称
category_code         结果类别代码                     C or 8 (result); "" (penalty)
category_label        失信类别                         the category's label, or 行政处罚（失信）
decision_no           处罚决定书文号                   penalty only
decided_on            处罚决定日期                     YYYY-MM-DD, penalty only
content               处罚内容                         penalty only
completed_on          检查完成日期                     YYYY-MM-DD
campaign_code         抽查计划编号
campaign_name         抽查计划名称
task_number           抽查任务编号
department_code       公示部门代码                     the campaign's organising department
department_name       公示部门名称
published_on          公示日期                         YYYY-MM-DD (Beijing time)
====================  ==============================  ================================

CSV: UTF-8 with a byte-order mark (so that Excel reads the Chinese), a header row of the field
names above, CRLF line ends, RFC 4180 quoting. JSON: an object
`{"schema": "shuangsuiji-credit-export", "version": 1, "campaign": ..., "generated_at": ...,
"records": [...]}`, UTF-8, non-ASCII characters unescaped.

An unpublished campaign is refused: nothing about it leaves the office before publication.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from domain import clock
from domain.audit import log as audit
from domain.campaigns.plan import get_campaign
from domain.errors import UserError
from domain.publication.notices import local_date
from domain.rules.access import Actor, require_coordinator
from domain.rules.lifecycle import TaskState
from domain.rules.report import RESULT_CATEGORIES
from domain.storage.models import Campaign, CampaignStatus, Penalty, Report, Task

SCHEMA = "shuangsuiji-credit-export"
VERSION = 1
DISHONEST_CATEGORIES = ("C", "8")
PENALTY_LABEL = "行政处罚（失信）"


@dataclass(frozen=True)
class CreditRecord:
    record_id: str
    basis: str
    credit_code: str
    business_name: str
    category_code: str
    category_label: str
    decision_no: str
    decided_on: str
    content: str
    completed_on: str
    campaign_code: str
    campaign_name: str
    task_number: str
    department_code: str
    department_name: str
    published_on: str


FIELDS = tuple(f.name for f in fields(CreditRecord))


async def _check_published(actor: Actor, code: str) -> Campaign:
    campaign = await get_campaign(code)
    require_coordinator(actor, campaign.department.path)
    if campaign.status != CampaignStatus.PUBLISHED:
        raise UserError(
            f"抽查计划 {campaign.code} 尚未公示（当前状态：{campaign.status.value}），"
            "不能导出失信信息；请先公示抽查结果 (the campaign is not published yet)"
        )
    return campaign


async def credit_records(actor: Actor, code: str) -> tuple[Campaign, list[CreditRecord]]:
    campaign = await _check_published(actor, code)
    tasks = {
        t.id: t
        for t in await Task.filter(campaign_id=campaign.id, state=TaskState.PUBLISHED)
        .order_by("number")
        .prefetch_related("target")
    }
    reports = {r.task_id: r for r in await Report.filter(task_id__in=list(tasks))}
    penalties: dict[int, list[Penalty]] = {}
    for p in await Penalty.filter(
        task_id__in=list(tasks), dishonest=True, published_at__isnull=False
    ).order_by("decided_on", "id"):
        penalties.setdefault(p.task_id, []).append(p)
    dept = campaign.department
    published_on = local_date(campaign.published_at) or ""

    def record(task: Task, basis: str, key: str, **extra: str) -> CreditRecord:
        report = reports.get(task.id)
        completed = (report.completed_on if report else None) or task.completed_on
        values = dict.fromkeys(("category_code", "decision_no", "decided_on", "content"), "")
        values.update(extra)
        return CreditRecord(
            record_id=f"{task.number}/{basis}/{key}",
            basis=basis,
            credit_code=task.target.credit_code,
            business_name=task.target.name,
            completed_on=completed.isoformat() if completed else "",
            campaign_code=campaign.code,
            campaign_name=campaign.name,
            task_number=task.number,
            department_code=dept.code,
            department_name=dept.name,
            published_on=published_on,
            **values,
        )

    out: list[CreditRecord] = []
    for task in tasks.values():
        for p in penalties.get(task.id, []):
            out.append(
                record(
                    task,
                    "penalty",
                    p.decision_no,
                    category_label=PENALTY_LABEL,
                    decision_no=p.decision_no,
                    decided_on=p.decided_on.isoformat(),
                    content=p.content,
                )
            )
        report = reports.get(task.id)
        codes = [str(c) for c in (report.data.get("result_categories") or ())] if report else []
        for code in DISHONEST_CATEGORIES:
            if code in codes:
                out.append(
                    record(
                        task,
                        "result",
                        code,
                        category_code=code,
                        category_label=RESULT_CATEGORIES[code][0],
                    )
                )
    return campaign, out


def to_csv(records: list[CreditRecord]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for r in records:
        writer.writerow([getattr(r, name) for name in FIELDS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_json(campaign: Campaign, records: list[CreditRecord]) -> bytes:
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "version": VERSION,
        "campaign": {
            "code": campaign.code,
            "name": campaign.name,
            "department_code": campaign.department.code,
            "department_name": campaign.department.name,
            "published_on": local_date(campaign.published_at),
        },
        "generated_at": clock.now().isoformat(timespec="seconds"),
        "records": [asdict(r) for r in records],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


async def export_credit(actor: Actor, code: str, out_path: Path) -> int:
    """Write the export as CSV or JSON, chosen by the file's suffix; the number of records."""
    suffix = out_path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise UserError(f"导出文件 {out_path} 的扩展名应为 .csv 或 .json (use .csv or .json)")
    campaign, records = await credit_records(actor, code)
    payload = to_csv(records) if suffix == ".csv" else to_json(campaign, records)
    await asyncio.to_thread(out_path.write_bytes, payload)
    await audit.record(
        actor.label,
        "credit.export",
        "campaign",
        campaign.code,
        data={"records": len(records), "format": suffix[1:]},
    )
    return len(records)
