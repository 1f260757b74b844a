"""Saying what a campaign's regions cover, when that is the problem: a region outside the
organising department's subtree, or regions holding no business of the directory (a campaign
without `--regions` covers its department's own subtree only)."""

from __future__ import annotations

from tortoise.functions import Count

from domain.storage.models import Campaign, Department, Target

SHOWN = 8  # departments or regions named in one message at most


def _named(d: Department) -> str:
    return f"{d.name} ({d.code})"


def _listed(departments: list[Department], counts: dict[int, int] | None = None) -> str:
    shown = [
        _named(d) + (f" {counts[d.id]} 个" if counts is not None else "")
        for d in departments[:SHOWN]
    ]
    more = f" 等 {len(departments)} 个" if len(departments) > SHOWN else ""
    return "、".join(shown) + more


async def _common_parent(a: Department, b: Department) -> Department | None:
    """The nearest department whose subtree holds both (by their paths), if any."""
    shared = []
    for x, y in zip(a.path.strip("/").split("/"), b.path.strip("/").split("/"), strict=False):
        if x != y:
            break
        shared.append(x)
    return await Department.get_or_none(code=shared[-1]) if shared else None


async def region_outside(department: Department, region: Department, new: bool) -> str:
    """Why `region` cannot be in a campaign of `department`, naming the subtree it may choose
    from and the command that fixes it."""
    subtree = list(await Department.filter(path__startswith=department.path).order_by("path"))
    text = (
        f"区域「{_named(region)}」不在组织部门「{_named(department)}」的下级范围内"
        f"（可选: {_listed(subtree)}，即 {department.path} 下的区域）"
    )
    parent = await _common_parent(department, region)
    if parent is None:
        return text + (
            "；两者没有共同的上级部门：检查部门名录的上级编码 (`shuangsuiji list departments`)"
            " (region outside the department's subtree)"
        )
    if new:
        how = f"由上级部门组织：`shuangsuiji campaign create … --department {parent.code}`"
    else:
        how = (
            "计划的组织部门不能修改：删除后由上级部门重新创建 "
            f"(`shuangsuiji campaign delete CODE`, `campaign create … --department {parent.code}`)"
        )
    return text + (
        f"；用 --regions 只选这些区域，或{how}（「{parent.name}」管辖两者）"
        " (region outside the department's subtree)"
    )


async def nothing_in_scope(campaign: Campaign) -> str:
    """Why no business is in the campaign's regions, and what to run about it."""
    department = campaign.department
    regions = list(await Department.filter(code__in=campaign.region_codes).order_by("path"))
    default = list(campaign.region_codes) == [department.code]
    covered = (
        f"未给 --regions 时，计划只覆盖组织部门「{_named(department)}」本身及其下级区域"
        if default
        else f"计划的区域是 {_listed(regions)} 及其下级区域"
    )
    rows = await Target.all().group_by("region_id").annotate(n=Count("id")).values("region_id", "n")
    counts = {int(r["region_id"]): int(r["n"]) for r in rows}
    if not counts:
        return (
            f"{covered}；抽查对象名录库是空的：先导入对象 `shuangsuiji import targets 对象.csv`"
            " (the target directory is empty)"
        )
    held = sorted(
        await Department.filter(id__in=list(counts)), key=lambda d: (-counts[d.id], d.path)
    )
    inside = [d for d in held if d.path.startswith(department.path)]
    if inside:
        codes = ",".join(d.code for d in inside)
        return (
            f"{covered}，其中没有抽查对象；名录库中「{_named(department)}」下级的对象在 "
            f"{_listed(inside, counts)}：`shuangsuiji campaign edit {campaign.code} "
            f"--regions {codes}` 把它们纳入 (no target in the campaign's regions)"
        )
    parent = await _common_parent(department, held[0])
    regroup = (
        f"若这些区域本属「{_named(department)}」，在部门名录中把它们的上级编码设为 "
        f"{department.code} 后重新导入 (`shuangsuiji import departments 部门.csv`)"
    )
    fix = (
        f"由管辖它们的上级部门「{_named(parent)}」组织计划 "
        f"(`shuangsuiji campaign create … --department {parent.code}`)；{regroup}"
        if parent
        else regroup
    )
    return (
        f"{covered}，其中没有抽查对象；名录库的 {sum(counts.values())} 个对象都在它的下级之外: "
        f"{_listed(held, counts)}。{fix} (no target within the department's subtree)"
    )
