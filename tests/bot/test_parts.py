"""Splitting a rendered message into Bot API requests."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.delivery.parts import requests_for, split_text
from bot.delivery.render import Button, OutFile, Rendered


@given(st.text(alphabet="检查a\n ", max_size=300), st.integers(min_value=5, max_value=40))
def test_split_text_keeps_every_character_but_the_cut_newlines(text, size):
    chunks = split_text(text, size)
    assert all(len(c) <= size for c in chunks)
    assert "".join(chunks).replace("\n", "") == text.replace("\n", "")
    if len(text) <= size:
        assert chunks == [text]


def test_long_text_then_files_buttons_on_the_last_text():
    rendered = Rendered(
        "行\n" * 3000,
        buttons=((Button("接受", callback_data="a:1"),),),
        files=(OutFile("通知书.pdf", b"%PDF"), OutFile("现场.jpg", b"\xff\xd8", kind="photo")),
    )
    requests = requests_for(rendered)
    assert [r.method for r in requests] == [
        "send_message",
        "send_message",
        "send_document",
        "send_photo",
    ]
    assert requests[0].args["reply_markup"] is None
    assert requests[1].args["reply_markup"].inline_keyboard[0][0].callback_data == "a:1"
    assert requests[2].args["document"].filename == "通知书.pdf"
