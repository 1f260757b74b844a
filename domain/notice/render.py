"""The 行政检查通知书 as an A4 PDF (fpdf2), in the layout of a Chinese administrative document."""

from __future__ import annotations

import logging
from datetime import datetime, time
from zoneinfo import ZoneInfo

from fpdf import FPDF, FontFace
from fpdf.enums import TextMode, WrapMode, XPos, YPos

from domain.errors import UserError
from domain.notice import text
from domain.notice.data import NoticeData, check_notice
from domain.notice.fonts import CjkFont, find_cjk_font
from domain.notice.wrap import wrap_text

FAMILY = "cjk"
TITLE = "行政检查通知书"
MARGIN_X = 25.0
MARGIN_TOP = 22.0
MARGIN_BOTTOM = 22.0
BODY_PT = 12.5
LINE_MM = 7.2
INDENT_CHARS = 2  # first-line indent of two characters, as Chinese documents do
SIGNATURE_BLOCK_MM = 62.0


class _NoticePdf(FPDF):
    def __init__(self, number: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self._number = number

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FAMILY, size=9)
        self.set_text_color(90)
        self.cell(0, 5, f"{TITLE}　{self._number}", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"第 {self.page_no()} 页　共 {{nb}} 页", align="R")
        self.set_text_color(0)


def _check_glyphs(data: NoticeData, font: CjkFont) -> None:
    lacking = []
    for label, value in text.every_text_field(data):
        missing = font.missing(value)
        if missing:
            lacking.append(f"{label}“{value}”中的“{missing}”")
    if lacking:
        raise UserError(
            f"字体 {font.path}（{font.family}）缺少以下字符，通知书会显示为空白方框："
            + "；".join(lacking)
            + "。请改用生僻字覆盖更全的字体（设置 SSJ_FONT_PATH），或修正这些字段。"
        )


