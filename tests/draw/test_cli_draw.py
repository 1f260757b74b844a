"""A draw ceremony through `shuangsuiji draw ...`, in-process (tests.kit.cli), on a new
database loaded with `shuangsuiji demo`; then an auditor's `verify` and `sample` on its files."""

from __future__ import annotations

import hashlib
import json
import re
import stat

import pytest

from domain.draw.candidate_files import stratum_file
from domain.draw.record import dumps, sealed
from tests.kit.cli import Command

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here

CODE = "2026-RF-01"
DICE = "31415 92653 / 58979 32384 6"


@pytest.fixture
def cli(shuangsuiji):
    assert shuangsuiji("demo", "--directories-only").returncode == 0
    return shuangsuiji


def create(run, code: str = CODE, *extra: str) -> None:
    created = run(
        "campaign", "create", code, "第四季度人防双随机抽查", "--department", "419800",
        "--items", "RF-419800-001,RF-419800-007,RF-419800-010",
        "--start", "2026-11-02", "--due", "2026-12-18", *extra,
    )  # fmt: skip
    assert created[0] == 0, created


def ungroup(text: str) -> str:
    return text.replace(" ", "")


def test_a_ceremony_from_prepare_to_an_auditor_checking_it(cli, tmp_path):
    create(cli)
    code, screen, _ = cli("draw", "prepare", CODE)
    assert code == 0
    commitment = ungroup(screen.split("commitment = SHA-256(secret)")[1].splitlines()[1])
    assert re.fullmatch(r"[0-9a-f]{64}", commitment)
    assert "419802:A" in screen and "high-risk" in screen and "合计" in screen
    assert "无适用的抽查事项" in screen and "已关闭停业" in screen
    assert f"draw reveal {CODE}" in screen

    again = cli("draw", "prepare", CODE)
    assert again[0] == 1 and "abandon" in again[2]
    # Shown again (a restarted laptop, a late witness): the very screen prepare showed.
    assert cli("draw", "show", CODE) == (0, screen, "")

    code, listing, _ = cli("draw", "candidates", CODE, "lists")
    assert code == 0
    files = {line.split("\t")[0]: line.split("\t") for line in listing.splitlines()[:-2]}
    for name, (_, count, digest) in files.items():
        data = (tmp_path / "lists" / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest and data.count(b"\n") == int(count)
    assert "pool.txt" in files and stratum_file("419802:A") == "419802%3AA.txt" in files

    short = cli("draw", "reveal", CODE, "--dice", "1234567890 123456789")
    assert short[0] == 1 and "至少 20 位" in short[2]

    code, screen, _ = cli("draw", "reveal", CODE, "--dice", DICE)
    assert code == 0, screen
    path = tmp_path / f"draw-{CODE}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["commitment"] == commitment
    assert hashlib.sha256(record["secret"].encode()).hexdigest() == commitment
    assert record["entropy"] == "dice:314159265358979323846"
    published = screen.split("record_hash:")[1].splitlines()[0]
    assert ungroup(published) == record["record_hash"]
    # Sealed until publication: created owner-only, and the screen says it is confidential.
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and "保密" in screen
    tasks = sum(len(s["drawn"]) for s in record["strata"])
    assert f"任务 {tasks} 个，检查人员 {2 * tasks} 人次" in screen
    for stratum in record["strata"]:
        assert files[stratum_file(stratum["name"])][2] == stratum["digest"]
    assert record["pool"]["digest"] == files["pool.txt"][2]

    code, out, _ = cli("verify", str(path), "--candidates", "lists")
    assert code == 0 and out.startswith("OK") and record["record_hash"] in out
    assert "--expect-hash" in out.splitlines()[1]  # says what was not checked
    code, out, _ = cli("verify", str(path), "--candidates", "lists", "--expect-hash", published)
    assert code == 0 and out.startswith("OK") and out.count("\n") == 1, out

    # An auditor recomputes a stratum from its published list and the published seed.
    stratum = max(record["strata"], key=lambda s: s["take"])
    code, out, _ = cli(
        "sample", "--seed", record["seed"], "--take", str(stratum["take"]),
        f"lists/{stratum_file(stratum['name'])}",
    )  # fmt: skip
    assert code == 0
    assert [line.split("\t") for line in out.splitlines()] == [
        [d["ticket"], d["id"]] for d in stratum["drawn"]
    ]

    (tmp_path / "copy.json").write_text("an older copy, readable by all")
    (tmp_path / "copy.json").chmod(0o644)
    code, out, _ = cli("draw", "record", CODE, "copy.json")
    assert code == 0 and (tmp_path / "copy.json").read_bytes() == path.read_bytes()
    assert stat.S_IMODE((tmp_path / "copy.json").stat().st_mode) == 0o600 and "保密" in out
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]

    forged = json.loads(path.read_text(encoding="utf-8"))
    forged["teams"][0]["members"].reverse()
    (tmp_path / "forged.json").write_bytes(dumps(sealed(forged)))
    code, out, _ = cli("verify", "forged.json", "--candidates", "lists")
    assert code == 1 and forged["teams"][0]["target"] in out


