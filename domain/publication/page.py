"""The shell every public HTML page shares: one style sheet that reads on a phone, escaping,
tables that become cards on a narrow screen, and digests that wrap and can be copied.

Every value is escaped: business names and remarks are typed by people and end up on a public
web page. No script or font comes from elsewhere: the pages work offline and load nothing a
third party could change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

# A phone (360-414 px) gets each table row as a card, each cell under its column's name:
# eight columns side by side leave one character per line there.
NARROW = "40em"
STYLE = (
    "*{box-sizing:border-box}"
    "body{font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;"
    "max-width:72em;margin:0 auto;padding:1em;line-height:1.6;color:#222;"
    "-webkit-text-size-adjust:100%}"
    "h1{font-size:1.5em;line-height:1.3;margin:.4em 0}h2{font-size:1.2em}h3{font-size:1.05em}"
    ".office{display:block;font-size:.7em;color:#555;font-weight:normal}"
    "nav{font-size:.95em}nav a{margin-right:1em}"
    "table{border-collapse:collapse;width:100%;margin:1em 0}"
    "th,td{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}"
    "td.n{white-space:nowrap}th{background:#eee}dt{font-weight:bold}dd{margin:0 0 .4em 1.5em}"
    # A 64-digit hex digest wraps on a phone rather than widen the page.
    "code{font-size:.9em;overflow-wrap:anywhere;word-break:break-all}"
    "button.copy{font-size:.8em;margin-left:.4em;padding:0 .4em;vertical-align:baseline}"
    "pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f4f4;padding:.5em}"
    "details{margin:1em 0}summary{cursor:pointer;font-weight:bold}"
    "details.item{margin:.3em 0;border-bottom:1px solid #ddd;padding:.3em 0}"
    "details.item summary{font-weight:normal}"
    ".meta{display:inline-block;margin-left:.6em;font-size:.85em;color:#555}"
    f"@media (max-width:{NARROW}){{"
    "body{padding:.6em}dd{margin-left:.8em}"
    "table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:auto}"
    "table.cards thead{display:none}"
    "table.cards tr{border:1px solid #bbb;border-radius:.4em;margin:0 0 .8em;padding:.2em .6em}"
    "table.cards td{border:0;border-bottom:1px solid #eee;padding:.3em 0}"
    "table.cards td:last-child{border-bottom:0}table.cards td:empty{display:none}"
    "table.cards td.n{white-space:normal}"
    "table.cards td::before{content:attr(data-label);display:block;font-size:.85em;"
    "color:#555;font-weight:bold}"
    "}"
)
# Copies a digest exactly: selecting 64 wrapped characters by hand on a phone is error-prone.
SCRIPT = (
    "document.addEventListener('click',function(e){"
    "var b=e.target.closest&&e.target.closest('button.copy');"
    "if(!b||!navigator.clipboard)return;"
    "navigator.clipboard.writeText(b.getAttribute('data-copy')).then(function(){"
    "b.textContent=b.getAttribute('data-done');});});"
)


def e(value: Any) -> str:
    return escape("" if value is None else str(value))


def page(title: str, body: Iterable[str], lang: str = "zh-CN") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + f"\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )


def heading(office: str, title: str) -> str:
    """The page's heading: which office speaks, and what this page is."""
    return f'<h1><span class="office">{e(office)}</span>{e(title)}</h1>'


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], nowrap: Sequence[int] = ()) -> str:
    """Cells are HTML already; each carries its column's name for the card layout. Columns in
    `nowrap` hold short codes and dates that read wrong broken (2026-RF-Q3- / 0001)."""
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    classes = [' class="n"' if i in nowrap else "" for i in range(len(headers))]
    lines = [f'<table class="cards">\n<thead><tr>{head}</tr></thead>\n<tbody>']
    for row in rows:
        cells = "".join(
            f'<td{c} data-label="{e(h)}">{cell}</td>'
            for h, c, cell in zip(headers, classes, row, strict=True)
        )
        lines.append(f"<tr>{cells}</tr>")
    lines.append("</tbody>\n</table>")
    return "\n".join(lines)


def facts(pairs: Iterable[tuple[str, str]]) -> str:
    inner = "".join(f"<dt>{e(k)}</dt><dd>{v}</dd>" for k, v in pairs)
    return f"<dl>{inner}</dl>"


def digest(value: Any, copy: str = "复制", done: str = "已复制") -> str:
    """A hex digest in full (it is what people compare), wrapping, with a copy button."""
    if not value:
        return "—"
    v = e(value)
    return (
        f"<code>{v}</code>"
        f'<button type="button" class="copy" data-copy="{v}" data-done="{e(done)}">'
        f"{e(copy)}</button>"
    )
