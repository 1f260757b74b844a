"""Ids on the command line: ASCII digits within the range of the id columns, refused with a
message (not a traceback) otherwise, and never read as another id (`١` is not 1)."""

from __future__ import annotations

import pytest

from domain.rules.ids import MAX_ID

BAD_IDS = ["9" * 23, str(MAX_ID + 1), "١", "𝟏", "²", "0", "-1"]


@pytest.fixture
def demo(shuangsuiji, migrated_db_url):
    # The directories are enough: ids are refused before anything is looked up.
    assert shuangsuiji("demo", "--directories-only").returncode == 0
    assert shuangsuiji("coordinator", "add", "赵敏", "--department", "419800").returncode == 0
    issued = shuangsuiji("token", "issue", "coordinator", "1", "--as", "1")
    assert issued.returncode == 0, issued.stderr
    return shuangsuiji


@pytest.mark.parametrize("bad", BAD_IDS)
def test_an_id_argument_out_of_range_or_not_ascii_is_refused(demo, bad):
    for argv in (
        ("token", "revoke", bad, "--as", "1"),
        ("token", "list", "--as", bad),
        ("invite", "inspector", "ZF001", "--as", bad),
        ("penalty", "publish", bad, "--as", "1"),
        ("followup", "close", bad, "--result", "ok", "--as", "1"),
        ("login-code", "issue", "--person", "ZF001", "--as", bad),
    ):
        ran = demo(*argv)
        assert ran.returncode == 2, (argv, ran.stderr)
        assert "ASCII" in ran.stderr and "Traceback" not in ran.stderr, argv
    assert "active" in demo("token", "list", "--as", "1").stdout  # nothing revoked


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_person_named_by_a_bad_id_is_refused(demo, bad):
    for argv in (
        ("token", "issue", "coordinator", bad, "--as", "1"),
        ("invite", "coordinator", bad, "--as", "1"),
    ):
        ran = demo(*argv)
        assert ran.returncode == 1, (argv, ran.stderr)
        assert "协调员编号" in ran.stderr and "Traceback" not in ran.stderr, argv


def test_an_over_long_certificate_number_is_refused_without_echoing_it(demo):
    cert = "Z" * 5000
    ran = demo("invite", "inspector", cert, "--as", "1")
    assert ran.returncode == 1 and "64" in ran.stderr and cert not in ran.stderr
