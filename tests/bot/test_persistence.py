"""The JSON that bot/persistence.py keeps: what the conversations hold comes back the same."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.coordinator.reveal import DrawDialogue
from bot.inspector.report_flow import Draft
from bot.persistence import DatabasePersistence, NotKept, decode, encode, kept, restored


def test_conversation_data_comes_back_equal():
    dialogue = DrawDialogue(code="2026-RF-09", items=[("A01", "人防工程")], chosen={1, 3})
    draft = Draft(task_id=7, number="RF-001", step="steps", fields={"methods": ["实地检查"]})
    data = {
        "ssj.draw": dialogue,
        "ssj.report": draft,
        "ssj.review": ("return", 5, 42, "退回"),
        "ssj.unable": {"task_id": 5, "name": "某单位"},
        "ssj.conflict": (5, 100, 200),
    }
    text = json.dumps(kept(data))  # plain JSON
    back = restored(1, json.loads(text))
    assert back == data
    assert isinstance(back["ssj.draw"].items[0], tuple) and back["ssj.draw"].chosen == {1, 3}
    moment = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
    assert decode(json.loads(json.dumps(encode({1: moment, 2: dt.date(2026, 1, 2)})))) == {
        1: moment,
        2: dt.date(2026, 1, 2),
    }


def test_only_the_conversations_entries_are_kept_and_others_refused():
    assert kept({"ssj.session": object(), "ssj.albums": {}}) == {}
    with pytest.raises(TypeError, match=r"bot/persistence\.py"):
        encode(object())
    assert kept({"ssj.unable": object()}) == {}  # logged, left out, not fatal


def test_an_entry_that_no_longer_fits_is_dropped_not_fatal():
    old = {"ssj.report": {"$": "Draft", "v": {"task": 1}}, "ssj.conflict": [1, 2]}
    assert restored(1, old) == {"ssj.conflict": [1, 2]}


async def test_kept_state_round_trips_and_a_failure_quotes_no_value(db):
    persistence = DatabasePersistence()
    draft = Draft(task_id=7, number="RF-001", step="findings", fields={"steps": "查看现场"})
    await persistence.update_user_data(42, {"ssj.report": draft, "ssj.session": object()})
    await persistence.update_conversation("inspector.report", (42, 42), 1)
    again = DatabasePersistence()  # as after a restart
    assert await again.get_user_data() == {42: {"ssj.report": draft}}
    assert await again.get_conversations("inspector.report") == {(42, 42): 1}

    # Renamed away, not dropped: on PostgreSQL the tests share one schema.
    conn = db.connections.get("default")
    await conn.execute_script("ALTER TABLE bot_state RENAME TO bot_state_away")
    draft.fields["findings"] = "消防通道堆放杂物"
    try:
        with pytest.raises(NotKept) as failed:
            await again.update_user_data(42, {"ssj.report": draft})
    finally:
        await conn.execute_script("ALTER TABLE bot_state_away RENAME TO bot_state")
    assert "消防" not in str(failed.value) and failed.value.__cause__ is None
