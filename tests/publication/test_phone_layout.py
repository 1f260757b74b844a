"""The public pages as a person sees them, in headless Chromium: on a 360 px phone no page is
wider than the screen and tables are cards; on a 1280 px screen they are tables. Screenshots
are kept for a person to look at (their paths are printed; run with -s to see them)."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from domain.config import Settings
from domain.publication.page import NARROW
from field_api.app import create_app
from tests.kit.browser import CHROMIUM, PROBE_PATH, add_probe, measure, screenshot
from tests.kit.demo_story import BASE, PAGES, demo_played

pytestmark = pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"{CHROMIUM} is not installed")

PHONE, DESKTOP = 360, 1280
SHOTS = {"home": "/", "task-notice": f"{BASE}/task-notice", "results": f"{BASE}/results"}


async def test_public_pages_fit_a_phone_and_use_the_width_of_a_desktop(db, tmp_path):
    await demo_played(tmp_path / "data")
    app = create_app(Settings())
    add_probe(app, PAGES, (PHONE, DESKTOP))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        root = str(client.make_url("/")).rstrip("/")
        html = await (await client.get(f"{BASE}/task-notice?format=html")).text()
        assert f"@media (max-width:{NARROW})" in html and "data-label=" in html
        assert "overflow-wrap:anywhere" in html and 'class="copy"' in html

        shots = tmp_path / "screenshots"
        shots.mkdir()
        for name, path in SHOTS.items():
            query = "" if path == "/" else "?format=html"
            for width in (PHONE, DESKTOP):
                shot = await screenshot(
                    f"{root}{path}{query}", shots / f"{name}-{width}.png", width
                )
                print(f"screenshot: {shot}")

        measured = await measure(root + PROBE_PATH)
    assert len(measured) == len(PAGES) * 2
    for m in measured:
        where = f"{m['url']} at {m['width']} px"
        assert m["view"] == m["width"], where
        assert m["scroll"] <= m["view"], f"{where}: {m['scroll']} px wide, past {m['wide']}"
        assert not m["wide"], f"{where}: elements past the right edge: {m['wide']}"
        assert m["rows"] == ("block" if m["width"] == PHONE else "table-row"), where
