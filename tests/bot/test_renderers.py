"""The table of outbox renderers: every kind that can be queued has one, each kind once, and
every module's declared renderers are in it."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
from pathlib import Path

import pytest

from bot import renderers
from bot.delivery.render import Outgoing, Rendered, by_recipient
from bot.inspector import signing
from bot.renderers import MODULES, renderer_table
from domain.calendar import deadlines
from domain.calendar.imported import package_calendar
from domain.calendar.workdays import package_years
from domain.messaging.chat_accounts import BLOCKED_NOTICE
from domain.messaging.kinds import ASSIGNMENT, NOTICE
from domain.tasks.reporting import TEAM_NOTICE
from domain.tasks.visit import UNABLE_KIND, UNABLE_TEAM_KIND

ROOT = Path(__file__).resolve().parents[2]
# Where each queuing call takes its kind: (the callee's name, the argument's position).
KIND_ARGUMENT = {"enqueue": 2, "schedule_reminder": 2, "PlannedReminder": 0, "counted": 1}


def planned_kinds() -> set[str]:
    """The reminders the domain plans, as it plans them, in a year the calendar covers."""
    calendar = package_calendar()
    year = max(package_years())
    notified = dt.datetime(year, 3, 2, 1, 0, tzinfo=dt.UTC)
    due = dt.date(year, 6, 30)
    planned = deadlines.plan_task_reminders(calendar, notified, due)
    planned += deadlines.plan_followup_reminders(calendar, due)
    for kind in ("results.publish", "penalty.publish"):
        planned += deadlines.plan_publication_reminders(calendar, due, 20, kind)
    return {p.kind for p in planned}


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _constants(tree: ast.Module) -> dict[str, str]:
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name) and isinstance(node.value.value, str)
    }


def written_kinds(package: str) -> dict[str, str]:
    """Kinds written at a queuing call in `package`, as a string, as a constant of the same
    module or as one of domain/messaging/kinds.py: kind -> where. Kinds computed at the call
    are not seen (planned_kinds has them)."""
    shared = _constants(ast.parse((ROOT / "domain/messaging/kinds.py").read_text("utf-8")))
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = shared | _constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _name(node.func) not in KIND_ARGUMENT:
                continue
            at = KIND_ARGUMENT[_name(node.func)]
            arg = node.args[at] if len(node.args) > at else None
            arg = next((k.value for k in node.keywords if k.arg == "kind"), arg)
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                kind = arg.value
            elif isinstance(arg, ast.Name) and arg.id in constants:
                kind = constants[arg.id]
            else:
                continue
            found[kind] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_kind_that_can_be_queued_has_a_renderer():
    table = renderer_table()
    named = {ASSIGNMENT, NOTICE, BLOCKED_NOTICE, UNABLE_KIND, UNABLE_TEAM_KIND}
    named |= {*TEAM_NOTICE.values(), signing.SIGN, signing.SIGNED, deadlines.CALENDAR_MISSING}
    planned = planned_kinds()
    assert {"task.accept", "task.overdue", "followup.due0", "penalty.publish.due5"} <= planned
    written = written_kinds("domain") | written_kinds("bot")
    # The scan sees literals and constants alike: it is not vacuous.
    assert {"report.submitted", UNABLE_TEAM_KIND, signing.SIGN} <= written.keys()
    missing = {kind: written.get(kind, "") for kind in named | planned | written.keys()}
    missing = {kind: where for kind, where in missing.items() if kind not in table}
    assert missing == {}, f"outbox kinds without a renderer (a generic notice is sent): {missing}"


def test_every_module_declaring_renderers_is_in_the_table():
    declaring = set()
    for path in sorted((ROOT / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets = [
            node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
            for node in tree.body
            if isinstance(node, ast.AnnAssign | ast.Assign)
        ]
        if any(isinstance(t, ast.Name) and t.id == "RENDERERS" for t in targets):
            declaring.add(".".join(path.relative_to(ROOT).with_suffix("").parts))
    assert declaring == {module.__name__ for module in MODULES}
    table = renderer_table()
    for name in declaring:
        for kind, fn in importlib.import_module(name).RENDERERS.items():
            assert table[kind] is fn, (name, kind)


def test_a_kind_declared_twice_is_refused_with_both_places():
    with pytest.raises(ValueError, match=r"'assignment'.*bot\.inspector\.assignment.*extra #1"):
        renderer_table({ASSIGNMENT: lambda out: None})
    with pytest.raises(ValueError, match=r"'test\.kind'.*extra #1.*extra #2"):
        renderer_table({"test.kind": lambda out: None}, {"test.kind": lambda out: None})


def test_the_tables_own_kinds_are_declared_once():
    modules = [module.RENDERERS for module in MODULES] + [renderers.SHARED]
    kinds = [kind for table in modules for kind in table]
    assert len(kinds) == len(set(kinds)) == len(renderer_table())


def _out(recipient_kind: str) -> Outgoing:
    return Outgoing("task.overdue", {}, "zh", recipient_kind, 7)


def test_a_kind_shared_by_audiences_renders_each_its_own_way():
    shared = by_recipient(
        {"inspector": lambda out: Rendered("team"), "coordinator": lambda out: Rendered("list")}
    )
    assert shared(_out("inspector")) == Rendered("team")
    assert shared(_out("coordinator")) == Rendered("list")
    assert shared(_out("chat")) is None  # nobody else is sent this kind
