"""The columns of each importable kind, with Chinese and English headers (see the README)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from domain.directory import values as v


@dataclass(frozen=True)
class Column:
    field: str
    zh: str
    en: str
    parse: Callable[[str], Any] = v.text
    required: bool = False
    aliases: tuple[str, ...] = ()
    # A department named by code (or by unique name) in this cell; resolved by the importer.
    department: bool = False
    default: str = ""

    def headers(self) -> set[str]:
        names = {self.zh, self.en, self.field, *self.aliases}
        return {n.strip().lower() for n in names}


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    key: str  # the natural key: re-importing a row with the same key updates it
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)


DEPARTMENTS = Kind(
    "departments",
    "部门/区域",
    "code",
    (
        Column("code", "编码", "code", required=True, aliases=("代码", "区划代码", "部门编码")),
        Column("name", "名称", "name", required=True, aliases=("部门名称", "区域名称")),
        Column("parent", "上级编码", "parent", aliases=("上级", "上级代码", "parent_code")),
    ),
)

ITEMS = Kind(
    "items",
    "抽查事项清单",
    "code",
    (
        Column("code", "事项编码", "code", required=True, aliases=("编码", "事项代码")),
        Column("name", "抽查项目", "name", required=True, aliases=("事项名称", "名称")),
        Column("legal_basis", "抽查依据", "legal_basis", required=True),
        Column("body", "抽查主体", "body", required=True, department=True),
        Column("content", "抽查内容", "content", required=True),
        Column("categories", "适用对象类别", "categories", v.str_list, True, ("对象类别",)),
        Column("kind", "事项类别", "kind", v.kind, aliases=("一般/重点",), default="一般"),
        Column("ratio_percent", "抽查比例", "ratio_percent", v.percent, True, ("比例", "ratio")),
        Column(
            "frequency_per_year", "抽查频次", "frequency", v.integer, aliases=("频次",), default="1"
        ),
        Column("method", "抽查方式", "method"),
        Column("requirements", "抽查要求", "requirements"),
        Column("inspector_specialty", "检查人员要求", "inspector_specialty"),
        Column("active", "是否启用", "active", v.boolean, aliases=("启用",), default="是"),
    ),
)

TARGETS = Kind(
    "targets",
    "抽查对象名录库",
    "credit_code",
    (
        Column("credit_code", "统一社会信用代码", "credit_code", v.code18, True, ("信用代码",)),
        Column("name", "名称", "name", required=True, aliases=("企业名称", "单位名称")),
        Column("categories", "对象类别", "categories", v.str_list, True, ("类别", "行业类别")),
        Column("region", "区域", "region", required=True, aliases=("所属区域",), department=True),
        Column("address", "地址", "address", aliases=("住所", "经营场所")),
        Column("latitude", "纬度", "latitude", v.decimal_degrees(-90, 90)),
        Column("longitude", "经度", "longitude", v.decimal_degrees(-180, 180)),
        Column("status", "状态", "status", v.status, aliases=("经营状态",), default="在营"),
        Column("jurisdiction", "监管单位", "jurisdiction", aliases=("属地",), department=True),
        Column("complaints", "投诉次数", "complaints", v.integer, default="0"),
        Column("abnormal_listed", "经营异常名录", "abnormal_listed", v.boolean, default="否"),
        Column("bad_record", "不良记录", "bad_record", v.boolean, default="否"),
        Column("serious_violation", "严重违法", "serious_violation", v.boolean, default="否"),
        Column(
            "risk_class", "信用风险分类", "risk_class", v.risk, aliases=("风险分类",), default="B"
        ),
    ),
)

INSPECTORS = Kind(
    "inspectors",
    "执法检查人员名录库",
    "cert_no",
    (
        Column("cert_no", "执法证号", "cert_no", required=True, aliases=("执法证件号", "证书编号")),
        Column("name", "姓名", "name", required=True),
        Column("department", "所属单位", "department", required=True, department=True),
        Column("cert_valid_until", "证件有效期至", "cert_valid_until", v.date, True, ("有效期至",)),
        Column("specialties", "专业领域", "specialties", v.str_list, aliases=("专业",)),
        Column("patch", "负责片区", "patch", aliases=("片区",), department=True),
        Column("is_expert", "是否专家", "is_expert", v.boolean, aliases=("专家",), default="否"),
        Column("active", "是否在岗", "active", v.boolean, aliases=("在岗",), default="是"),
    ),
)

CONFLICTS = Kind(
    "conflicts",
    "回避关系",
    "pair",
    (
        Column("cert_no", "执法证号", "cert_no", required=True, aliases=("证书编号",)),
        Column("credit_code", "统一社会信用代码", "credit_code", v.code18, True, ("信用代码",)),
        Column("reason", "回避原由", "reason", aliases=("原因", "回避原因")),
    ),
)

KINDS: dict[str, Kind] = {k.name: k for k in (DEPARTMENTS, ITEMS, TARGETS, INSPECTORS, CONFLICTS)}
