"""The demo data set: counts, valid codes, determinism, drawability, and the `demo` command."""

from __future__ import annotations

import datetime as dt

import pytest

from demo import CATEGORIES, build_demo, database_counts, load_demo
from demo.codes import org_code
from domain.rules.credit_code import credit_code_error
from domain.storage.models import (
    Conflict,
    Department,
    InspectionItem,
    Inspector,
    ItemKind,
    RiskClass,
    Target,
    TargetStatus,
)
from tests.kit.cli import Command

# Between the lapsed certificates (≤ 2025) and the valid ones (≥ 2027-12-31).
CHECKED_ON = dt.date(2027, 6, 30)
SEEDS = (2025, 0, 1, 7, 123456)


@pytest.fixture(scope="module")
def data():
    return build_demo()


def test_counts_meet_the_brief(data):
    assert len(data.items) >= 10
    assert len(data.targets) >= 300
    assert len(data.inspectors) >= 20
    assert 3 <= len(data.conflicts) <= 10
    roots = [d for d in data.departments if d.parent_code is None]
    assert len(roots) == 1
    assert [d.parent_code for d in data.departments if d.parent_code] == [roots[0].code] * 3
    assert sum(i.kind == ItemKind.KEY for i in data.items) >= 2


def test_every_category_has_businesses(data):
    present = {cat for t in data.targets for cat in t.categories}
    assert present == set(CATEGORIES)


def test_inspector_directory_has_the_awkward_cases(data):
    expired = [p for p in data.inspectors if p.cert_valid_until < CHECKED_ON]
    assert 2 <= len(expired) <= 5
    assert sum(p.is_expert for p in data.inspectors) >= 2
    assert sum(not p.active for p in data.inspectors) == 1
    levels = {p.department_code for p in data.inspectors}
    assert levels == {d.code for d in data.departments}


def test_statuses_and_risk_look_like_a_real_directory(data):
    n = len(data.targets)
    operating = sum(t.status == TargetStatus.OPERATING for t in data.targets)
    assert 0.8 * n <= operating < n
    assert {t.status for t in data.targets} == set(TargetStatus)
    share = {r: sum(t.risk_class == r for t in data.targets) / n for r in RiskClass}
    assert share[RiskClass.B] > share[RiskClass.A] > share[RiskClass.C] > share[RiskClass.D] > 0
    assert all(t.risk_class == RiskClass.D for t in data.targets if t.serious_violation)
    assert any(t.abnormal_listed for t in data.targets)
    assert any(t.bad_record for t in data.targets)
    assert any(t.complaints >= 3 for t in data.targets)


@pytest.mark.parametrize("seed", SEEDS)
def test_codes_are_valid_and_unique(seed):
    data = build_demo(seed)
    codes = [t.credit_code for t in data.targets]
    assert [c for c in codes if credit_code_error(c)] == []
    assert len(set(codes)) == len(codes)
    # The organisation-code part carries its own GB 11714 check character too.
    assert all(org_code(c[8:16]) == c[8:17] for c in codes)
    assert len({t.name for t in data.targets}) == len(data.targets)
    certs = [p.cert_no for p in data.inspectors]
    assert len(set(certs)) == len(certs)


def test_org_code_check_character_matches_a_published_example():
    # GB 11714's own example, D2143569-X: weights 3,7,9,10,5,8,4,2 (D=13) sum to 199,
    # 11 - 199 % 11 = 10, written X.
    assert org_code("D2143569") == "D2143569X"


def test_same_seed_same_data_other_seed_other_data():
    assert build_demo(42) == build_demo(42)
    other = build_demo(43)
    assert {t.credit_code for t in other.targets} != {t.credit_code for t in build_demo(42).targets}


def test_coordinates_are_near_the_city(data):
    for t in data.targets:
        assert 33.5 < t.latitude < 34.2 and 113.0 < t.longitude < 113.6, t


@pytest.mark.parametrize("seed", SEEDS)
def test_every_business_can_be_drawn_with_a_team_of_two(seed):
    """Each category has an item, and for every business enough officers from another patch."""
    data = build_demo(seed)
    item_categories = {cat for i in data.items for cat in i.categories}
    specialties = {i.inspector_specialty for i in data.items}
    assert specialties <= set(CATEGORIES)
    officers = [
        p
        for p in data.inspectors
        if p.active and not p.is_expert and p.cert_valid_until >= CHECKED_ON
    ]
    for t in data.targets:
        assert set(t.categories) <= item_categories, t.name
        for cat in t.categories:
            eligible = [
                p for p in officers if cat in p.specialties and p.patch_code != t.region_code
            ]
            assert len(eligible) >= 2, (t.name, cat, t.region_code)


def test_conflicts_refer_to_real_people_and_businesses(data):
    certs = {p.cert_no: p for p in data.inspectors}
    targets = {t.credit_code: t for t in data.targets}
    pairs = [(c.cert_no, c.credit_code) for c in data.conflicts]
    assert len(set(pairs)) == len(pairs)
    for c in data.conflicts:
        person, target = certs[c.cert_no], targets[c.credit_code]
        assert set(person.specialties) & set(target.categories)
        assert c.reason


async def _snapshot():
    targets = await Target.all().order_by("credit_code").prefetch_related("region", "jurisdiction")
    inspectors = await Inspector.all().order_by("cert_no").prefetch_related("department", "patch")
    conflicts = await Conflict.all().prefetch_related("inspector", "target")
    return (
        [(d.code, d.name, d.path) for d in await Department.all().order_by("code")],
        list(await InspectionItem.all().order_by("code").values_list("code", "ratio_percent")),
        [
            (t.credit_code, t.name, t.region.code, t.jurisdiction.code, t.risk_class)
            for t in targets
        ],
        [(p.cert_no, p.department.code, p.patch.code if p.patch else None) for p in inspectors],
        sorted((c.inspector.cert_no, c.target.credit_code) for c in conflicts),
    )


async def test_loads_into_the_database(db, data):
    counts = await load_demo(data)
    assert counts == await database_counts()
    assert counts.targets == len(data.targets) and not counts.empty
    depts, items, targets, inspectors, conflicts = await _snapshot()
    assert [d[2] for d in depts] == [
        "/419800/",
        "/419800/419802/",
        "/419800/419803/",
        "/419800/419825/",
    ]
    assert len(items) == len(data.items)
    assert sorted(t[0] for t in targets) == sorted(t.credit_code for t in data.targets)
    assert len(inspectors) == len(data.inspectors)
    assert conflicts == sorted((c.cert_no, c.credit_code) for c in data.conflicts)
    stored = await Target.get(credit_code=data.targets[0].credit_code)
    assert stored.categories == list(data.targets[0].categories)
    assert stored.latitude == pytest.approx(data.targets[0].latitude)


def test_demo_command(shuangsuiji):
    loaded = shuangsuiji("demo", "--seed", "5")
    assert loaded.returncode == 0 and "抽查对象 320" in loaded.stdout

    again = shuangsuiji("demo")
    assert again.returncode == 1
    assert "--if-empty" in again.stderr and "抽查对象 320" in again.stderr

    skipped = shuangsuiji("demo", "--if-empty")
    assert skipped.returncode == 0 and "未加载" in skipped.stdout


def test_demo_command_if_empty_loads_an_empty_database(db_url, tmp_path):
    loaded = Command(db_url, cwd=tmp_path)("demo", "--if-empty")  # a new database, no tables
    assert loaded.returncode == 0 and "已加载演示数据" in loaded.stdout