def test_practice_abandon_and_a_chosen_record_file(cli, tmp_path):
    create(cli)
    create(cli, "2026-RF-02", "--beyond-frequency", "第二轮")
    code, screen, _ = cli("draw", "prepare", CODE, "--practice")
    assert code == 0 and "PRACTICE" in screen and f"draw reveal {CODE}\n" in screen
    code, _, err = cli("draw", "reveal", CODE, "--record", "out/practice.json")
    assert code == 1 and "out/practice.json" in err  # checked before anything is drawn
    (tmp_path / "out").mkdir()
    code, screen, _ = cli("draw", "reveal", CODE, "--record", "out/practice.json")
    assert code == 0 and "演练 PRACTICE" in screen
    record = json.loads((tmp_path / "out" / "practice.json").read_text(encoding="utf-8"))
    assert record["practice"] is True and record["entropy"].startswith("practice:")

    assert cli("draw", "prepare", "2026-RF-02")[0] == 0
    code, out, _ = cli("draw", "abandon", "2026-RF-02", "--reason", "见证人未到场")
    assert code == 0 and "审计日志" in out
    code, out, _ = cli("audit", "show", "--limit", "5")
    assert "draw.abandon" in out
    assert cli("draw", "prepare", "2026-RF-02")[0] == 0


def test_refusals_name_what_to_fix(cli):
    create(cli, CODE, "--team-size", "20")
    missing = cli("draw", "record", CODE, "x.json")
    assert missing[0] == 1 and "尚未揭示" in missing[2]
    half = cli("draw", "prepare", CODE, "--beacon-source", "drand")
    assert half[0] == 1 and "--beacon-round" in half[2]
    nothing = cli("draw", "candidates", CODE, "lists")
    assert nothing[0] == 1 and "没有已准备的抽取" in nothing[2]
    unshown = cli("draw", "show", CODE)
    assert unshown[0] == 1 and "没有待揭示的抽取" in unshown[2]
    # No candidate can get 20 officers: refused before anything is frozen, not after the dice.
    code, _, err = cli("draw", "prepare", CODE)
    assert code == 1 and "需要执法人员 20 名" in err and "尚未冻结任何名单" in err, err
    assert "--exclude-unstaffable" in err
    assert cli("draw", "show", CODE)[0] == 1
    code, _, err = cli("draw", "prepare", CODE, "--exclude-unstaffable")
    assert code == 1 and "no eligible targets" in err and "'unstaffable'" in err
    unknown = cli("draw", "prepare", "NO-SUCH-PLAN")
    assert unknown[0] == 1 and "NO-SUCH-PLAN" in unknown[2]


def test_the_readmes_campaign_prepares_and_reveals_on_the_demo(cli, tmp_path):
    # The same few officers staff every team: the matching gives them more than an even share
    # rather than failing after the dice.
    readme = cli(
        "campaign", "create", CODE, "2026年第四季度人防双随机抽查", "--department", "419800",
        "--items", "RF-419800-001,RF-419800-002", "--start", "2026-11-02", "--due", "2026-12-18",
    )  # fmt: skip
    assert readme[0] == 0
    assert cli("draw", "prepare", CODE)[0] == 0
    code, screen, err = cli("draw", "reveal", CODE, "--dice", DICE)
    assert code == 0, err
    assert "每名执法人员" in screen


def sealed_views(run) -> list[dict]:
    """The campaign's sealed-view entries, as `audit show` prints them."""
    code, out, _ = run("audit", "show", "--object", f"campaign:{CODE}", "--limit", "0")
    assert code == 0
    views = []
    for line in out.splitlines():
        fields = line.split(" ")
        if len(fields) > 3 and fields[3] == "sealed.view":
            data = next(f for f in fields if f.startswith("data="))
            views.append({"actor": fields[2], **json.loads(data.removeprefix("data="))})
    return views


def test_each_read_of_a_sealed_campaign_is_one_audit_entry(cli, tmp_path):
    create(cli)
    assert cli("coordinator", "add", "赵敏", "--department", "419800")[0] == 0
    assert cli("coordinator", "add", "钱进", "--department", "419802")[0] == 0  # a county's
    assert cli("draw", "prepare", CODE)[0] == 0
    assert cli("draw", "reveal", CODE, "--dice", DICE)[0] == 0
    assert sealed_views(cli) == []

    code, listing, _ = cli("task", "list", CODE, "--as", "1", "--json")
    numbers = [task["number"] for task in json.loads(listing)]
    assert code == 0 and len(numbers) > 1
    assert sealed_views(cli) == [
        {"actor": "coordinator:1", "purpose": "task.list", "tasks": numbers}
    ]

    assert cli("draw", "record", CODE, "copy.json")[0] == 0
    code, _, _ = cli("draw", "candidates", CODE, "lists", "--as", "1")
    assert code == 0
    assert sealed_views(cli)[1:] == [
        {"actor": "system", "purpose": "draw.record"},
        {"actor": "coordinator:1", "purpose": "draw.candidates"},
    ]

    # The county's coordinator may not read the city's campaign: refused, nothing written.
    for command in (
        ("task", "list", CODE, "--as", "2"),
        ("draw", "record", CODE, "county.json", "--as", "2"),
        ("draw", "candidates", CODE, "county", "--as", "2"),
    ):
        code, _, err = cli(*command)
        assert code == 1 and "协调员" in err, command
    assert not (tmp_path / "county.json").exists() and not (tmp_path / "county").exists()
    assert len(sealed_views(cli)) == 3


def test_the_high_risk_threshold_comes_from_the_settings_unless_given(cli, tmp_path):
    configured = Command(cli.env["SSJ_DB_URL"], tmp_path, SSJ_HIGH_RISK_COMPLAINTS="1")
    thresholds = {}
    for code, extra in ((CODE, ()), ("2026-RF-02", ("--high-risk-complaints", "5"))):
        create(cli, code, "--beyond-frequency", "阈值对照")
        assert configured("draw", "prepare", code, "--practice", *extra)[0] == 0
        ran = configured("draw", "reveal", code, "--record", f"{code}.json")
        assert ran[0] == 0, ran
        record = json.loads((tmp_path / f"{code}.json").read_text(encoding="utf-8"))
        thresholds[code] = record["scope"]["high_risk_complaints"]
    assert thresholds == {CODE: 1, "2026-RF-02": 5}
