"""A task's notice names its target, items and team, and only the team may fetch it."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from domain.errors import PermissionDenied, UserError
from domain.notice.fonts import find_cjk_font
from domain.notice.service import task_notice_pdf
from domain.storage.models import InspectionItem
from tests.kit.factories import world


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _font_or_skip() -> None:
    try:
        find_cjk_font()
    except UserError as exc:
        pytest.skip(f"no CJK font on this machine (`make fonts` installs one): {exc}")


async def test_notice_of_a_task(db, tmp_path):
    _font_or_skip()
    w = await world("notified")
    await InspectionItem.create(
        code="RF-07",
        name="人防工程平时使用情况检查",
        legal_basis="《中华人民共和国人民防空法》第二十六条",
        body=w.city,
        content="平时使用是否影响防护功能",
        categories=["人防工程平时使用"],
        ratio_percent=5,
        requirements="提供平时使用备案材料",
    )
    name, pdf = await task_notice_pdf(w.actor(w.leader), w.task.id)
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / name
        path.write_bytes(pdf)
        text = pdf_text(path)
        for expected in (w.target.name, w.target.credit_code, "ZF001", "ZF002", "第二十六条"):
            assert expected in text.replace(" ", ""), expected
    with pytest.raises(PermissionDenied):
        await task_notice_pdf(w.actor(w.outsider), w.task.id)
