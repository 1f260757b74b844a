"""A candidate no team can be formed for, as prepare refuses it (domain/campaigns/staffing.py)."""

from __future__ import annotations

from domain.storage.models import InspectionItem, Target

RARE = "人防冷门类别"  # a category no inspector of the demo has as a specialty


async def rare_target() -> Target:
    """One operating target whose only category the campaign covers is RARE."""
    item = await InspectionItem.get(code="RF-419800-007")
    item.categories = [*item.categories, RARE]
    await item.save()
    target = await Target.filter(status="operating", risk_class="B").order_by("id").first()
    target.categories = [RARE]
    await target.save()
    return target
