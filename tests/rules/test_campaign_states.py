"""Every state a campaign can be in has its words, in Chinese and in English."""

from __future__ import annotations

from domain.rules.campaign_states import CAMPAIGN_STATE_LABELS
from domain.storage.models import CampaignStatus


def test_each_campaign_state_has_its_words():
    assert set(CAMPAIGN_STATE_LABELS) == {s.value for s in CampaignStatus}
    assert all(zh and en and zh != en for zh, en in CAMPAIGN_STATE_LABELS.values())