class _Writer:
    """Body flow: paragraphs wrapped by our own 禁则-aware breaker, one `cell` per line."""

    def __init__(self, pdf: _NoticePdf, bold: bool) -> None:
        self.pdf = pdf
        self.bold = bold
        self.faux_bold = False
        self.width = pdf.w - pdf.l_margin - pdf.r_margin

    @property
    def indent(self) -> float:
        return self.pdf.get_string_width("国") * INDENT_CHARS

    def font(self, size: float = BODY_PT, bold: bool = False) -> None:
        self.pdf.set_font(FAMILY, style="B" if bold and self.bold else "", size=size)
        self.faux_bold = bold and not self.bold

    def line(self, h: float, line: str, align: str = "L", width: float = 0) -> None:
        """One line of text; without a bold face (wqy-zenhei has none) bold is drawn by also
        stroking the outlines, inside a local context so the stroke does not leak onwards."""
        pdf = self.pdf
        if not self.faux_bold:
            pdf.cell(width, h, line, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            return
        # fpdf2 2.8 writes this width next to `Tr` unscaled, i.e. read as points, not mm.
        stroke_pt = pdf.font_size_pt * 0.03
        with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=stroke_pt):
            pdf.cell(width, h, line, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _layout(self, body: str, indent: int, hang: str, left: float) -> list[tuple[float, str]]:
        pdf = self.pdf
        em = pdf.get_string_width("国")
        first_x = pdf.l_margin + left + (0 if hang else indent * em)
        rest_x = pdf.l_margin + left + (pdf.get_string_width(hang) if hang else 0)
        lines = wrap_text(
            hang + body,
            self.width - (rest_x - pdf.l_margin),
            pdf.get_string_width,
            first_width=self.width - (first_x - pdf.l_margin),
        )
        return [(first_x if n == 0 else rest_x, line) for n, line in enumerate(lines)]

    def para(self, body: str, indent: int = INDENT_CHARS, hang: str = "", left: float = 0) -> None:
        """A paragraph with a first-line indent, or with a hanging label (`hang`) that the
        following lines align under."""
        for x, line in self._layout(body, indent, hang, left):
            self.pdf.set_x(x)
            self.line(LINE_MM, line)

    def height(
        self, body: str, indent: int = INDENT_CHARS, hang: str = "", left: float = 0
    ) -> float:
        return len(self._layout(body, indent, hang, left)) * LINE_MM

    def keep_together(self, needed_mm: float) -> None:
        if self.pdf.get_y() + needed_mm > self.pdf.h - self.pdf.b_margin:
            self.pdf.add_page()

    def heading(self, label: str, size: float = BODY_PT) -> None:
        self.keep_together(3 * LINE_MM)  # never a heading alone at the foot of a page
        self.font(size=size, bold=True)
        self.para(label)
        self.font()

    def gap(self, mm: float = 2.0) -> None:
        self.pdf.ln(mm)


def _header(w: _Writer, data: NoticeData) -> None:
    pdf = w.pdf
    w.font(size=15)
    w.line(9, data.department, align="C")
    w.font(size=22, bold=True)
    w.line(13, TITLE, align="C")
    w.font(size=12)
    w.line(8, data.number, align="R")
    y = pdf.get_y() + 1
    pdf.set_draw_color(170, 0, 0)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_draw_color(0)
    pdf.set_line_width(0.2)
    pdf.set_y(y + 5)


def _target(w: _Writer, data: NoticeData) -> None:
    w.heading("一、被检查单位")
    t = data.target
    left = w.indent
    w.para(t.name, hang="单位名称：", left=left)
    w.para(t.credit_code, hang="统一社会信用代码：", left=left)
    if t.address:
        w.para(t.address, hang="地　　址：", left=left)


def _items(w: _Writer, data: NoticeData) -> None:
    w.heading("二、检查依据和内容")
    left = w.indent
    for n, item in enumerate(data.items, start=1):
        w.heading(f"（{text.cn_number(n)}）{item.name}")
        w.para(item.legal_basis, hang="检查依据：", left=left)
        w.para(item.content, hang="检查内容：", left=left)


def _inspectors(w: _Writer, data: NoticeData) -> None:
    pdf = w.pdf
    w.keep_together(LINE_MM * (4 + min(len(data.inspectors), 4)))
    w.heading("五、检查人员")
    heading_style = FontFace(emphasis="BOLD" if w.bold else None, fill_color=(235, 235, 235))
    w.font(size=11)
    with pdf.table(
        col_widths=(10, 22, 34, 44),
        text_align=("CENTER", "CENTER", "CENTER", "CENTER"),
        line_height=7,
        wrapmode=WrapMode.CHAR,
        headings_style=heading_style,
        width=w.width - w.indent,
    ) as table:
        table.row(("序号", "姓名", "职责", "行政执法证件号"))
        for n, person in enumerate(data.inspectors, start=1):
            table.row(
                (str(n), person.name, text.role(person, data.team_leader), text.certificate(person))
            )
    w.font()
    w.gap(1)
    note = text.expert_note(data)
    if note:
        w.para(note)


def _closing(w: _Writer, data: NoticeData) -> None:
    """The last section shares a page with the seal: a signature page without body text
    would be a page anyone could have attached."""
    left = w.indent
    rights = [(f"{n}. ", r) for n, r in enumerate(text.rights(data), start=1)]
    contact = text.contact(data)
    if not contact:
        w.keep_together(
            LINE_MM + sum(w.height(r, hang=h, left=left) for h, r in rights) + SIGNATURE_BLOCK_MM
        )
    w.heading("六、你单位的权利")
    for hang, right in rights:
        w.para(right, hang=hang, left=left)
    if contact:
        w.keep_together(LINE_MM + w.height(contact) + SIGNATURE_BLOCK_MM)
        w.heading("七、联系方式")
        w.para(contact)
    _signature(w, data)


def _signature(w: _Writer, data: NoticeData) -> None:
    pdf = w.pdf
    w.gap(10)
    right = pdf.w - pdf.r_margin
    width = max(pdf.get_string_width(data.department), pdf.get_string_width("（印章）")) + 8
    for line in (data.department, "（印章）", text.cn_date(data.issued_on)):
        pdf.set_x(right - width)
        pdf.cell(width, LINE_MM, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    w.gap(10)
    y = pdf.get_y()
    pdf.set_dash_pattern(dash=1.5, gap=1.2)
    pdf.line(pdf.l_margin, y, right, y)
    pdf.set_dash_pattern()
    w.gap(4)
    w.para("被检查单位签收：＿＿＿＿＿＿＿＿＿　　签收日期：＿＿＿＿年＿＿月＿＿日", indent=0)
    w.font(size=10)
    w.para("本通知书一式两份，一份送达被检查单位，一份由检查机关存档。", indent=0)
    w.font()


def render_notice(data: NoticeData, font: CjkFont | None = None) -> bytes:
    """The notice as PDF bytes. Same data and font → same bytes (for bundle hashes)."""
    check_notice(data)
    font = font or find_cjk_font()
    _check_glyphs(data, font)
    # fontTools reports every table it drops while subsetting (wqy-zenhei's bitmaps); noise.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    pdf = _NoticePdf(data.number)
    pdf.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
    pdf.set_auto_page_break(True, margin=MARGIN_BOTTOM)
    pdf.add_font(FAMILY, "", font.path, collection_font_number=font.index)
    if font.bold_path:
        pdf.add_font(FAMILY, "B", font.bold_path, collection_font_number=font.bold_index)
    pdf.set_lang("zh-CN")
    pdf.set_title(f"{TITLE} {data.number}")
    pdf.set_creator("shuangsuiji")
    pdf.set_creation_date(datetime.combine(data.issued_on, time(), ZoneInfo("Asia/Shanghai")))
    pdf.alias_nb_pages()
    pdf.add_page()
    w = _Writer(pdf, bold=font.bold_path is not None)
    _header(w, data)
    w.font(size=13.5)
    w.para(f"{data.target.name}：", indent=0)
    w.font()
    w.para(text.intro(data))
    w.gap()
    _target(w, data)
    _items(w, data)
    w.heading("三、检查期限")
    w.para(text.period(data))
    w.heading("四、检查要求")
    for n, req in enumerate(text.requirements(data), start=1):
        w.para(req, hang=f"{n}. ", left=w.indent)
    _inspectors(w, data)
    _closing(w, data)
    return bytes(pdf.output())
