"""The access rules: sealed tasks are seen only by the coordinators above and the team."""

from __future__ import annotations

import pytest

from domain.errors import PermissionDenied
from domain.rules.access import PUBLIC, SYSTEM, Actor, Role, may_see_task, require_coordinator

CITY = Actor(Role.COORDINATOR, 1, department_path="/3299/")
COUNTY = Actor(Role.COORDINATOR, 2, department_path="/3299/329901/")
OTHER_COUNTY = Actor(Role.COORDINATOR, 3, department_path="/3299/329902/")
MEMBER = Actor(Role.INSPECTOR, 10, cert_no="ZF1")
STRANGER = Actor(Role.INSPECTOR, 11, cert_no="ZF2")


@pytest.mark.parametrize(
    ("actor", "campaign_path", "published", "expected"),
    [
        (CITY, "/3299/329901/", False, True),  # an upper level sees a lower level's campaign
        (COUNTY, "/3299/329901/", False, True),
        (COUNTY, "/3299/", False, False),  # a lower level does not see the city's campaign
        (OTHER_COUNTY, "/3299/329901/", False, False),
        (MEMBER, "/3299/", False, True),
        (STRANGER, "/3299/", False, False),
        (STRANGER, "/3299/", True, False),  # publication is for the public page, not via tasks
        (PUBLIC, "/3299/", False, False),
        (PUBLIC, "/3299/", True, True),
        (SYSTEM, "/3299/", False, True),
    ],
)
def test_who_sees_a_task(actor, campaign_path, published, expected):
    assert may_see_task(actor, campaign_path, published, member_ids={10}) is expected


def test_a_prefix_of_the_code_is_not_a_parent():
    lookalike = Actor(Role.COORDINATOR, 4, department_path="/32/")
    assert not may_see_task(lookalike, "/3299/", False, set())


def test_only_coordinators_above_may_act():
    require_coordinator(CITY, "/3299/329901/")
    with pytest.raises(PermissionDenied):
        require_coordinator(MEMBER, "/3299/")
    with pytest.raises(PermissionDenied):
        require_coordinator(OTHER_COUNTY, "/3299/329901/")
