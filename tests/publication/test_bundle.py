"""The case bundle: complete, with the original photo bytes, checked by the real sha256sum."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile

import pytest

from domain.audit import log as audit
from domain.audit.chain import Link, link_hash
from domain.errors import PermissionDenied, UserError
from domain.evidence import PhotoStore
from domain.evidence.service import add_photo
from domain.notice.fonts import find_cjk_font
from domain.rules.access import PUBLIC
from domain.tasks.bundle import MANIFEST, build_bundle
from tests.kit.evidence_samples import small_jpeg
from tests.kit.publication_cases import NOTE_TEXT, publish, sealed_case


@pytest.fixture(autouse=True)
def _font_or_skip() -> None:
    try:
        find_cjk_font()
    except UserError as exc:
        pytest.skip(f"no CJK font on this machine (`make fonts` installs one): {exc}")


def sha256sum_check(folder) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sha256sum", "-c", MANIFEST], cwd=folder, capture_output=True, text=True, check=False
    )


async def case_with_photo(tmp_path):
    w = await sealed_case()
    store = PhotoStore(tmp_path / "evidence")
    photo = small_jpeg("2026:11:20 10:30:00", 33.75, 113.31)
    added = await add_photo(
        w.actor(w.member), w.task.id, photo, store=store, idempotency_key="p1", file_name="a.jpg"
    )
    return w, store, photo, added.evidence.photo_sha256


@pytest.mark.skipif(not shutil.which("sha256sum"), reason="needs coreutils sha256sum")
async def test_bundle_verifies_with_sha256sum_and_holds_the_originals(db, tmp_path):
    w, store, photo, sha = await case_with_photo(tmp_path)
    out = tmp_path / "out" / "bundle.zip"
    bundle = await build_bundle(w.actor(w.coordinator), w.task.id, out, store)
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == sorted(bundle.files)
        zf.extractall(folder)
    assert set(bundle.files) == {
        "report.json", "notes.json", "photos.json", "notice.pdf", "audit.json",
        f"photos/{sha}.jpg", MANIFEST,
    }  # fmt: skip
    checked = sha256sum_check(folder)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(": OK") == len(bundle.files) - 1
    assert (folder / "photos" / f"{sha}.jpg").read_bytes() == photo
    assert (folder / "notice.pdf").read_bytes().startswith(b"%PDF")

    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert report["target"]["credit_code"] == w.target.credit_code
    assert report["report"]["result_categories"][1] == {
        "code": "C",
        "label": "公示信息隐瞒真实情况弄虚作假",
    }
    assert {m["cert_no"] for m in report["team"]} == {"ZF001", "ZF002"}
    notes = json.loads((folder / "notes.json").read_text(encoding="utf-8"))
    assert [n["text"] for n in notes] == [NOTE_TEXT] and notes[0]["author"]["name"] == "张伟"
    photos = json.loads((folder / "photos.json").read_text(encoding="utf-8"))
    assert photos[0]["file"] == f"photos/{sha}.jpg" and photos[0]["author"]["cert_no"] == "ZF002"
    trail = json.loads((folder / "audit.json").read_text(encoding="utf-8"))
    assert {"evidence.note", "evidence.photo"} <= {e["action"] for e in trail["entries"]}
    for entry in trail["entries"]:  # each entry's hash recomputes from what the bundle holds
        assert link_hash(Link(**entry)) == entry["hash"]
    entries = await audit.list_entries("task", w.task.number)
    assert entries[-1].action == "task.bundle"

    (folder / "notes.json").write_text("[]", encoding="utf-8")
    assert sha256sum_check(folder).returncode != 0


async def test_team_may_bundle_outsiders_and_public_may_not(db, tmp_path):
    w, store, _, _ = await case_with_photo(tmp_path)
    await build_bundle(w.actor(w.leader), w.task.id, tmp_path / "team.zip", store)
    with pytest.raises(PermissionDenied):
        await build_bundle(w.actor(w.outsider), w.task.id, tmp_path / "o.zip", store)
    await publish(w)
    with pytest.raises(PermissionDenied):
        await build_bundle(PUBLIC, w.task.id, tmp_path / "p.zip", store)
    assert not (tmp_path / "o.zip").exists() and not (tmp_path / "p.zip").exists()


async def test_an_incomplete_bundle_is_not_written(db, tmp_path):
    w, store, _, sha = await case_with_photo(tmp_path)
    coordinator = w.actor(w.coordinator)
    with pytest.raises(UserError, match="字体"):
        await build_bundle(
            coordinator, w.task.id, tmp_path / "a.zip", store, str(tmp_path / "none.ttf")
        )
    store.path(sha).chmod(0o644)
    store.path(sha).unlink()
    with pytest.raises(UserError, match=sha):
        await build_bundle(coordinator, w.task.id, tmp_path / "b.zip", store)
    assert list(tmp_path.glob("*.zip")) == [] and list(tmp_path.glob(".bundle-*")) == []
