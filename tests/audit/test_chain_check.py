"""The pure chain check: every kind of tampering is named at the right entry."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from domain.audit.chain import (
    GENESIS_HASH,
    ChainChecker,
    Link,
    Problem,
    VerifyResult,
    hashed_text,
    link_hash,
    sealed,
)


def make_chain(n: int) -> list[Link]:
    chain: list[Link] = []
    prev = GENESIS_HASH
    for seq in range(1, n + 1):
        link = sealed(
            Link(
                seq=seq,
                at=f"2025-10-{1 + seq % 28:02d}T08:00:00.{seq:06d}Z",
                actor=f"inspector:CERT{seq}",
                action="task.accept",
                object_kind="task",
                object_id=str(seq),
                before='{"state":"notified"}',
                after='{"state":"accepted"}',
                data="{}",
                prev_hash=prev,
                hash="",
            )
        )
        chain.append(link)
        prev = link.hash
    return chain


def check(links: list[Link], head: tuple[int, str] | None) -> VerifyResult:
    checker = ChainChecker()
    for link in sorted(links, key=lambda x: x.seq):
        if not checker.feed(link):
            break
    return checker.result(head)


def head_of(chain: list[Link]) -> tuple[int, str]:
    return chain[-1].seq, chain[-1].hash


def test_hash_definition_is_pinned():
    """The docstring's definition, spelled out: an auditor can reproduce this by hand."""
    link = Link(
        seq=1,
        at="2025-01-02T03:04:05.000006Z",
        actor="coordinator:12",
        action="task.cancel",
        object_kind="task",
        object_id="7",
        before=None,
        after='{"reason":"企业已注销"}',
        data="{}",
        prev_hash=GENESIS_HASH,
        hash="",
    )
    text = (
        '{"action":"task.cancel","actor":"coordinator:12",'
        '"after":"{\\"reason\\":\\"企业已注销\\"}","at":"2025-01-02T03:04:05.000006Z",'
        '"before":null,"data":"{}","object_id":"7","object_kind":"task",'
        f'"prev_hash":"{"0" * 64}","seq":1}}'
    )
    assert hashed_text(link) == text
    assert link_hash(link) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_a_sound_chain_and_an_empty_one_verify():
    chain = make_chain(30)
    result = check(chain, head_of(chain))
    assert result.ok and result.entries == 30 and result.head_hash == chain[-1].hash
    assert check([], None).ok and check([], None).head_hash == GENESIS_HASH
    assert result.describe() == f"audit chain OK: 30 entries, head {chain[-1].hash} (审计链完整)"


FIELDS = ["at", "actor", "action", "object_kind", "object_id", "before", "after", "data", "hash"]


@given(n=st.integers(2, 25), data=st.data())
def test_any_edited_field_is_named(n, data):
    chain = make_chain(n)
    i = data.draw(st.integers(0, n - 1))
    name = data.draw(st.sampled_from(FIELDS))
    chain[i] = replace(chain[i], **{name: "x" + str(getattr(chain[i], name))})
    result = check(chain, head_of(make_chain(n)))
    assert (result.problem, result.broken_seq) == (Problem.EDITED, i + 1)
    assert result.entries == i and f"entry {i + 1} was edited" in result.detail


@given(n=st.integers(3, 25), data=st.data())
def test_a_deleted_middle_entry_is_named(n, data):
    chain = make_chain(n)
    i = data.draw(st.integers(0, n - 2))
    del chain[i]
    result = check(chain, head_of(make_chain(n)))
    assert (result.problem, result.broken_seq) == (Problem.GAP, i + 1)


@given(n=st.integers(3, 25), data=st.data())
def test_swapped_entries_are_named(n, data):
    chain = make_chain(n)
    i = data.draw(st.integers(0, n - 2))
    a, b = chain[i], chain[i + 1]
    chain[i], chain[i + 1] = replace(b, seq=a.seq), replace(a, seq=b.seq)
    result = check(chain, head_of(chain))
    assert (result.problem, result.broken_seq) == (Problem.LINK, i + 1)


@given(n=st.integers(2, 25), data=st.data())
def test_a_forged_entry_inserted_and_renumbered_is_named(n, data):
    chain = make_chain(n)
    i = data.draw(st.integers(1, n - 1))  # forged entry becomes seq i + 1
    forged = sealed(replace(chain[i], seq=i + 1, actor="forger", prev_hash=chain[i - 1].hash))
    later = [replace(link, seq=link.seq + 1) for link in chain[i:]]
    result = check([*chain[:i], forged, *later], head_of(chain))
    # The forgery itself links well; the first entry after it cannot.
    assert (result.problem, result.broken_seq) == (Problem.LINK, i + 2)


def test_a_rewritten_entry_with_a_recomputed_hash_breaks_the_next_link():
    chain = make_chain(10)
    chain[4] = sealed(replace(chain[4], actor="someone else"))
    result = check(chain, head_of(chain))
    assert (result.problem, result.broken_seq) == (Problem.LINK, 6)
    assert "entry 5 was rewritten" in result.detail


@given(n=st.integers(2, 25), data=st.data())
def test_a_truncated_tail_is_named(n, data):
    chain = make_chain(n)
    keep = data.draw(st.integers(0, n - 1))
    result = check(chain[:keep], head_of(chain))
    assert (result.problem, result.broken_seq) == (Problem.TRUNCATED, keep + 1)
    assert result.entries == keep


def test_entries_appended_past_the_head_are_named():
    chain = make_chain(6)
    result = check(chain, head_of(chain[:4]))
    assert (result.problem, result.broken_seq) == (Problem.EXTENDED, 5)


def test_a_replaced_last_entry_or_missing_head_is_named():
    chain = make_chain(6)
    replaced = [*chain[:5], sealed(replace(chain[5], action="draw.reveal"))]
    result = check(replaced, head_of(chain))
    assert (result.problem, result.broken_seq) == (Problem.HEAD, 6)
    assert check(chain, None).problem is Problem.HEAD
