"""A real draw on the demo data set, for the task services to work on."""

from __future__ import annotations

import pytest

from tests.kit.drawn import Drawn, draw_on_demo


@pytest.fixture
async def drawn(db) -> Drawn:
    return await draw_on_demo()
