"""Asking the team to confirm a saved report, and telling its drafter when all have.

Teammates are asked through the outbox, once per revision (the dedupe key), in the transaction
that saves the revision; asking again (a chat's /report on a drafted report) sends nothing
twice. Any adapter that saves or signs a report gets the same messages.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.messaging import outbox
from domain.messaging.kinds import (
    REPORT_SIGN,
    REPORT_SIGNED,
    report_sign_key,
    report_signed_key,
)
from domain.storage.models import RecipientKind, Report, TeamMember
from domain.tasks.views import TaskView


def drafter_cert(report: Report) -> str:
    return report.drafted_by.removeprefix("inspector:")


def drafter_of(view: TaskView, report: Report) -> TeamMember | None:
    """The current member who saved this revision, if still on the team."""
    cert = drafter_cert(report)
    return next((m for m in view.members if m.inspector.cert_no == cert), None)


async def ask_teammates(
    view: TaskView, report: Report, connection: BaseDBAsyncClient | None = None
) -> None:
    """Each current member but the drafter is asked to confirm this revision (once each)."""
    author = drafter_cert(report)
    for member in view.members:
        if member.inspector.cert_no == author:
            continue
        await outbox.enqueue(
            RecipientKind.INSPECTOR,
            member.inspector_id,
            REPORT_SIGN,
            {"task_id": view.task.id, "revision": report.revision},
            dedupe_key=report_sign_key(view.task.id, report.revision, member.inspector_id),
            connection=connection,
        )


async def tell_drafter(
    view: TaskView, report: Report, signer_id: int | None, connection: BaseDBAsyncClient
) -> None:
    """Everyone signed: the drafter (unless they signed last) may submit now."""
    drafter = drafter_of(view, report)
    if drafter is None or drafter.inspector_id == signer_id:
        return
    await outbox.enqueue(
        RecipientKind.INSPECTOR,
        drafter.inspector_id,
        REPORT_SIGNED,
        {"task_id": view.task.id, "revision": report.revision},
        dedupe_key=report_signed_key(view.task.id, report.revision),
        connection=connection,
    )
