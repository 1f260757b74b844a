"""Which module renders which outbox kind: the one table the sender renders with.

Each module in MODULES declares the kinds it renders in a plain `RENDERERS` mapping. A kind
that reaches several audiences is composed here, in SHARED, with each audience's renderer
named. Building the table refuses a kind declared twice, so no module silently takes over
another's kind.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot import enroll
from bot.coordinator import notices as coordinator_notices
from bot.coordinator import review as coordinator_review
from bot.delivery.render import Renderer, by_recipient
from bot.inspector import assignment, notice, reviewed, signing
from domain.storage.models import RecipientKind

MODULES = (
    enroll,
    assignment,
    notice,
    reviewed,
    signing,
    coordinator_review,
    coordinator_notices,
)

OVERDUE = "task.overdue"

SHARED: dict[str, Renderer] = {
    # The team hears about its own tasks; the coordinators get the campaign's list.
    OVERDUE: by_recipient(
        {
            RecipientKind.INSPECTOR: assignment.remind_overdue,
            RecipientKind.COORDINATOR: coordinator_notices.overdue_for_coordinator,
        }
    ),
}


def renderer_table(*extra: Mapping[str, Renderer]) -> dict[str, Renderer]:
    """Every outbox kind the bot renders, with its renderer; `extra`: more kinds (a test's or
    a bench's own). Raises ValueError naming a kind declared twice and where."""
    sources = [(module.__name__, module.RENDERERS) for module in MODULES]
    sources.append((f"{__name__}.SHARED", SHARED))
    sources += [(f"extra #{n}", renderers) for n, renderers in enumerate(extra, start=1)]
    table: dict[str, Renderer] = {}
    declared_in: dict[str, str] = {}
    for where, renderers in sources:
        for kind, fn in renderers.items():
            if kind in table:
                raise ValueError(
                    f"outbox kind {kind!r} has two renderers, in {declared_in[kind]} and in "
                    f"{where}: keep one"
                )
            table[kind], declared_in[kind] = fn, where
    return table
