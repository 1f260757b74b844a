"""Dishonesty records for the credit platform: which ones, in the documented schema, and
nothing of an unpublished campaign."""

from __future__ import annotations

import csv
import io
import json

import pytest

from domain.audit import log as audit
from domain.errors import PermissionDenied, UserError
from domain.publication.credit_export import FIELDS, credit_records, export_credit
from domain.rules.access import SYSTEM, Actor, Role
from domain.storage.models import Coordinator, Department, Penalty, Report
from tests.kit.publication_cases import publish, sealed_case

CODE = "2026-RF-01"


async def test_unpublished_campaign_is_refused_and_nothing_is_written(db, tmp_path):
    await sealed_case()
    out = tmp_path / "x.csv"
    with pytest.raises(UserError, match="尚未公示"):
        await export_credit(SYSTEM, CODE, out)
    assert not out.exists()


async def test_records_from_dishonest_penalties_and_categories(db, tmp_path):
    w = await sealed_case()  # categories A and C, one dishonest penalty
    await Penalty.create(
        task=w.task, decision_no="示人防罚〔2026〕4号", decided_on=w.task.due_date, content="警告"
    )  # not dishonest: not exported
    await Report.filter(task_id=w.task.id).update(
        data={"result_categories": ["A", "C", "8"], "findings": "x"}
    )
    await publish(w)
    _, records = await credit_records(SYSTEM, CODE)
    assert [r.record_id for r in records] == [
        "2026-RF-01-0001/penalty/示人防罚〔2026〕3号",
        "2026-RF-01-0001/result/C",
        "2026-RF-01-0001/result/8",
    ]
    penalty, falsified, uncooperative = records
    assert penalty.decided_on == "2026-12-01" and penalty.category_code == ""
    assert falsified.category_label == "公示信息隐瞒真实情况弄虚作假"
    assert uncooperative.category_label == "不配合检查情节严重"
    assert {r.credit_code for r in records} == {w.target.credit_code}
    assert {r.department_name for r in records} == {"示范市人防办"}

    out = tmp_path / "credit.csv"
    assert await export_credit(SYSTEM, CODE, out) == 3
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == FIELDS and len(rows) == 4
    assert dict(zip(FIELDS, rows[1], strict=True))["business_name"] == w.target.name

    out = tmp_path / "credit.json"
    await export_credit(SYSTEM, CODE, out)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["schema"] == "shuangsuiji-credit-export" and document["version"] == 1
    assert document["campaign"]["code"] == CODE and document["campaign"]["published_on"]
    assert [tuple(r) for r in document["records"]] == [FIELDS] * 3
    actions = [e.action for e in await audit.list_entries("campaign", CODE)]
    assert actions.count("credit.export") == 2


async def test_unpublished_penalty_and_other_tasks_stay_out(db):
    w = await sealed_case()
    await publish(w, penalty_published=False)
    _, records = await credit_records(SYSTEM, CODE)
    assert [r.basis for r in records] == ["result"]


async def test_only_the_campaigns_coordinators_export(db, tmp_path):
    w = await sealed_case()
    await publish(w)
    other = await Department.create(code="8800", name="别市人防办", path="/8800/")
    person = await Coordinator.create(name="钱多", department=other)
    stranger = Actor(Role.COORDINATOR, person.id, person.name, department_path=other.path)
    with pytest.raises(PermissionDenied):
        await export_credit(stranger, CODE, tmp_path / "x.json")
    with pytest.raises(UserError, match=r"\.csv 或 \.json"):
        await export_credit(SYSTEM, CODE, tmp_path / "x.xlsx")
