"""Notices to render in tests: a realistic one, and one long enough to need several pages."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from domain.notice import NoticeData, NoticeInspector, NoticeItem, NoticeTarget

ITEMS = (
    NoticeItem(
        name="人防工程平时使用情况检查",
        legal_basis="《中华人民共和国人民防空法》第二十五条、第二十六条；《人民防空工程平时开发利用管理办法》第十条",
        content="检查人防工程平时使用是否办理登记手续，是否擅自改变主体结构、拆除防护设备设施，"
        "是否影响人防工程防护效能和战时使用，维护管理制度和责任人是否落实。",
    ),
    NoticeItem(
        name="人防防护设备生产安装质量检查",
        legal_basis="《中华人民共和国人民防空法》第二十二条；《人民防空工程防护设备产品与安装质量检测管理办法》",
        content="检查防护设备产品是否具有质量检测合格报告，安装是否符合设计和规范要求，"
        "出厂标识、产品合格证、安装记录是否齐全。",
    ),
    NoticeItem(
        name="人防警报设施维护管理检查",
        legal_basis="《中华人民共和国人民防空法》第三十四条、第四十九条",
        content="检查人防警报器是否按规定设置、维护，是否完好有效，是否擅自拆除，鸣放试验记录是否完整。",
    ),
)

INSPECTORS = (
    NoticeInspector(name="王建国", certificate_no="31010020250017"),
    NoticeInspector(name="李晓梅", certificate_no="31010020250042"),
    NoticeInspector(name="欧阳振华", certificate_no="31010020250105"),
    NoticeInspector(name="陈思远", is_expert=True, organisation="某某人防工程设计研究院"),
)


def sample_notice() -> NoticeData:
    return NoticeData(
        number="示人防检通〔2025〕第017号",
        department="示范市国防动员办公室",
        target=NoticeTarget(
            name="示范市安居人防工程管理有限公司",
            credit_code="91310000MA1FL4XQ3T",
            address="示范市滨江区人民路188号安居广场地下一层至地下二层",
        ),
        items=ITEMS,
        period_start=date(2025, 5, 6),
        period_end=date(2025, 5, 16),
        requirements=(),
        inspectors=INSPECTORS,
        team_leader="王建国",
        issued_on=date(2025, 4, 28),
        contact_name="赵敏",
        contact_phone="0571-87654321",
    )


def long_notice(n_items: int = 14) -> NoticeData:
    long_content = (
        "检查人防工程平时使用登记、维护管理责任落实情况，查阅维护管理台账和巡查记录，"
        "实地查看防护密闭门、密闭门、防爆波活门、滤毒通风设备、战时给排水设施的完好情况，"
        "核对工程面积、用途与审批文件是否一致，是否存在擅自改变用途、破坏结构、"
        "堵塞出入口或者影响战时使用的情形。" * 2
    )
    items = tuple(
        NoticeItem(
            name=f"抽查事项{n}：人防工程维护管理",
            legal_basis=ITEMS[0].legal_basis,
            content=long_content,
        )
        for n in range(1, n_items + 1)
    )
    return replace(sample_notice(), items=items)
