"""What `shuangsuiji list KIND` prints for the demo's directories, as text and as `--json`,
compared with the output recorded in snapshots/list_demo.txt (made by the ORM's listing before
the listing read plain SQL): every kind, all records and a limit; nested departments, a ratio,
inactive inspectors and experts, several categories, closed and deregistered targets."""

from __future__ import annotations

from pathlib import Path

SNAPSHOT = Path(__file__).with_name("snapshots") / "list_demo.txt"
PROMPT = "$ shuangsuiji "


def recorded() -> list[tuple[list[str], str]]:
    """(arguments, output) for each command in the snapshot, in order."""
    cases: list[tuple[list[str], str]] = []
    for line in SNAPSHOT.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith(PROMPT):
            cases.append((line[len(PROMPT) :].split(), ""))
        else:
            argv, text = cases[-1]
            cases[-1] = (argv, text + line)
    return cases


def test_list_prints_what_it_printed_before(shuangsuiji):
    assert shuangsuiji("demo", "--directories-only").returncode == 0
    cases = recorded()
    assert {argv[1] for argv, _ in cases} == {
        "departments", "items", "targets", "inspectors", "conflicts"
    }  # fmt: skip
    for argv, expected in cases:
        shown = shuangsuiji(*argv)
        assert (shown.returncode, shown.stderr) == (0, ""), argv
        assert shown.stdout == expected, " ".join(argv)
