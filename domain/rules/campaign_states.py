"""A campaign's states in words, Chinese and English: the public notices and every adapter
show the same ones. Keyed by the stored value (`domain.storage.models.CampaignStatus`), so that
showing a state loads no database code."""

from __future__ import annotations

CAMPAIGN_STATE_LABELS: dict[str, tuple[str, str]] = {
    "planned": ("计划中", "planned"),
    "drawn": ("已抽取", "drawn"),
    "completed": ("检查已完成", "inspections done"),
    "published": ("结果已公示", "results published"),
}


def campaign_state_zh(status: str) -> str:
    return CAMPAIGN_STATE_LABELS[status][0]


def campaign_state_en(status: str) -> str:
    return CAMPAIGN_STATE_LABELS[status][1]
