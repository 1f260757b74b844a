from __future__ import annotations

import pytest

from domain.errors import UserError
from domain.notice import CjkFont, find_cjk_font
from tests.kit.fonts import shared_cjk_test_font


@pytest.fixture(scope="session")
def synthetic_font() -> CjkFont:
    return find_cjk_font(shared_cjk_test_font(), environ={})


@pytest.fixture(scope="session")
def system_font() -> CjkFont:
    try:
        return find_cjk_font(environ={})
    except UserError as exc:
        pytest.skip(f"no CJK font on this machine (run `make fonts`): {exc}")


@pytest.fixture(scope="session", params=["system", "synthetic"])
def notice_font(request) -> CjkFont:
    """Each rendering test runs with the machine's real CJK font and with a font built here."""
    return request.getfixturevalue(f"{request.param}_font")
