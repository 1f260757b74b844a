"""The demo as `shuangsuiji demo` leaves it (its directories and both campaigns), and the
public pages worth looking at on it."""

from __future__ import annotations

from pathlib import Path

from demo import build_demo, load_demo
from demo.story import IN_PROGRESS, PUBLISHED, StoryCounts, play

BASE = f"/public/campaigns/{PUBLISHED}"
# Every public HTML page of the demo: the home page in both languages and each notice.
PAGES = (
    "/",
    "/?lang=en",
    f"{BASE}?format=html",
    f"{BASE}/task-notice?format=html",
    f"{BASE}/results?format=html",
    f"/public/campaigns/{IN_PROGRESS}/task-notice?format=html",
)


async def demo_played(data_dir: Path, seed: int | None = None) -> StoryCounts:
    await load_demo(build_demo() if seed is None else build_demo(seed))
    return await play(data_dir)
