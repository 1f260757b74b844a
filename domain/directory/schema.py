"""The columns of each importable kind, with Chinese and English headers (see the README)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from domain.directory import values as v
from domain.directory.aliases import ALIASES, normalize


@dataclass(frozen=True)
class Column:
    field: str
    zh: str  # the header export writes (and the name errors use)
    en: str  # the header `export --english` writes
    parse: Callable[[str], Any] = v.text
    required: bool = False
    # A department named by code (or by unique name) in this cell; resolved by the importer.
    department: bool = False
    default: str = ""
    # A default here changes who is drawn (stratum, eligibility, 所所交叉): the import says how
    # many rows took it.
    draws: bool = False


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    key: str  # the natural key: re-importing a row with the same key updates it
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)

    def names(self, column: Column) -> tuple[str, ...]:
        """Every header accepted for `column`, its own first (aliases.py has the others)."""
        own = (column.zh, column.en, column.field)
        extra = ALIASES.get(self.name, {}).get(column.field, ())
        return tuple(dict.fromkeys((*own, *extra)))

    def lookup(self) -> dict[str, Column]:
        """Normalized header -> its column."""
        return {normalize(n): c for c in self.columns for n in self.names(c)}


DEPARTMENTS = Kind(
    "departments",
    "部门/区域",
    "code",
    (
        Column("code", "编码", "code", required=True),
        Column("name", "名称", "name", required=True),
        Column("parent", "上级编码", "parent"),
    ),
)

ITEMS = Kind(
    "items",
    "抽查事项清单",
    "code",
    (
        Column("code", "事项编码", "code", required=True),
        Column("name", "抽查项目", "name", required=True),
        Column("legal_basis", "抽查依据", "legal_basis", required=True),
        Column("body", "抽查主体", "body", required=True, department=True),
        Column("content", "抽查内容", "content", required=True),
        Column("categories", "适用对象类别", "categories", v.str_list, True),
        Column("kind", "事项类别", "kind", v.kind, default="一般", draws=True),
        Column("ratio_percent", "抽查比例", "ratio_percent", v.percent, True),
        Column("frequency_per_year", "抽查频次", "frequency", v.integer, default="1"),
        Column("method", "抽查方式", "method"),
        Column("requirements", "抽查要求", "requirements"),
        Column("inspector_specialty", "检查人员要求", "inspector_specialty"),
        Column("active", "是否启用", "active", v.boolean, default="是"),
    ),
)

TARGETS = Kind(
    "targets",
    "抽查对象名录库",
    "credit_code",
    (
        Column("credit_code", "统一社会信用代码", "credit_code", v.code18, True),
        Column("name", "名称", "name", required=True),
        Column("categories", "对象类别", "categories", v.str_list, True),
        Column("region", "区域", "region", required=True, department=True, draws=True),
        Column("address", "地址", "address"),
        Column("latitude", "纬度", "latitude", v.decimal_degrees(-90, 90)),
        Column("longitude", "经度", "longitude", v.decimal_degrees(-180, 180)),
        Column("status", "状态", "status", v.status, default="在营", draws=True),
        Column("jurisdiction", "监管单位", "jurisdiction", department=True, draws=True),
        Column("complaints", "投诉次数", "complaints", v.integer, default="0"),
        Column("abnormal_listed", "经营异常名录", "abnormal_listed", v.boolean, default="否"),
        Column("bad_record", "不良记录", "bad_record", v.boolean, default="否"),
        Column("serious_violation", "严重违法", "serious_violation", v.boolean, default="否"),
        Column("risk_class", "信用风险分类", "risk_class", v.risk, default="B", draws=True),
    ),
)

INSPECTORS = Kind(
    "inspectors",
    "执法检查人员名录库",
    "cert_no",
    (
        Column("cert_no", "执法证号", "cert_no", required=True),
        Column("name", "姓名", "name", required=True),
        Column("department", "所属单位", "department", required=True, department=True),
        Column("cert_valid_until", "证件有效期至", "cert_valid_until", v.date, True),
        Column("specialties", "专业领域", "specialties", v.str_list),
        Column("patch", "负责片区", "patch", department=True, draws=True),
        Column("is_expert", "是否专家", "is_expert", v.boolean, default="否"),
        Column("active", "是否在岗", "active", v.boolean, default="是"),
    ),
)

CONFLICTS = Kind(
    "conflicts",
    "回避关系",
    "pair",
    (
        Column("cert_no", "执法证号", "cert_no", required=True),
        Column("credit_code", "统一社会信用代码", "credit_code", v.code18, True),
        Column("reason", "回避原由", "reason"),
    ),
)

KINDS: dict[str, Kind] = {k.name: k for k in (DEPARTMENTS, ITEMS, TARGETS, INSPECTORS, CONFLICTS)}
