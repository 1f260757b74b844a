"""Every column name an import accepts besides a column's own headers (its Chinese and English
header and its field name, in schema.py): the names offices' own spreadsheets use. A header
found nowhere here is refused, not skipped, because a skipped 风险等级 column silently made
every business class B. The README lists this table; a test holds the two together.
"""

from __future__ import annotations

import re
import unicodedata

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "departments": {
        "code": ("代码", "区划代码", "行政区划代码", "部门编码", "部门代码", "区域编码"),
        "name": ("部门名称", "区域名称", "单位名称", "区划名称", "行政区划名称"),
        "parent": ("上级", "上级代码", "上级部门编码", "上级区划代码", "parent_code"),
    },
    "items": {
        "code": ("编码", "事项代码", "事项编号", "抽查事项编码"),
        "name": ("事项名称", "名称", "抽查事项", "抽查事项名称", "检查事项"),
        "legal_basis": ("检查依据", "法律依据", "执法依据", "依据"),
        "body": ("检查主体", "实施主体", "执法主体", "抽查部门"),
        "content": ("检查内容",),
        "categories": ("对象类别", "适用对象", "抽查对象", "检查对象"),
        "kind": ("一般/重点", "事项类型", "事项性质"),
        "ratio_percent": ("比例", "ratio", "抽查比例(%)", "抽取比例", "检查比例"),
        "frequency_per_year": ("频次", "检查频次", "抽查频率"),
        "method": ("检查方式",),
        "requirements": ("检查要求",),
        "inspector_specialty": ("执法人员要求", "人员要求"),
        "active": ("启用", "是否有效"),
    },
    "targets": {
        "credit_code": ("信用代码", "社会信用代码", "统一信用代码"),
        "name": ("企业名称", "单位名称", "主体名称", "市场主体名称", "对象名称"),
        "categories": ("类别", "行业类别", "行业", "所属行业", "行业分类", "对象类型"),
        "region": ("所属区域", "行政区划", "所属区划", "所在区域", "所属地区", "辖区"),
        "address": ("住所", "经营场所", "注册地址", "经营地址"),
        "latitude": ("lat",),
        "longitude": ("lng", "lon"),
        "status": ("经营状态", "登记状态", "企业状态"),
        "jurisdiction": ("属地", "监管部门", "管辖单位", "属地监管单位"),
        "complaints": ("投诉", "投诉数", "投诉举报次数"),
        "abnormal_listed": ("经营异常", "列入经营异常名录", "是否列入经营异常名录"),
        "bad_record": ("有无不良记录", "是否有不良记录"),
        "serious_violation": ("严重违法失信", "严重违法失信名单", "列入严重违法失信名单"),
        "risk_class": (
            "风险分类",
            "风险等级",
            "信用风险等级",
            "信用等级",
            "信用风险类别",
            "风险类别",
        ),
    },
    "inspectors": {
        "cert_no": ("执法证件号", "执法证编号", "执法证件号码", "证书编号", "证件号"),
        "name": ("人员姓名", "执法人员姓名"),
        "department": ("所属部门", "工作单位", "单位"),
        "cert_valid_until": ("有效期至", "有效期", "证件有效期", "执法证有效期"),
        "specialties": ("专业", "专业特长", "业务专长"),
        "patch": ("片区", "负责区域", "分管片区"),
        "is_expert": ("专家",),
        "active": ("在岗",),
    },
    "conflicts": {
        "cert_no": ("执法证件号", "证书编号"),
        "credit_code": ("信用代码", "社会信用代码"),
        "reason": ("原因", "回避原因", "回避事由"),
    },
}

# Row numbers an office adds for itself: read as no field, in every kind.
ROW_NUMBER_HEADERS = ("序号", "行号", "no", "no.", "#")

_MARKS = re.compile(r"^\*+|\*+$|\((必填|选填|可选)\)$")


def normalize(header: str) -> str:
    """A header as compared: full-width forms folded (（）→()), case and spaces ignored, and a
    required-marker (`*`, `(必填)`) dropped."""
    folded = unicodedata.normalize("NFKC", header)
    return _MARKS.sub("", "".join(folded.split()).lower())
