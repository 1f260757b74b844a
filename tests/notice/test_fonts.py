from __future__ import annotations

import os
from pathlib import Path

import pytest

from domain.config import Settings
from domain.errors import UserError
from domain.notice import ENV_VAR, find_cjk_font
from domain.notice.fonts import CJK_PROBE, fontconfig_candidates
from tests.kit.fonts import latin_only_font

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
NOTO_SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
WQY = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def test_env_path_to_missing_file_is_a_clear_error(tmp_path):
    missing = tmp_path / "nope.ttf"
    with pytest.raises(UserError) as err:
        find_cjk_font(environ={ENV_VAR: str(missing)})
    message = str(err.value)
    assert ENV_VAR in message and str(missing) in message
    assert "fonts-noto-cjk" in message


def test_configured_path_beats_the_environment(tmp_path, synthetic_font):
    font = find_cjk_font(synthetic_font.path, environ={ENV_VAR: str(tmp_path / "nope.ttf")})
    assert font.path == synthetic_font.path


def test_settings_read_the_font_path_from_the_environment():
    settings = Settings.from_env({ENV_VAR: "/fonts/x.ttf"}, dotenv=None)
    assert settings.font_path == "/fonts/x.ttf"


def test_a_font_without_chinese_glyphs_is_refused(tmp_path):
    path = latin_only_font(tmp_path / "latin.ttf")
    with pytest.raises(UserError) as err:
        find_cjk_font(environ={ENV_VAR: str(path)})
    assert "不含中文字形" in str(err.value) and str(path) in str(err.value)


@pytest.mark.skipif(not os.path.isfile(DEJAVU), reason=f"{DEJAVU} not installed")
def test_dejavu_sans_is_refused():
    with pytest.raises(UserError, match="不含中文字形"):
        find_cjk_font(DEJAVU, environ={})


def test_a_file_that_is_not_a_font_is_refused(tmp_path):
    path = tmp_path / "fake.ttf"
    path.write_text("not a font", encoding="utf-8")
    with pytest.raises(UserError, match="无法读取"):
        find_cjk_font(str(path), environ={})


def test_the_machine_font_covers_the_probe(system_font):
    assert system_font.missing(CJK_PROBE) == ""
    assert system_font.missing("😀") == "😀"


def test_fontconfig_lists_regular_faces_before_bold():
    files = fontconfig_candidates()
    if not files:
        pytest.skip("fontconfig lists no Chinese font here")
    bold = [n for n, f in enumerate(files) if "bold" in Path(f).name.lower()]
    regular = [n for n, f in enumerate(files) if "bold" not in Path(f).name.lower()]
    assert not bold or not regular or max(regular) < min(bold)


@pytest.mark.skipif(not os.path.isfile(NOTO_SERIF), reason="fonts-noto-cjk not installed")
def test_noto_collection_uses_the_simplified_chinese_face():
    font = find_cjk_font(NOTO_SERIF, environ={})
    assert font.family.endswith(" SC")
    assert font.bold_path is not None and "Bold" in font.bold_path


@pytest.mark.skipif(not os.path.isfile(WQY), reason="fonts-wqy-zenhei not installed")
def test_wqy_zenhei_collection_loads():
    font = find_cjk_font(WQY, environ={})
    assert font.index == 0 and "WenQuanYi" in font.family
