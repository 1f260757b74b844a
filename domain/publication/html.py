"""Plain Chinese HTML pages of the three public notices, from the data of
`domain.publication.notices`, in the shell of `domain.publication.page` (escaped, readable on a
phone).
"""

from __future__ import annotations

from typing import Any

from domain.publication.home import HOME_PATH
from domain.publication.page import digest as _hex
from domain.publication.page import e as _e
from domain.publication.page import facts as _facts
from domain.publication.page import heading, page
from domain.publication.page import table as _table


def _title(d: dict[str, Any]) -> str:
    return f"{d['department']['name']} {d['notice']} — {d['name']}"


def _header(d: dict[str, Any]) -> list[str]:
    return [
        f'<nav><a href="{HOME_PATH}">← 公示首页</a></nav>',
        heading(d["department"]["name"], d["notice"]),
        f"<h2>{_e(d['name'])}</h2>",
        _facts(
            [
                ("计划编号", _e(d["code"])),
                ("抽查组织单位", _e(d["department"]["name"])),
                ("抽查期间", f"{_e(d['period']['start'])} 至 {_e(d['period']['due'])}"),
                ("状态", _e(d["status_label"])),
            ]
        ),
    ]


def _items_table(items: list[dict[str, Any]]) -> str:
    return _table(
        ["抽查事项", "类别", "抽查依据", "抽查主体", "抽查内容", "抽查方式和要求"],
        (
            [
                _e(i["name"]),
                _e(i["kind"]),
                _e(i["legal_basis"]),
                _e(i["body"]),
                _e(i["content"]),
                _e("；".join(x for x in (i["method"], i["requirements"]) if x)),
            ]
            for i in items
        ),
        nowrap=(1, 3),
    )


def _scope(scope: dict[str, Any]) -> str:
    filters = []
    if scope["categories"]:
        filters.append("对象类别：" + "、".join(scope["categories"]))
    if scope["risk_classes"]:
        filters.append("信用风险分类：" + "、".join(scope["risk_classes"]))
    return _facts(
        [
            ("抽查范围", _e("、".join(r["name"] for r in scope["regions"]))),
            ("抽取方式", _e(scope["mode"] + ("（" + "；".join(filters) + "）" if filters else ""))),
        ]
    )


def render_plan(d: dict[str, Any]) -> str:
    head = _header(d)
    ratios = _table(
        ["对象分类", "抽查比例"], ([_e(r["label"]), _e(f"{r['percent']}%")] for r in d["ratios"])
    )
    return page(
        _title(d),
        [
            *head,
            "<h3>抽查事项</h3>",
            _items_table(d["items"]),
            "<h3>抽查范围</h3>",
            _scope(d["scope"]),
            "<h3>抽查比例</h3>",
            ratios,
            f"<p>每个检查组不少于 {_e(d['team_size'])} 名执法检查人员。</p>",
        ],
    )


SECRET_LATER = {
    "pending": "揭示前保密",
    "revealed": "结果公示时随摇号记录公开",
    "abandoned": "本计划下一次抽取揭示后（或结果公示时）公开",
    "failed": "本计划下一次抽取揭示后（或结果公示时）公开",
}


def _when(value: str | None) -> str:
    """An ISO moment in office time as people read it: 2026-11-02 09:30:00."""
    return _e(value[:19].replace("T", " ") if value else value)


def _current_draw(draw: dict[str, Any] | None) -> list[str]:
    if draw is None:
        return ["<p>本计划目前没有待揭示的抽取。</p>"]
    rows = [[_e(s["name"]), _e(s["eligible"]), _hex(s["digest"])] for s in draw["strata"]]
    pool = draw["pool"]
    rows.append(["执法检查人员库", _e(pool["size"]), _hex(pool["digest"])])
    rows.append(["执法检查人员库（属性快照）", "", _hex(pool["snapshot_digest"])])
    pairs = [
        ("摇号承诺值", _hex(draw["commitment"])),
        ("准备时间", _when(draw["prepared_at"])),
    ]
    if draw["record_hash"]:
        pairs.append(("摇号记录摘要", _hex(draw["record_hash"])))
    return [
        "<h3>摇号承诺与候选名单摘要</h3>",
        _facts(pairs),
        "<p>承诺值为摇号密钥的 SHA-256 摘要，在公开随机数产生之前公布；候选名单在准备抽取时"
        "冻结，各分层名单的 SHA-256 摘要如下，名单本身在结果公示时公开。</p>",
        _table(["分层", "候选数量", "SHA-256 摘要"], rows),
    ]


def _fate(d: dict[str, Any]) -> str:
    parts = [_e(d["fate_label"])]
    if d.get("abandoned_at"):
        parts.append(_when(d["abandoned_at"]))
    if d.get("reason"):
        parts.append("理由：" + _e(d["reason"]))
    if d.get("revealed_at"):
        parts.append(_when(d["revealed_at"]))
    return "<br>".join(parts)


