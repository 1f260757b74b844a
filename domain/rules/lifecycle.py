"""The task lifecycle: a state machine with named transitions and the roles allowed to make each.

Pure: states and transition names in, a state out, or `TransitionRefused` saying what state the
task is in and what may happen next. The service that stores tasks calls `apply` before writing
and records every applied transition in the audit log (self-loops such as a member accepting or
signing are transitions too, so they are audited the same way).

Decisions the rules leave open, made here:

- Acceptance is per member (`accept`, `declare_conflict`, `replace_member` keep the task in
  `notified`); the system moves the task to `accepted` with `team_accepted` once every current
  officer has accepted (`domain.rules.team_duties.all_accepted`). A conflict or replacement after
  acceptance sends the task back to `notified`, since the newcomer must accept.
- Members sign the draft (`sign_report`); `submit_report` requires every current officer's
  signature (at least two; experts do not count) and a valid report. It is the "awaiting review"
  of the approval flow (docs/domain.md, 九(四)).
- `return` (退回) means the report text needs changes: the team revises and signs again.
  `reject` (驳回) means the inspection itself is not accepted (procedure not followed, evidence
  doubtful, a could-not-inspect claim not believed): the report is void, and the coordinator
  either `reopen`s the task (back to `notified`, so a member can be replaced before the team goes
  on site again) or cancels it. Neither is final: a coordinator must decide.
- `could_not_inspect` is an outcome awaiting review, like a submitted report: approved (then
  published with its result category) or rejected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.errors import UserError
from domain.rules.access import Role
from domain.rules.report import COULD_NOT_INSPECT_CATEGORIES, category_errors, validate_report
from domain.rules.team_duties import acceptance_problems, signing_problems


class TaskState(StrEnum):
    DRAWN = "drawn"
    NOTIFIED = "notified"
    ACCEPTED = "accepted"
    ON_SITE = "on_site"
    REPORT_DRAFTED = "report_drafted"
    REPORT_SUBMITTED = "report_submitted"
    RETURNED = "returned"
    REJECTED = "rejected"
    COULD_NOT_INSPECT = "could_not_inspect"
    APPROVED = "approved"
    PUBLISHED = "published"
    CANCELLED = "cancelled"

    @property
    def label_zh(self) -> str:
        return STATE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return STATE_LABELS[self][1]


STATE_LABELS: dict[TaskState, tuple[str, str]] = {
    TaskState.DRAWN: ("已抽取", "drawn"),
    TaskState.NOTIFIED: ("已通知", "notified"),
    TaskState.ACCEPTED: ("已接受", "accepted"),
    TaskState.ON_SITE: ("现场检查中", "on site"),
    TaskState.REPORT_DRAFTED: ("报告起草中", "report drafted"),
    TaskState.REPORT_SUBMITTED: ("已提交报告", "report submitted"),
    TaskState.RETURNED: ("已退回修改", "returned"),
    TaskState.REJECTED: ("已驳回", "rejected"),
    TaskState.COULD_NOT_INSPECT: ("无法检查待审核", "could not inspect"),
    TaskState.APPROVED: ("已审核通过", "approved"),
    TaskState.PUBLISHED: ("已公示", "published"),
    TaskState.CANCELLED: ("已撤销", "cancelled"),
}
FINAL_STATES = frozenset({TaskState.PUBLISHED, TaskState.CANCELLED})

# The approval flow of docs/domain.md (未录入 → 待审核 → 退回 / 驳回 → 已公示) as a view of the
# task state.
APPROVAL_STATUS: dict[TaskState, str] = {
    **{s: "未录入" for s in TaskState},
    TaskState.REPORT_SUBMITTED: "待审核",
    TaskState.COULD_NOT_INSPECT: "待审核",
    TaskState.RETURNED: "已退回",
    TaskState.REJECTED: "已驳回",
    TaskState.APPROVED: "已审核",
    TaskState.PUBLISHED: "已公示",
    TaskState.CANCELLED: "已撤销",
}


@dataclass(frozen=True)
class Requirement:
    """A condition on the context; `check` returns what is missing, in Chinese (empty: met)."""

    name: str
    label_zh: str
    label_en: str
    check: Callable[[Mapping[str, Any]], list[str]]


def _text(key: str) -> Callable[[Mapping[str, Any]], list[str]]:
    def check(ctx: Mapping[str, Any]) -> list[str]:
        value = ctx.get(key)
        return [] if isinstance(value, str) and value.strip() else ["未填写"]

    return check


def _categories(ctx: Mapping[str, Any]) -> list[str]:
    codes = [str(c) for c in (ctx.get("categories") or ())]
    return [zh for zh, _ in category_errors(codes, allowed=COULD_NOT_INSPECT_CATEGORIES)]


def _report(ctx: Mapping[str, Any]) -> list[str]:
    if ctx.get("report") is None:
        return ["没有报告"]
    return [e.zh for e in validate_report(ctx["report"])]


REQUIREMENTS = {
    r.name: r
    for r in (
        Requirement("reason", "填写原因", "a reason", _text("reason")),
        Requirement("comments", "填写审核意见", "review comments", _text("comments")),
        Requirement(
            "categories",
            "选择无法检查的结果类别（6–12）",
            "a could-not-inspect result category (6-12)",
            _categories,
        ),
        Requirement(
            "team_accepted",
            "检查组全体执法人员接受任务（至少 2 名）",
            "every officer of the team accepted (at least 2)",
            lambda ctx: acceptance_problems(ctx.get("members") or ()),
        ),
        Requirement(
            "fully_signed",
            "检查组全体执法人员签名确认报告（至少 2 名执法人员，专家不计入）",
            "every officer signed the report (at least 2 officers; experts do not count)",
            lambda ctx: signing_problems(
                ctx.get("members") or (), ctx.get("signatures") or (), ctx.get("revision")
            ),
        ),
        Requirement("report_valid", "报告填写完整", "a complete report", _report),
    )
}


@dataclass(frozen=True)
class Transition:
    name: str
    label_zh: str
    label_en: str
    from_states: frozenset[TaskState]
    to_state: TaskState
    roles: frozenset[Role]
    requires: tuple[str, ...] = ()


def _t(name, zh, en, sources, target, roles, requires=()) -> Transition:
    return Transition(name, zh, en, frozenset(sources), target, frozenset(roles), tuple(requires))


S, R = TaskState, Role
TEAM = (R.INSPECTOR, R.LEADER)
NON_FINAL = [s for s in TaskState if s not in FINAL_STATES]

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t("notify", "通知检查组", "notify the team", [S.DRAWN], S.NOTIFIED,
           [R.SYSTEM, R.COORDINATOR]),
        _t("accept", "接受任务", "accept", [S.NOTIFIED], S.NOTIFIED, TEAM),
        _t("declare_conflict", "申请回避", "declare a conflict", [S.NOTIFIED, S.ACCEPTED],
           S.NOTIFIED, TEAM, ["reason"]),
        _t("replace_member", "更换检查人员", "replace a member", [S.NOTIFIED, S.ACCEPTED],
           S.NOTIFIED, [R.SYSTEM, R.COORDINATOR], ["reason"]),
        _t("team_accepted", "全员已接受", "team accepted", [S.NOTIFIED], S.ACCEPTED,
           [R.SYSTEM], ["team_accepted"]),
        _t("check_in", "签到", "check in", [S.ACCEPTED], S.ON_SITE, TEAM),
        _t("start_report", "起草报告", "start the report", [S.ON_SITE], S.REPORT_DRAFTED, TEAM),
        _t("sign_report", "签名确认报告", "sign the report", [S.REPORT_DRAFTED],
           S.REPORT_DRAFTED, TEAM),
        _t("submit_report", "提交报告", "submit the report", [S.REPORT_DRAFTED],
           S.REPORT_SUBMITTED, TEAM, ["fully_signed", "report_valid"]),
        _t("approve", "批准", "approve", [S.REPORT_SUBMITTED, S.COULD_NOT_INSPECT], S.APPROVED,
           [R.COORDINATOR]),
        _t("return", "退回", "return", [S.REPORT_SUBMITTED], S.RETURNED, [R.COORDINATOR],
           ["comments"]),
        _t("reject", "驳回", "reject", [S.REPORT_SUBMITTED, S.COULD_NOT_INSPECT], S.REJECTED,
           [R.COORDINATOR], ["comments"]),
        _t("revise_report", "修改报告", "revise the report", [S.RETURNED], S.REPORT_DRAFTED,
           TEAM),
        _t("reopen", "重新检查", "inspect again", [S.REJECTED], S.NOTIFIED, [R.COORDINATOR],
           ["reason"]),
        _t("declare_could_not_inspect", "无法检查", "could not inspect",
           [S.DRAWN, S.NOTIFIED, S.ACCEPTED, S.ON_SITE], S.COULD_NOT_INSPECT,
           [R.LEADER, R.COORDINATOR], ["reason", "categories"]),
        _t("publish", "公示", "publish", [S.APPROVED], S.PUBLISHED, [R.SYSTEM, R.COORDINATOR]),
        _t("cancel", "撤销任务", "cancel the task", NON_FINAL, S.CANCELLED, [R.COORDINATOR],
           ["reason"]),
    )
}  # fmt: skip


class TransitionRefused(UserError):
    """A transition that may not happen now; the message names the state and the next steps."""

    def __init__(self, state: TaskState, transition: str, role: str, why_zh: str, why_en: str):
        self.state, self.transition, self.role = state, transition, role
        self.next_steps = next_steps(state)
        steps = [TRANSITIONS[n] for n in self.next_steps]
        steps_zh = (
            "、".join(f"{t.label_zh}（{_roles_zh(t.roles)}）" for t in steps) or "无（任务已结束）"
        )
        steps_en = ", ".join(t.label_en for t in steps) or "none (the task is closed)"
        super().__init__(
            f"任务当前状态为「{state.label_zh}」，{why_zh}；下一步可以：{steps_zh}\n"
            f"The task is {state.label_en}; {why_en}; next steps: {steps_en}."
        )


def _roles_zh(roles: Iterable[Role]) -> str:
    return "或".join(r.label_zh for r in Role if r in roles)


def next_steps(state: TaskState | str) -> list[str]:
    """Names of the transitions possible from `state`, whoever makes them, in table order."""
    state = TaskState(state)
    return [n for n, t in TRANSITIONS.items() if state in t.from_states]


def allowed(state: TaskState | str, role: Role | str) -> list[str]:
    """Names of the transitions `role` may make from `state` (requirements not checked)."""
    state, role = TaskState(state), Role(role)
    return [n for n in next_steps(state) if role in TRANSITIONS[n].roles]


def is_final(state: TaskState | str) -> bool:
    return TaskState(state) in FINAL_STATES


def apply(
    state: TaskState | str,
    transition_name: str,
    role: Role | str,
    context: Mapping[str, Any] | None = None,
) -> TaskState:
    """The state after `transition_name` made by `role`, or `TransitionRefused`.

    `context` carries what the transition requires: `reason`, `comments`, `categories` (codes),
    `members` and `signatures` (`domain.rules.team_duties` values, with an optional `revision`),
    `report` (a `domain.rules.report.Report` or mapping).
    """
    state = TaskState(state)  # a bad stored state is a programming error: ValueError
    ctx = context or {}
    t = TRANSITIONS.get(transition_name)
    if t is None:
        raise TransitionRefused(
            state, transition_name, str(role),
            f"没有名为「{transition_name}」的操作", f"there is no action {transition_name!r}",
        )  # fmt: skip
    if state not in t.from_states:
        raise TransitionRefused(
            state, t.name, str(role),
            f"不能执行「{t.label_zh}」", f"{t.label_en!r} is not possible now",
        )  # fmt: skip
    raw_role = str(role)
    try:
        known: Role | None = Role(role)
    except ValueError:
        known = None  # an unknown role may do nothing; refused below
    if known is None or known not in t.roles:
        who = known.label_zh if known else raw_role
        raise TransitionRefused(
            state, t.name, raw_role,
            f"「{t.label_zh}」只能由{_roles_zh(t.roles)}执行（当前身份：{who}）",
            f"{t.label_en!r} is for {' or '.join(r.value for r in Role if r in t.roles)} only",
        )  # fmt: skip
    unmet = []
    for name in t.requires:
        req = REQUIREMENTS[name]
        problems = req.check(ctx)
        if problems:
            unmet.append((req, problems))
    if unmet:
        zh = "；".join(f"须{r.label_zh}——{'；'.join(p)}" for r, p in unmet)
        en = "; ".join(r.label_en for r, _ in unmet)
        raise TransitionRefused(
            state, t.name, known.value,
            f"还不能执行「{t.label_zh}」：{zh}", f"{t.label_en!r} requires {en}",
        )  # fmt: skip
    return t.to_state
