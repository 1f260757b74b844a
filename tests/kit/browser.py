"""Headless Chromium looking at pages served on loopback: screenshots for a person to look at,
and widths measured in the rendered page, for the layout tests."""

from __future__ import annotations

import asyncio
import json
import os
import re
import tempfile
from collections.abc import Sequence
from html import escape, unescape
from pathlib import Path

from aiohttp import web

CHROMIUM = Path("/usr/bin/chromium")
PROBE_PATH = "/__layout-probe"
RESULT = re.compile(r'<pre id="result">(.*?)</pre>', re.S)

# Each page in a same-origin frame of the given width, every <details> opened, then measured:
# how wide the document is, which elements reach past the frame's right edge, and whether the
# tables are laid out as cards.
_MEASURE = """
var frames = Array.prototype.slice.call(document.querySelectorAll('iframe'));
var left = frames.length, found = [];
frames.forEach(function (f, i) {
  f.addEventListener('load', function () {
    var d = f.contentDocument;
    d.querySelectorAll('details').forEach(function (x) { x.open = true; });
    var view = d.documentElement.clientWidth, wide = [];
    d.querySelectorAll('body *').forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.width && r.right > view + 1) wide.push(el.tagName + ' ' + Math.round(r.right));
    });
    var row = d.querySelector('table.cards tr');
    found[i] = {url: f.getAttribute('src'), width: +f.getAttribute('width'), view: view,
                scroll: d.documentElement.scrollWidth, wide: wide.slice(0, 5),
                rows: row ? getComputedStyle(row).display : null};
    if (--left === 0) {
      var out = document.createElement('pre');
      out.id = 'result';
      out.textContent = JSON.stringify(found);
      document.body.appendChild(out);
    }
  });
});
"""


def add_probe(app: web.Application, pages: Sequence[str], widths: Sequence[int]) -> None:
    """A page on the app under test framing each of `pages` at each of `widths` (same origin,
    so that the script can read the frames)."""
    frames = "".join(
        f'<iframe src="{escape(p)}" width="{w}" height="800" style="border:0"></iframe>'
        for p in pages
        for w in widths
    )
    html = f"<!DOCTYPE html><html><body>{frames}<script>{_MEASURE}</script></body></html>"

    async def probe(request: web.Request) -> web.Response:
        return web.Response(text=html, content_type="text/html")

    async def framable(request: web.Request, response: web.StreamResponse) -> None:
        # The app forbids framing (clickjacking) and scripts but its own; the probe measures
        # by framing, on its own origin, with a script: for this measurement alone, the probe
        # runs its script and the pages may be framed by their own origin.
        if request.path == PROBE_PATH:
            response.headers.pop("Content-Security-Policy", None)
        elif "Content-Security-Policy" in response.headers:
            policy = response.headers["Content-Security-Policy"]
            response.headers["Content-Security-Policy"] = policy.replace(
                "frame-ancestors 'none'", "frame-ancestors 'self'"
            )
        response.headers.pop("X-Frame-Options", None)

    app.router.add_get(PROBE_PATH, probe)
    app.on_response_prepare.append(framable)


LIMIT = 90  # seconds for one Chromium run on a busy machine
# `make test-dates` runs the tests under faketime (LD_PRELOAD): the browser keeps the real clock.
_ENV = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "FAKETIME")}


async def _chromium(*args: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        proc = await asyncio.create_subprocess_exec(
            str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
            "--hide-scrollbars", f"--user-data-dir={profile}", *args,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=_ENV,
        )  # fmt: skip
        async with asyncio.timeout(LIMIT):
            out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode(errors="replace")[-2000:]
    return out.decode() + err.decode(errors="replace")  # what it printed, both streams


async def screenshot(url: str, out: Path, width: int, height: int = 2000) -> Path:
    printed = await _chromium(f"--screenshot={out}", f"--window-size={width},{height}", url)
    # Chromium says so when it wrote the file; a page that never loaded writes nothing.
    assert "written to file" in printed, printed[-2000:]
    return out


async def measure(probe_url: str) -> list[dict]:
    """One entry per framed page and width, in the probe's order."""
    # On a busy machine the frames may not all have loaded when Chromium dumps the page (seen
    # once in CI with the other core taken): the probe is run again, up to three times.
    for _ in range(3):
        dom = await _chromium("--dump-dom", "--virtual-time-budget=30000", probe_url)
        found = RESULT.search(dom)
        if found:
            return json.loads(unescape(found.group(1)))
    raise AssertionError("the probe wrote no result: " + dom[-1000:])
