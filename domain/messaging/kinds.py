"""The kinds of outbox message that carry a use case's consequences, and their dedupe keys:
one name for each, used where a message is queued, where its delivery is applied and where an
adapter renders it."""

from __future__ import annotations

ASSIGNMENT = "assignment"  # a member's task, with the accept / declare-a-conflict choice
NOTICE = "assignment.notice"  # the inspection notice (行政检查通知书) that follows it
REPORT_SUBMITTED = "report.submitted"  # to the coordinators who review it
REPORT_APPROVED = "report.approved"  # to the team whose report (or could-not-inspect) passed
REPORT_SIGN = "report.sign"  # a teammate is asked to confirm a saved revision
REPORT_SIGNED = "report.signed"  # the drafter learns that everyone signed: it may be submitted


def assignment_key(task_id: int, inspector_id: int) -> str:
    """A member's assignment, as the draw and a replacement queue it: one per member."""
    return f"{ASSIGNMENT}:{task_id}:{inspector_id}"


def notice_key(task_id: int, inspector_id: int, newcomer: int | None = None) -> str:
    """A member's notice; `newcomer`: the one whose arrival changed the team."""
    return f"{NOTICE}:{task_id}:{inspector_id}" + (f":after:{newcomer}" if newcomer else "")


def report_submitted_key(task_id: int, revision: int, coordinator_id: int) -> str:
    return f"{REPORT_SUBMITTED}:{task_id}:{revision}:{coordinator_id}"


def report_sign_key(task_id: int, revision: int, inspector_id: int) -> str:
    return f"{REPORT_SIGN}:{task_id}:{revision}:{inspector_id}"


def report_signed_key(task_id: int, revision: int) -> str:
    return f"{REPORT_SIGNED}:{task_id}:{revision}"
