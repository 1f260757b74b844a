"""The stored form of a prepared draw's frozen candidates."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from domain.campaigns.frozen import frozen_lines, frozen_text, parse_frozen

POOL = [{"cert_no": "RF-1", "name": "张三", "cert_valid_until": "2030-01-01"}]


def test_the_strata_are_stored_unescaped_after_a_one_line_header():
    strata = frozen_lines({"strata": {"419802:A": ["91A", "91B"], "high-risk": ["91C"]}})
    text = frozen_text({"strata": strata, "pool": POOL})
    header, body = text.split("\n", 1)
    assert json.loads(header)["strata"] == [["419802:A", 7], ["high-risk", 3]]
    assert body == "91A\n91B91C"
    assert parse_frozen(text) == {"strata": strata, "pool": POOL}


# Stratum names are free text in principle: line ends and quotes must not break the header.
names = st.text(min_size=1, max_size=8)
ids = st.lists(st.text(alphabet="0123456789ABX甲", min_size=1, max_size=18), max_size=5)


@given(st.dictionaries(names, ids, max_size=4))
def test_what_is_stored_is_read_back(strata):
    frozen = {"strata": frozen_lines({"strata": strata}), "pool": POOL}
    assert parse_frozen(frozen_text(frozen)) == frozen


def test_rows_stored_as_one_json_document_before_this_form_still_read():
    old = {"strata": {"3299:A": "91A\n91B"}, "pool": []}
    assert parse_frozen(json.dumps(old)) == old
    assert parse_frozen(json.dumps(old, separators=(",", ":"))) == old
