"""What coordinators read, as plain functions over plain values: the prepared draw, its result,
a campaign's status, a report awaiting review, the drawn list; and the parsing of what they
type (dice digits, dates). No Telegram and no database here."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.i18n import due_text, provisional_note, t
from domain.campaigns.prepare import PreparedDraw
from domain.campaigns.reveal import RevealResult
from domain.campaigns.status import CampaignStatusReport
from domain.draw.seed import MIN_DICE_DIGITS
from domain.rules.lifecycle import STATE_LABELS
from domain.rules.report import FOLLOW_UP_LABELS, RESULT_CATEGORIES, FollowUpAction

# As domain.draw.seed reads dice: parties separated by spaces, commas, slashes, | or ;.
_SEPARATORS = re.compile(r"[\s,，/|;；、]+")
_DATE = re.compile(r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?")
MAX_LISTED = 30  # overdue task numbers shown in one status message
_EN_STATE = {zh: en for zh, en in STATE_LABELS.values()}


# -- what coordinators type ----------------------------------------------------------------


def dice_digits(text: str) -> str | None:
    """The digits of one party's dice, or None if the text holds anything but digits and
    separators (full-width digits included: the domain accepts only 0-9)."""
    digits = _SEPARATORS.sub("", text)
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def dice_entropy(parts: Sequence[str]) -> str:
    """The parties' rolls in the order entered, as the domain reads them."""
    return " / ".join(parts)


def missing_digits(parts: Sequence[str]) -> int:
    return max(0, MIN_DICE_DIGITS - sum(len(p) for p in parts))


def parse_dates(text: str) -> tuple[dt.date, dt.date] | None:
    """Two dates (start, due) written as 2026-11-02, 2026/11/2 or 2026年11月2日."""
    found = _DATE.findall(text)
    if len(found) != 2:
        return None
    try:
        start, due = (dt.date(int(y), int(m), int(d)) for y, m, d in found)
    except ValueError:
        return None
    return start, due


# -- the draw ------------------------------------------------------------------------------


def prepared_text(lang: str, prepared: PreparedDraw, name: str) -> str:
    lines = [
        t(lang, "draw.prepared", code=prepared.campaign, name=name),
        *(
            t(
                lang,
                "draw.stratum",
                name=s.name,
                eligible=s.eligible,
                ratio=s.ratio_percent,
                take=s.take,
            )
            for s in prepared.strata
        ),
        t(
            lang,
            "draw.totals",
            eligible=sum(s.eligible for s in prepared.strata),
            take=sum(s.take for s in prepared.strata),
        ),
        t(
            lang,
            "draw.pool",
            size=prepared.pool_size,
            digest=prepared.pool_digest,
            snapshot=prepared.pool_snapshot_digest,
        ),
        t(lang, "draw.commitment", commitment=prepared.commitment),
    ]
    if prepared.practice:
        lines.insert(1, t(lang, "draw.practice"))
    if prepared.beacon:
        lines.append(
            t(
                lang,
                "draw.beacon",
                source=prepared.beacon.get("source", ""),
                round=prepared.beacon.get("round", ""),
            )
        )
    return "\n".join(lines)


def ratios_text(lang: str, ratios: dict[str, str]) -> str:
    """A campaign's ratios per risk class, high risk last: "A 类 1%、B 类 2%、……、高风险 50%"."""
    parts = [
        t(lang, "draw.ratio_high" if key == "high" else "draw.ratio", cls=key, percent=percent)
        for key, percent in sorted(ratios.items(), key=lambda kv: (kv[0] == "high", kv[0]))
    ]
    return t(lang, "draw.ratio_sep").join(parts)


def dice_progress_text(lang: str, parts: Sequence[str]) -> str:
    total = sum(len(p) for p in parts)
    head = t(lang, "draw.dice_got", parts=len(parts), digits=total, dice=dice_entropy(parts))
    missing = missing_digits(parts)
    more = t(lang, "draw.dice_more", missing=missing) if missing else t(lang, "draw.dice_enough")
    return f"{head}\n{more}"


def result_text(lang: str, result: RevealResult) -> str:
    strata = "\n".join(
        t(lang, "draw.result_stratum", name=name, count=count)
        for name, count in result.per_stratum.items()
    )
    key = "draw.result_practice" if result.practice else "draw.result"
    f = result.fairness
    fairness = t(
        lang, "draw.result_fairness", most=f.most, least=f.least, mean=f.mean, officers=f.officers
    )
    values = {"code": result.campaign, "tasks": result.tasks, "record_hash": result.record_hash}
    return t(lang, key, strata=strata, fairness=fairness, **values)


@dataclass(frozen=True)
class ListedTask:
    number: str
    target: str
    stratum: str
    state: str  # domain.rules.lifecycle.TaskState value
    team: list[str]  # "name（组长）" ...


def state_label(lang: str, state: str) -> str:
    for key, (zh, en) in STATE_LABELS.items():
        if key.value == state:
            return en if lang == "en" else zh
    return state


