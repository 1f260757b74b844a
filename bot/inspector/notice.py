"""The inspection notice (行政检查通知书) in the chat: the PDF each member shows on site.

It follows each assignment as a message of its own, and goes again to the others when a
newcomer joins the team (their notice must name the inspectors who actually come): the domain
queues both when it records an assignment as delivered (domain/messaging/delivery.py). It is also
sent on request with the 📄 button of the current task. A notice is the same for the whole team and
takes seconds to render with a large CJK font: rendered once per content, one at a time (CPU
work in a thread anyway).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import weakref
from collections import OrderedDict
from dataclasses import dataclass

from telegram import InputFile, Update

from bot.buttons import button_id
from bot.delivery.render import OutFile, Outgoing, Rendered, Renderer
from bot.i18n import t
from bot.inspector.tasks import Context, recipient_actor, refuse
from bot.session import session_of
from domain.config import Settings
from domain.errors import PermissionDenied, UserError
from domain.messaging.kinds import NOTICE
from domain.notice import CjkFont, NoticeData, find_cjk_font, render_notice
from domain.notice.service import notice_data
from domain.tasks.views import TaskView, load_task, require_member

log = logging.getLogger(__name__)
CACHE_SIZE = 32


@dataclass
class _Config:
    font_path: str = ""


CONFIG = _Config()


def configure(settings: Settings) -> None:
    CONFIG.font_path = settings.font_path


# -- the file ------------------------------------------------------------------------------

_pdfs: OrderedDict[tuple[NoticeData, str], bytes] = OrderedDict()
_locks: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _lock() -> asyncio.Lock:
    """One lock per event loop (tests run several loops in one process)."""
    loop = asyncio.get_running_loop()
    if loop not in _locks:
        _locks[loop] = asyncio.Lock()
    return _locks[loop]


@functools.lru_cache(maxsize=4)
def _font(configured: str) -> CjkFont:
    return find_cjk_font(configured)


async def notice_pdf(data: NoticeData) -> bytes:
    key = (data, CONFIG.font_path)
    async with _lock():
        if key in _pdfs:
            _pdfs.move_to_end(key)
            return _pdfs[key]
        font = await asyncio.to_thread(_font, CONFIG.font_path)
        pdf = await asyncio.to_thread(render_notice, data, font)
        _pdfs[key] = pdf
        while len(_pdfs) > CACHE_SIZE:
            _pdfs.popitem(last=False)
        return pdf


async def notice_file(view: TaskView) -> tuple[str, bytes]:
    """(file name, PDF) of the task's notice as its team now is; the caller has checked that
    the reader may see the task (load_task)."""
    pdf = await notice_pdf(await notice_data(view))
    return f"行政检查通知书-{view.task.number}.pdf", pdf


# -- sending -------------------------------------------------------------------------------


async def notice_message(out: Outgoing) -> Rendered | None:
    actor = await recipient_actor(out)
    try:
        view = await load_task(actor, out.payload["task_id"], purpose="notice")
    except PermissionDenied:
        return None
    if view.member_for(actor) is None:
        return None
    try:
        name, pdf = await notice_file(view)
    except UserError as error:  # no usable CJK font: said so, and the coordinator has it
        log.warning("notice %s not rendered: %s", out.outbox_id, type(error).__name__)
        return Rendered(t(out.lang, "assign.notice_missing"))
    changed = out.payload.get("team_changed")
    caption = t(out.lang, "notice.team_changed" if changed else "assign.notice_caption")
    return Rendered("", files=(OutFile(name, pdf, caption=caption),))


async def notice_button(update: Update, context: Context) -> None:
    """📄 on the current task: the notice as the team now is."""
    session = session_of(context)
    query = update.callback_query
    try:
        view = await load_task(session.actor, button_id(query.data), purpose="notice")
        require_member(session.actor, view)
        name, pdf = await notice_file(view)
    except UserError as error:
        await refuse(update, context, error)
        return
    await query.answer()
    await update.effective_chat.send_document(
        InputFile(pdf, filename=name),
        caption=t(session.lang, "assign.notice_caption"),
        protect_content=True,
    )


RENDERERS: dict[str, Renderer] = {NOTICE: notice_message}
