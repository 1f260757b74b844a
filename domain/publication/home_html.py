"""The public home page in HTML, Chinese by default and English on request (the words around
the data; the data itself is as the office wrote it)."""

from __future__ import annotations

from typing import Any

from domain.publication.home import HOME_PATH
from domain.publication.page import e, facts, heading, page, table

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "html_lang": "zh-CN",
        "title": "双随机、一公开 公示",
        "other_lang": "English",
        "other_query": "?lang=en",
        "intro": "本页公开随机抽查事项清单、抽查对象名录库和执法检查人员名录库（一单两库），"
        "以及各抽查计划的计划公告、任务公告和结果公告。",
        "campaigns": "抽查计划与公告",
        "code": "计划编号",
        "name": "名称",
        "period": "抽查期间",
        "to": "至",
        "status": "状态",
        "notices": "公告",
        "plan": "计划公告",
        "task_notice": "任务公告",
        "results": "结果公告",
        "no_campaigns": "暂无抽查计划。",
        "items": "随机抽查事项清单",
        "legal_basis": "抽查依据",
        "body": "抽查主体",
        "content": "抽查内容",
        "ratio": "抽查比例和频次",
        "ratio_text": "{ratio}%，每年 {freq} 次",
        "method": "抽查方式和要求",
        "businesses": "随机抽查对象名录库",
        "credit_code": "统一社会信用代码",
        "region": "所属区域",
        "categories": "类别",
        "inspectors": "执法检查人员名录库",
        "person": "姓名",
        "unit": "单位",
        "cert_no": "执法证号",
        "count": "（共 {n} 条）",
        "list_item": "{code}：{record}，{candidates}",
        "hash_placeholder": "<任务公告上的摇号记录摘要>",
        "verify": "如何核验摇号",
        "verify_text": "每次摇号前，本页所列任务公告先公布摇号承诺值和候选名单摘要；结果公示后，"
        "摇号记录和候选名单一并公开。任何人可下载摇号记录（JSON）和候选名单，用开源的 "
        "shuangsuiji 命令重新计算抽取结果，并与任务公告上的摇号记录摘要核对：",
        "verify_docs": "摇号记录格式与核验方法说明",
        "record": "摇号记录",
        "candidates": "候选名单",
        "json": "本页数据的 JSON：",
    },
    "en": {
        "html_lang": "en",
        "title": "Random inspections: public information",
        "other_lang": "中文",
        "other_query": HOME_PATH,
        "intro": "This page publishes the list of inspection items, the directory of businesses "
        "that can be drawn and the directory of inspectors, and each campaign's plan, task and "
        "results notices (the notices are in Chinese).",
        "campaigns": "Campaigns and notices",
        "code": "Code",
        "name": "Name",
        "period": "Period",
        "to": "to",
        "status": "Status",
        "notices": "Notices",
        "plan": "Plan",
        "task_notice": "Tasks",
        "results": "Results",
        "no_campaigns": "No campaign yet.",
        "items": "Inspection items",
        "legal_basis": "Legal basis",
        "body": "Inspecting body",
        "content": "What is checked",
        "ratio": "Ratio and frequency",
        "ratio_text": "{ratio}%, {freq} a year",
        "method": "Method and requirements",
        "businesses": "Businesses that can be drawn",
        "credit_code": "Unified social credit code",
        "region": "Region",
        "categories": "Categories",
        "inspectors": "Inspectors",
        "person": "Name",
        "unit": "Unit",
        "cert_no": "Certificate no.",
        "count": " ({n} entries)",
        "list_item": "{code}: {record}, {candidates}",
        "hash_placeholder": "<record hash from the task notice>",
        "verify": "How to verify a draw",
        "verify_text": "Before each draw, the task notice publishes the draw's commitment and the "
        "digests of the candidate lists; once the results are published, the draw record and "
        "the candidate lists are public too. Anyone can download them and recompute the draw "
        "with the open-source shuangsuiji command, then compare with the record hash on the "
        "task notice:",
        "verify_docs": "The draw record and how to verify it",
        "record": "draw record",
        "candidates": "candidate lists",
        "json": "This page as JSON: ",
    },
}
STATUS_EN = {
    "planned": "planned",
    "drawn": "drawn",
    "completed": "inspections done",
    "published": "results published",
}


def _link(href: str | None, text: str) -> str:
    return f'<a href="{e(href)}">{e(text)}</a>' if href else ""


