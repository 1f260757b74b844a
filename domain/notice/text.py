"""Wording of the notice: numbering, dates and the body sentences, independent of the layout."""

from __future__ import annotations

from datetime import date

from domain.notice.data import DEFAULT_REQUIREMENTS, DEFAULT_RIGHTS, NoticeData, NoticeInspector

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (section and item numbering)."""
    if not 0 <= n < 1000:
        raise ValueError(f"no Chinese numbering for {n}")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return _DIGITS[hundreds] + "百"
    if rest < 10:
        return _DIGITS[hundreds] + "百零" + _DIGITS[rest]
    tail = cn_number(rest)
    return _DIGITS[hundreds] + "百" + ("一" + tail if rest < 20 else tail)


def cn_date(d: date) -> str:
    # GB/T 9704-2012 writes dates in Arabic numerals without leading zeros.
    return f"{d.year}年{d.month}月{d.day}日"


def intro(data: NoticeData) -> str:
    return (
        f"根据“双随机、一公开”抽查工作安排，本机关决定自{cn_date(data.period_start)}至"
        f"{cn_date(data.period_end)}，对你单位依法开展行政检查。"
        "现将检查的依据、内容、期限、要求和检查人员告知如下："
    )


def period(data: NoticeData) -> str:
    days = (data.period_end - data.period_start).days + 1
    return f"自{cn_date(data.period_start)}至{cn_date(data.period_end)}（共{days}日）。"


def role(person: NoticeInspector, leader: str) -> str:
    if person.is_expert:
        return "专家（非行政执法人员）"
    return "组长" if person.name == leader else "组员"


def certificate(person: NoticeInspector) -> str:
    if person.is_expert:
        return "—"
    return person.certificate_no


def expert_note(data: NoticeData) -> str:
    if not data.experts:
        return ""
    names = "、".join(p.name for p in data.experts)
    return (
        f"{names}为受邀协助检查的专家，承担辅助性技术工作，不属于行政执法人员，不行使行政执法职权。"
    )


def rights(data: NoticeData) -> tuple[str, ...]:
    return data.rights or DEFAULT_RIGHTS


def requirements(data: NoticeData) -> tuple[str, ...]:
    return data.requirements or DEFAULT_REQUIREMENTS


def contact(data: NoticeData) -> str:
    parts = []
    if data.contact_name:
        parts.append(f"联系人：{data.contact_name}")
    if data.contact_phone:
        parts.append(f"联系电话：{data.contact_phone}")
    return "　　".join(parts)


def every_text_field(data: NoticeData) -> list[tuple[str, str]]:
    """(field label, value) for every text printed from the data, for the glyph check."""
    fields = [
        ("文书编号", data.number),
        ("发文机关", data.department),
        ("被检查单位名称", data.target.name),
        ("统一社会信用代码", data.target.credit_code),
        ("被检查单位地址", data.target.address),
        ("组长", data.team_leader),
        ("联系人", data.contact_name),
        ("联系电话", data.contact_phone),
    ]
    for n, item in enumerate(data.items, start=1):
        fields += [
            (f"第{n}项检查事项名称", item.name),
            (f"第{n}项检查依据", item.legal_basis),
            (f"第{n}项检查内容", item.content),
        ]
    fields += [(f"第{n}条检查要求", r) for n, r in enumerate(requirements(data), start=1)]
    for person in data.inspectors:
        fields += [("检查人员姓名", person.name), (f"{person.name}的证件号", person.certificate_no)]
    fields += [(f"第{n}条权利告知", r) for n, r in enumerate(rights(data), start=1)]
    return fields