def _secret(d: dict[str, Any]) -> str:
    if not d["secret"]:
        return _e(SECRET_LATER[d["fate"]])
    entropy = f"<br>公开随机数：{_hex(d['entropy'])}" if d["entropy"] else ""
    return _hex(d["secret"]) + entropy


def _draw_history(draws: list[dict[str, Any]]) -> list[str]:
    rows = (
        [
            _e(d["n"]) + ("（演练）" if d["practice"] else ""),
            _when(d["prepared_at"]),
            _hex(d["commitment"]),
            _fate(d),
            _secret(d),
        ]
        for d in draws
    )
    return [
        "<h3>历次摇号承诺</h3>",
        "<p>本计划每一次准备的抽取都列在这里，作废的也不例外。作废抽取的密钥在下一次抽取揭示后"
        "公开，任何人可核对 SHA-256(密钥) 等于其承诺值。</p>",
        _table(["序号", "准备时间", "承诺值", "结果", "密钥"], rows),
    ]


def _drawn_facts(d: dict[str, Any]) -> list[tuple[str, str]]:
    tasks = d["tasks"]
    if tasks is None:
        return [("抽取日期", "尚未揭示")]
    numbers = f"{_e(tasks['first'])} 至 {_e(tasks['last'])}" if tasks["count"] else "（无）"
    return [
        ("抽取日期", _e(d["drawn_on"])),
        ("任务编号", numbers),
        ("抽取对象数量", _e(f"{tasks['count']} 户")),
    ]


def _sealed_or_published(d: dict[str, Any]) -> str:
    if d["status"] == "published":
        href = f"/public/campaigns/{_e(d['code'])}/results"
        return f'<p>抽查结果已公示，被抽取对象名单见<a href="{href}">抽查结果公告</a>。</p>'
    return "<p>被抽取对象名单在结果公示前保密。</p>"


def render_tasks(d: dict[str, Any]) -> str:
    head = _header(d)
    draw = d["draw"]
    bodies = ("检查实施单位", _e("、".join(d["inspecting_bodies"])))
    return page(
        _title(d),
        [
            *head,
            _facts([*_drawn_facts(d), bodies]),
            _sealed_or_published(d)
            + ("<p><strong>本次为演练抽取。</strong></p>" if draw and draw["practice"] else ""),
            *_current_draw(draw),
            *_draw_history(d["draws"]),
            "<h3>抽查事项</h3>",
            _items_table(d["items"]),
            "<h3>抽查范围</h3>",
            _scope(d["scope"]),
        ],
    )


def _penalties(penalties: list[dict[str, Any]]) -> str:
    return "<br>".join(
        f"{_e(p['decision_no'])}（{_e(p['decided_on'])}）：{_e(p['content'])}" for p in penalties
    )


def _cancelled(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    return [
        "<h3>撤销的任务</h3>",
        "<p>以下被抽取对象未予检查，撤销理由如下。</p>",
        _table(
            ["任务编号", "市场主体名称", "统一社会信用代码", "撤销理由"],
            (
                [
                    _e(r["task_number"]),
                    _e(r["business_name"]),
                    _e(r["credit_code"]),
                    _e(r["reason"]),
                ]
                for r in rows
            ),
            nowrap=(0, 2),
        ),
    ]


def render_results(d: dict[str, Any]) -> str:
    head = _header(d)
    counts = d["counts"]
    rows = (
        [
            _e(r["task_number"]),
            _e(r["business_name"]),
            _e(r["credit_code"]),
            _e(r["completed_on"]),
            _e("、".join(r["items"])),
            "<br>".join(_e(f"{c['code']} {c['label']}") for c in r["results"]),
            _e(r["remarks"]),
            _penalties(r["penalties"]),
        ]
        for r in d["results"]
    )
    base = f"/public/campaigns/{_e(d['code'])}"
    return page(
        _title(d),
        [
            *head,
            _facts(
                [
                    ("公示日期", _e(d["published_on"])),
                    (
                        "抽查户数",
                        _e(
                            f"抽取 {counts['drawn']} 户，公示结果 {counts['published']} 户，"
                            f"撤销 {counts['cancelled']} 户"
                        ),
                    ),
                    (
                        "摇号记录",
                        f'<a href="{base}/record">摇号记录（JSON）</a>　'
                        f'<a href="{base}/candidates">候选名单</a>',
                    ),
                ]
            ),
            "<h3>抽查结果</h3>",
            _table(
                [
                    "任务编号",
                    "市场主体名称",
                    "统一社会信用代码",
                    "完成日期",
                    "抽查事项",
                    "抽查结果",
                    "备注",
                    "行政处罚信息",
                ],
                rows,
                nowrap=(0, 2, 3),
            ),
            *_cancelled(d["cancelled"]),
        ],
    )