def _campaigns(d: dict[str, Any], w: dict[str, str], lang: str) -> list[str]:
    if not d["campaigns"]:
        return [f"<p>{e(w['no_campaigns'])}</p>"]
    rows = []
    for c in d["campaigns"]:
        links = c["links"]
        notices = " ".join(
            filter(None, (_link(links[k], w[k]) for k in ("plan", "task_notice", "results")))
        )
        status = STATUS_EN.get(c["status"], c["status"]) if lang == "en" else c["status_label"]
        period = f"{e(c['period']['start'])} {e(w['to'])} {e(c['period']['due'])}"
        rows.append([e(c["code"]), e(c["name"]), period, e(status), notices])
    headers = [w["code"], w["name"], w["period"], w["status"], w["notices"]]
    return [table(headers, rows, nowrap=(0,))]


def _items(d: dict[str, Any], w: dict[str, str]) -> str:
    """One line per item, its particulars folded under it: twelve items in full are metres of
    text on a phone."""
    rows = []
    for i in d["items"]:
        ratio = w["ratio_text"].format(ratio=i["ratio_percent"], freq=i["frequency_per_year"])
        method = "；".join(x for x in (i["method"], i["requirements"]) if x)
        rows.append(
            f'<details class="item"><summary>{e(i["code"])} {e(i["name"])}'
            f'<span class="meta">{e(i["kind"])} · {e(ratio)}</span></summary>'
            + facts(
                [
                    (w["legal_basis"], e(i["legal_basis"])),
                    (w["body"], e(i["body"])),
                    (w["content"], e(i["content"])),
                    (w["method"], e(method)),
                ]
            )
            + "</details>"
        )
    return "\n".join(rows)


def _directory(title: str, count: str, headers: list[str], rows: list[list[str]], code: int) -> str:
    """A long directory folds away: the page stays short on a phone until it is opened."""
    return (
        f"<details><summary>{e(title)}{e(count)}</summary>\n"
        f"{table(headers, rows, nowrap=(code,))}\n</details>"
    )


def _verify(d: dict[str, Any], w: dict[str, str]) -> list[str]:
    published = [c for c in d["campaigns"] if c["links"]["record"]]
    examples = [
        "<li>"
        + w["list_item"].format(
            code=e(c["code"]),
            record=_link(c["links"]["record"], w["record"]),
            candidates=_link(c["links"]["candidates"], w["candidates"]),
        )
        + "</li>"
        for c in published
    ]
    return [
        f'<h2 id="verify">{e(w["verify"])}</h2>',
        f"<p>{e(w['verify_text'])}</p>",
        f"<pre>{e(d['verify']['command'].format(record_hash=w['hash_placeholder']))}</pre>",
        *([f"<ul>{''.join(examples)}</ul>"] if examples else []),
        f"<p>{_link(d['verify']['docs'], w['verify_docs'])}</p>",
    ]


def render_home(d: dict[str, Any], lang: str = "zh") -> str:
    w = WORDS["en" if lang == "en" else "zh"]
    businesses = [
        [e(b["name"]), e(b["credit_code"]), e(b["region"]), e("、".join(b["categories"]))]
        for b in d["businesses"]
    ]
    inspectors = [[e(p["name"]), e(p["unit"]), e(p["cert_no"])] for p in d["inspectors"]]
    sections = (
        ("campaigns", w["campaigns"]),
        ("items", w["items"]),
        ("directories", w["businesses"] + " · " + w["inspectors"]),
        ("verify", w["verify"]),
    )
    return page(
        f"{d['office']} {w['title']}",
        [
            f'<nav><a href="{e(w["other_query"])}" lang="{"zh-CN" if lang == "en" else "en"}">'
            f"{e(w['other_lang'])}</a></nav>",
            heading(d["office"], w["title"]),
            f"<p>{e(w['intro'])}</p>",
            "<nav>" + "".join(f'<a href="#{k}">{e(t)}</a>' for k, t in sections) + "</nav>",
            f'<h2 id="campaigns">{e(w["campaigns"])}</h2>',
            *_campaigns(d, w, lang),
            f'<h2 id="items">{e(w["items"])}</h2>',
            _items(d, w),
            f'<h2 id="directories">{e(w["businesses"])} · {e(w["inspectors"])}</h2>',
            _directory(
                w["businesses"],
                w["count"].format(n=len(businesses)),
                [w["name"], w["credit_code"], w["region"], w["categories"]],
                businesses,
                code=1,
            ),
            _directory(
                w["inspectors"],
                w["count"].format(n=len(inspectors)),
                [w["person"], w["unit"], w["cert_no"]],
                inspectors,
                code=2,
            ),
            *_verify(d, w),
            f"<p>{e(w['json'])}{_link('?format=json', '?format=json')}</p>",
        ],
        lang=w["html_lang"],
    )
