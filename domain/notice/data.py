"""What a 行政检查通知书 says: plain values, checked against 九(四) before anything is printed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.errors import UserError

MIN_OFFICERS = 2  # 九(四): 检查人员不得少于2人


@dataclass(frozen=True)
class NoticeTarget:
    name: str
    credit_code: str
    address: str = ""


@dataclass(frozen=True)
class NoticeItem:
    name: str
    legal_basis: str
    content: str


@dataclass(frozen=True)
class NoticeInspector:
    """An inspector, or an expert (专家) doing auxiliary work: never counted as an officer."""

    name: str
    certificate_no: str = ""
    is_expert: bool = False
    organisation: str = ""


@dataclass(frozen=True)
class NoticeData:
    number: str  # 文书编号
    department: str  # 发文机关 (the inspecting body, printed above the seal)
    target: NoticeTarget
    items: tuple[NoticeItem, ...]
    period_start: date
    period_end: date
    requirements: tuple[str, ...]  # empty → DEFAULT_REQUIREMENTS
    inspectors: tuple[NoticeInspector, ...]
    team_leader: str
    issued_on: date
    contact_name: str = ""
    contact_phone: str = ""
    rights: tuple[str, ...] = field(default=())

    @property
    def officers(self) -> tuple[NoticeInspector, ...]:
        return tuple(i for i in self.inspectors if not i.is_expert)

    @property
    def experts(self) -> tuple[NoticeInspector, ...]:
        return tuple(i for i in self.inspectors if i.is_expert)


DEFAULT_REQUIREMENTS = (
    "请你单位指定熟悉情况的负责人员在检查期间到场，配合检查人员开展工作。",
    "请如实提供与检查事项有关的证照、合同、图纸、台账、检测报告等资料，并允许检查人员复制。",
    "请配合检查人员进入有关场所、查看设施设备，如实回答询问，不得拒绝、阻挠或者提供虚假情况。",
)

DEFAULT_RIGHTS = (
    "检查人员少于两人或者未出示行政执法证件和本通知书的，你单位有权拒绝检查。",
    "你单位认为检查人员与你单位有直接利害关系的，可以在检查前提出回避申请。",
    "你单位对本次检查有异议的，可以向本机关提出，或者依法申请行政复议、提起行政诉讼。",
)


def check_notice(data: NoticeData) -> None:
    """Refuse a notice that could not lawfully be shown on site, naming the field to fix."""
    problems: list[str] = []
    if not data.number.strip():
        problems.append("文书编号为空")
    if not data.department.strip():
        problems.append("发文机关为空")
    if not data.target.name.strip():
        problems.append("被检查单位名称为空")
    if not data.target.credit_code.strip():
        problems.append("被检查单位统一社会信用代码为空")
    if not data.items:
        problems.append("没有检查事项")
    for n, item in enumerate(data.items, start=1):
        labelled = (("名称", item.name), ("检查依据", item.legal_basis), ("检查内容", item.content))
        problems += [f"第{n}项检查事项的{label}为空" for label, v in labelled if not v.strip()]
    if data.period_end < data.period_start:
        start, end = data.period_start.isoformat(), data.period_end.isoformat()
        problems.append(f"检查期限结束日 {end} 早于开始日 {start}")
    officers = data.officers
    if len(officers) < MIN_OFFICERS:
        problems.append(
            f"行政执法人员只有{len(officers)}人，至少需要{MIN_OFFICERS}人（专家不计入）"
        )
    for person in officers:
        if not person.certificate_no.strip():
            problems.append(f"检查人员“{person.name}”没有行政执法证件号")
    if data.team_leader not in {p.name for p in officers}:
        problems.append(f"组长“{data.team_leader}”不是本组的行政执法人员")
    if problems:
        raise UserError(f"《行政检查通知书》{data.number or ''}无法生成：" + "；".join(problems))
