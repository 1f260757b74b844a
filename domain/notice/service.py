"""The inspection notice of a task, built from the task, its items and its current team."""

from __future__ import annotations

import asyncio
import datetime as dt

from domain.notice import NoticeData, NoticeInspector, NoticeItem, NoticeTarget, render_notice
from domain.notice.fonts import find_cjk_font
from domain.rules.access import Actor
from domain.storage.models import InspectionItem, MemberRole
from domain.tasks.views import TaskView, load_task


async def notice_data(view: TaskView, issued_on: dt.date | None = None) -> NoticeData:
    task, campaign = view.task, view.campaign
    items = await InspectionItem.filter(code__in=task.item_codes).order_by("code")
    leader = next((m for m in view.members if m.role == MemberRole.LEADER), view.members[0])
    return NoticeData(
        number=f"{campaign.department.code}检通〔{task.year}〕{task.number}",
        department=campaign.department.name,
        target=NoticeTarget(task.target.name, task.target.credit_code, task.target.address),
        items=tuple(NoticeItem(i.name, i.legal_basis, i.content) for i in items),
        period_start=campaign.start_date,
        period_end=task.due_date,
        requirements=tuple(r for i in items for r in [i.requirements] if r.strip()),
        inspectors=tuple(
            NoticeInspector(
                m.inspector.name,
                m.inspector.cert_no,
                is_expert=m.role == MemberRole.EXPERT,
            )
            for m in view.members
        ),
        team_leader=leader.inspector.name,
        issued_on=issued_on or campaign.start_date,
    )


async def task_notice_pdf(actor: Actor, task_id: int, font_path: str = "") -> tuple[str, bytes]:
    """(file name, PDF bytes) of the task's notice, for a coordinator or the team."""
    return await notice_pdf_of(await load_task(actor, task_id, purpose="notice"), font_path)


async def notice_pdf_of(view: TaskView, font_path: str = "") -> tuple[str, bytes]:
    """The notice of a task already loaded (its view already audited): for a document that
    includes it, so that one view is one audit entry."""
    data = await notice_data(view)
    font = await asyncio.to_thread(find_cjk_font, font_path)
    pdf = await asyncio.to_thread(render_notice, data, font)
    return f"行政检查通知书-{view.task.number}.pdf", pdf
