"""Writing test tables in the encodings and formats offices really send."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook

from domain.rules.credit_code import complete

DEPARTMENTS = [["编码", "名称", "上级编码"], ["3299", "示范市", ""], ["329901", "东城区", "3299"]]
DEPARTMENTS += [["329902", "西城区", "3299"]]


def code(n: int, region: str = "329901") -> str:
    return complete(f"91{region}MA{n:07d}"[:17])


def write(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    """encoding: utf-8, utf-8-sig (with BOM), gb18030, or xlsx."""
    if encoding == "xlsx":
        path = path.with_suffix(".xlsx")
        workbook = Workbook()
        sheet = workbook.active
        for row in rows:
            sheet.append(row)
        workbook.save(path)
        return path
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.with_suffix(".csv").write_bytes(buffer.getvalue().encode(encoding))
    return path.with_suffix(".csv")


TARGET_HEADERS_ZH = ["统一社会信用代码", "名称", "对象类别", "区域", "地址", "纬度", "经度"]
TARGET_HEADERS_ZH += ["状态", "监管单位", "投诉次数", "不良记录", "信用风险分类"]
TARGET_HEADERS_EN = ["credit_code", "name", "categories", "region", "address", "latitude"]
TARGET_HEADERS_EN += ["longitude", "status", "jurisdiction", "complaints", "bad_record"]
TARGET_HEADERS_EN += ["risk_class"]


def target_rows(count: int, english: bool = False) -> list[list[str]]:
    rows = [TARGET_HEADERS_EN if english else TARGET_HEADERS_ZH]
    for n in range(count):
        rows.append(
            [
                code(n),
                f"示范人防工程设计有限公司{n}",
                "人防工程设计;人防工程监理" if n % 2 else "人防工程平时使用",
                "329901" if n % 3 else "西城区",
                f"东城区建设路{n}号",
                "31.2",
                "121.4",
                "在营" if n % 5 else "停业",
                "329902",
                str(n % 4),
                "是" if n % 7 == 0 else "否",
                "ABCD"[n % 4],
            ]
        )
    return rows


ITEM_ROWS = [
    ["事项编码", "抽查项目", "抽查依据", "抽查主体", "抽查内容", "适用对象类别", "事项类别"]
    + ["抽查比例", "抽查频次", "抽查方式", "抽查要求", "检查人员要求", "是否启用"],
    [
        "RF-001",
        "人防工程设计质量检查",
        "《中华人民共和国人民防空法》第二十二条",
        "3299",
        "设计文件是否符合防护标准",
        "人防工程设计",
        "一般",
        "5%",
        "1",
        "书面检查",
        "提供设计文件",
        "人防工程设计",
        "是",
    ],
    [
        "RF-002",
        "人防工程平时使用检查",
        "《人民防空工程平时开发利用管理办法》",
        "示范市",
        "平时使用是否影响战时防护功能",
        "人防工程平时使用",
        "重点",
        "10",
        "每年2次",
        "实地检查",
        "",
        "",
        "",
    ],
]

INSPECTOR_ROWS = [
    [
        "执法证号",
        "姓名",
        "所属单位",
        "证件有效期至",
        "专业领域",
        "负责片区",
        "是否专家",
        "是否在岗",
    ],
    ["ZF3299001", "张伟", "3299", "2027-06-30", "人防工程设计;人防工程监理", "329901", "否", "是"],
    ["ZF3299002", "李娜", "东城区", "2027/12/31", "人防工程平时使用", "329902", "否", "是"],
    ["ZJ3299003", "王强", "3299", "2026年12月31日", "人防工程设计", "", "是", "是"],
]
