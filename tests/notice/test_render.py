from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace

import pytest

from domain.errors import UserError
from domain.notice import NoticeTarget, render_notice
from tests.kit.fonts import latin_only_font
from tests.kit.notice_samples import long_notice, sample_notice

PDFTOTEXT = shutil.which("pdftotext")


def pdf_text(pdf: bytes) -> str:
    if not PDFTOTEXT:
        pytest.skip("pdftotext not installed (apt-get install poppler-utils): text not checked")
    out = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


@pytest.fixture(scope="module")
def sample_pdf(notice_font) -> bytes:
    return render_notice(sample_notice(), notice_font)


def test_is_a_pdf_with_the_font_embedded_as_a_subset(sample_pdf):
    assert sample_pdf.startswith(b"%PDF-")
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+", sample_pdf), "font not subset"
    assert re.search(rb"/FontFile[23]?\s", sample_pdf), "font not embedded"
    assert b"/ToUnicode" in sample_pdf


def test_chinese_text_is_extractable_with_every_required_fact(sample_pdf):
    text = pdf_text(sample_pdf)
    data = sample_notice()
    for needle in (
        "行政检查通知书",
        data.number,
        data.department,
        data.target.name,
        data.target.credit_code,
        "2025年5月6日至2025年5月16日",
    ):
        assert needle in text, needle
    for item in data.items:
        assert item.name in text
        assert re.sub(r"\s+", "", item.legal_basis)[:20] in text
    for person in data.officers:
        assert person.name + "组" in text  # name, then its role cell
        assert person.certificate_no in text
    assert "陈思远专家（非行政执法人员）" in text
    assert "不属于行政执法人员" in text


def test_long_content_wraps_onto_several_pages(notice_font, sample_pdf):
    pdf = render_notice(long_notice(14), notice_font)
    assert page_count(pdf) >= 2
    assert page_count(pdf) > page_count(sample_pdf)
    text = pdf_text(pdf)
    assert "（十四）抽查事项14" in text
    assert f"共{page_count(pdf)}页" in text


def test_same_notice_gives_the_same_bytes(notice_font, sample_pdf):
    assert render_notice(sample_notice(), notice_font) == sample_pdf


def test_a_character_the_font_lacks_is_refused_naming_the_field(notice_font):
    data = replace(sample_notice(), target=NoticeTarget("笑脸😀公司", "91310000MA1FL4XQ3T"))
    with pytest.raises(UserError, match="被检查单位名称“笑脸😀公司”中的“😀”"):
        render_notice(data, notice_font)


def test_rendering_with_a_latin_font_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SSJ_FONT_PATH", str(latin_only_font(tmp_path / "latin.ttf")))
    with pytest.raises(UserError, match="不含中文字形"):
        render_notice(sample_notice())


def test_rendering_with_a_missing_font_file_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SSJ_FONT_PATH", str(tmp_path / "gone.otf"))
    with pytest.raises(UserError, match="SSJ_FONT_PATH 指定的字体文件不存在"):
        render_notice(sample_notice())


def test_invalid_notice_is_refused_before_any_font_is_needed(tmp_path, monkeypatch):
    monkeypatch.setenv("SSJ_FONT_PATH", str(tmp_path / "gone.otf"))
    data = replace(sample_notice(), inspectors=sample_notice().inspectors[:1])
    with pytest.raises(UserError, match="至少需要2人"):
        render_notice(data)