def task_list_text(lang: str, code: str, tasks: Iterable[ListedTask]) -> str:
    rows = list(tasks)
    lines = [t(lang, "coord.list.head", code=code, count=len(rows))]
    for row in rows:
        lines.append(
            t(
                lang,
                "coord.list.row",
                number=row.number,
                target=row.target,
                stratum=row.stratum,
                state=state_label(lang, row.state),
                team="、".join(row.team) if lang != "en" else ", ".join(row.team),
            )
        )
    return "\n".join(lines)


def member_label(lang: str, name: str, role: str) -> str:
    return name if role == "member" else f"{name}{t(lang, f'coord.member.{role}')}"


# -- status --------------------------------------------------------------------------------


def status_text(lang: str, report: CampaignStatusReport) -> str:
    lines = [
        t(
            lang,
            "status.head",
            code=report.code,
            name=report.name,
            status=t(lang, f"coord.campaign.{report.status}"),
        )
    ]
    if report.by_state:
        shown = [
            (_EN_STATE.get(s, s) if lang == "en" else s, n) for s, n in report.by_state.items()
        ]
        sep = ", " if lang == "en" else "，"
        lines.append(t(lang, "status.states", states=sep.join(f"{s} {n}" for s, n in shown)))
    else:
        lines.append(t(lang, "status.no_tasks"))
    if report.overdue:
        listed = "、".join(report.overdue[:MAX_LISTED])
        more = len(report.overdue) - MAX_LISTED
        lines.append(t(lang, "status.overdue", count=len(report.overdue), tasks=listed))
        if more > 0:
            lines.append(t(lang, "status.more", count=more))
    if report.anomalies:
        flagged = "、".join(f"{n}（{c}）" for n, c in report.anomalies.items())
        lines.append(t(lang, "status.anomalies", count=len(report.anomalies), tasks=flagged))
    assumed: set[int] = set()
    if report.due_date and report.status == "drawn":
        left = report.workdays_left_assumed
        due_line = t(lang, "status.due", due=report.due_date, left=report.workdays_left)
        lines.append(due_line + (t(lang, "deadline.provisional", due="") if left else ""))
        assumed |= left
    if report.results_due and report.status != "published":
        due = report.results_due
        lines.append(t(lang, "status.results_due", due=due_text(lang, due.due, due.assumed)))
        assumed |= due.assumed
    for decision, due in report.penalties_due:
        shown = due_text(lang, due.due, due.assumed)
        lines.append(t(lang, "status.penalty_due", decision=decision, due=shown))
        assumed |= due.assumed
    if assumed:
        lines.append(provisional_note(lang, assumed))
    return "\n".join(lines)


# -- a report awaiting review --------------------------------------------------------------


@dataclass(frozen=True)
class PhotoLine:
    index: int
    sha256: str
    anomalies: list[str]  # messages, in the reader's language


@dataclass(frozen=True)
class ReviewFacts:
    number: str
    revision: int
    target: str
    address: str
    team: list[str]
    checkin: str | None
    data: dict
    notes: int
    photos: list[PhotoLine]


def _category(lang: str, code: str) -> str:
    zh, en = RESULT_CATEGORIES.get(code, (code, code))
    return f"{code} {en if lang == 'en' else zh}"


def _follow_up(lang: str, value: str) -> str:
    try:
        zh, en = FOLLOW_UP_LABELS[FollowUpAction(value)]
    except ValueError:
        return value
    return en if lang == "en" else zh


def review_text(lang: str, facts: ReviewFacts) -> str:
    data = facts.data
    sep = ", " if lang == "en" else "、"
    lines = [
        t(lang, "coord.review.head", number=facts.number, revision=facts.revision),
        t(lang, "coord.review.target", target=facts.target, address=facts.address),
        t(lang, "coord.review.team", team=sep.join(facts.team)),
        t(lang, "coord.review.checkin", at=facts.checkin or t(lang, "coord.review.none")),
        t(
            lang,
            "coord.review.result",
            categories=sep.join(_category(lang, c) for c in data.get("result_categories") or ()),
        ),
    ]
    for key in ("findings", "evaluation", "handling_opinion"):
        if data.get(key):
            lines.append(t(lang, f"coord.review.{key}", text=data[key]))
    if data.get("follow_up_action"):
        lines.append(
            t(lang, "coord.review.follow_up", action=_follow_up(lang, data["follow_up_action"]))
        )
    flagged = [p for p in facts.photos if p.anomalies]
    lines.append(
        t(
            lang,
            "coord.review.evidence",
            notes=facts.notes,
            photos=len(facts.photos),
            flagged=len(flagged),
        )
    )
    for photo in flagged:
        for message in photo.anomalies:
            lines.append(t(lang, "coord.review.anomaly", index=photo.index, message=message))
    lines.append(t(lang, "coord.review.ask"))
    return "\n".join(lines)


def photo_caption(lang: str, photo: PhotoLine, total: int) -> str:
    head = t(lang, "coord.review.photo", index=photo.index, total=total, sha=photo.sha256[:12])
    return "\n".join([head, *(f"⚠ {m}" for m in photo.anomalies)])[:1024]
