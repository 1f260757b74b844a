# ruff: noqa: E501  (sentences read better whole than wrapped)
"""Everything the bot says, in English (`/lang en`); a missing key falls back to Chinese."""

TEXTS: dict[str, str] = {
    "stranger": "Hello, this bot serves enrolled inspectors and coordinators only; please ask your coordinator for an invitation link.",
    "private_only": "To keep inspections confidential, please talk to me in a private chat; I share nothing about tasks in groups or channels.",
    "role.inspector": "inspector",
    "role.coordinator": "coordinator",
    "start.bound": "You are enrolled, {name}, as {role}. Send /help to see what you can do.",
    "start.welcome": "Hello {name}! Send /help to see what you can do.",
    "help.inspector": (
        "Commands:\n"
        "/tasks my open tasks (the one you choose becomes the current task)\n"
        "/report fill in the report of the current task\n"
        "/lang zh switch to Chinese (/lang en for English)\n"
        "Share your location to check in on site; text, photos and files go to the current "
        "task. Send photos as files to keep their capture time and place."
    ),
    "help.coordinator": (
        "Commands:\n"
        "/draw start a draw\n"
        "/status progress of a campaign\n"
        "/invite inspector CERT_NO — invite an inspector\n"
        "/invite coordinator ID — invite a coordinator\n"
        "/unbind inspector CERT_NO — release an account (e.g. a lost phone)\n"
        "/lang zh switch to Chinese (/lang en for English)"
    ),
    "lang.usage": "Usage: /lang zh (中文) or /lang en (English). Current language: English.",
    "lang.set": "Language set to English.",
    "invite.usage": "Usage: /invite inspector CERT_NO or /invite coordinator ID",
    "invite.link": (
        "One-time invitation for {role} {name}, valid until {expires}, usable once:\n{link}\n"
        "Hand it over privately; never post it in a group."
    ),
    "unbind.usage": "Usage: /unbind inspector CERT_NO or /unbind coordinator ID",
    "unbind.done": "The Telegram account of {role} {name} is released. Send a new /invite to bind again.",
    "fallback": "Sorry, I did not understand that. Send /help to see what you can do.",
    "callback.stale": "This button is no longer valid.",
    "error.permission": "Only coordinators of this level or above may do this.",
    "error.generic": "Something went wrong; please try again later, and tell your coordinator if it persists.",
    "error.unknown": "This invitation code is not valid; check the link or ask your coordinator for a new one.",
    "error.expired": "This invitation has expired; please ask your coordinator for a new one.",
    "error.used": "This invitation was already used; each works once. Ask your coordinator for a new one.",
    "error.revoked": "This invitation was revoked; please ask your coordinator for a new one.",
    "error.account_taken": "Your Telegram account is already bound to someone; one account binds one person.",
    "error.person_bound": "This person already has a Telegram account bound; /unbind it first.",
    "error.inactive": "This person is inactive; the invitation is no longer valid.",
    "error.not_bound": "This person has no Telegram account bound.",
    "notice.generic": "You have a new notification; send /help to see what you can do.",
    "notice.blocked": (
        "The {role} {name}{cert} blocked this bot and receives no task notifications. Please "
        "contact them; if they changed accounts, /unbind and invite them again."
    ),
    # --- inspector ---
    "insp.task_name": "{target} ({number})",
    "insp.no_tasks": "You have no open inspection tasks.",
    "insp.choose_task": "You have several open tasks: send /tasks and choose the current one first.",
    "insp.not_yours": "No such task, or it is not yours.",
    "insp.tasks.header": "Your open tasks (choose one to make it the current task):",
    "insp.tasks.line": "{n}. {name}\n   {state}, due {due}{mark}",
    "insp.tasks.current": " [current]",
    "insp.current.set": "Current task: {name}, {state}.",
    "insp.hint.drawn": "Press Accept or Declare conflict in the task message.",
    "insp.hint.notified": "Press Accept or Declare conflict in the task message.",
    "insp.hint.accepted": "On site, check in by sharing your location (📎 → Location).",
    "insp.hint.on_site": "Send notes, photos (as files, please) and files now; send /report when the inspection is over.",
    "insp.hint.report_drafted": "The report is being drafted: send /report to read, sign or submit it.",
    "insp.hint.returned": "The report was returned: send /report to revise it, then sign and submit again.",
    "btn.accept": "✅ Accept",
    "btn.conflict": "🚫 Declare conflict",
    "member.leader": "leader",
    "member.member": "member",
    "member.expert": "expert",
    "assign.member": "{name} ({role}){you}",
    "assign.you": " ← you",
    "assign.text": (
        "[Inspection task] {number}\n"
        "Campaign: {campaign} ({campaign_code})\n"
        "Business: {target}\n"
        "Unified social credit code: {credit_code}\n"
        "Address: {address}\n"
        "Items:\n{items}\n"
        "Period: {start} to {due}\n"
        "Your role: {role}\n"
        "Team: {team}"
    ),
    "assign.replacement": "A member declared a conflict of interest; you were drawn at random to replace them.",
    "assign.ask": "Do you have any conflict of interest with this business? If not, press Accept; if so, press Declare conflict and give the reason.",
    "assign.secret": "This task is confidential until the results are published: do not forward, copy or disclose it.",
    "assign.notice_caption": "Inspection notice (show it on site)",
    "assign.notice_missing": "The inspection notice could not be produced; please ask your coordinator for it.",
    "notice.team_changed": "The team has changed: this is the updated inspection notice; use this one.",
    "btn.notice": "📄 Inspection notice",
    "accept.answer": "Accepted",
    "accept.done": "You accepted the task: {name}.",
    "accept.team_done": "The whole team has accepted. On site, check in by sharing your location (📎 → Location).",
    "accept.waiting": "Waiting for the rest of the team to accept; then you can check in on site.",
    "conflict.ask": "You are declaring a conflict for: {name}.\nPlease reply with the reason (e.g. a close relative manages the business). Send /cancel to stop.",
    "conflict.done": "Your conflict is recorded; a replacement has been drawn at random and you are no longer on this task.",
    "conflict.cancelled": "Conflict declaration cancelled; nothing changed.",
    "checkin.done": "Checked in: {name}\nTime: {time}, location: {lat:.5f}, {lon:.5f}\nNotes, photos and files you send now go to the current task.",
    "note.saved": "Added to {name}: {kind} #{id}",
    "note.kind.condition": "site conditions",
    "note.kind.problem": "problem found",
    "note.kind.interview": "interview record",
    "note.kind.document": "documentary evidence",
    "note.kind.note": "note",
    "note.document_howto": "For a document or object, send text: first line 'document: what it is', then a line 'source: where it came from'. Other notes may start with 'condition:', 'problem:' or 'interview:'.",
    "photo.saved": "Photo #{id}, SHA-256 {hash}…",
    "photo.anomaly": "  ⚠️ {message}",
    "photo.refused": "✖ {message}",
    "photo.compressed": "Note: Telegram compresses photos sent as photos and removes their EXIF (capture time and place), so the reviewer cannot check where they were taken. Send the original with 📎 → File instead.",
    "photo.header": "Added to {name}:",
    "album.header": "Album added to {name} ({count} items):",
    "file.unnamed": "(no file name)",
    "file.too_big": "The file '{name}' is {size} MB, over the 20 MB that bots may download from Telegram; it was not saved. Compress or split it and send it again, or upload it with the field app.",
    "report.start": "Report for {name}. Answer each question; send /cancel at any time to stop (nothing is saved).",
    "report.q.started_at": "When did the inspection start? E.g. 2026-11-10 09:30, or use a button.",
    "report.q.ended_at": "When did it end? E.g. 2026-11-10 11:00.",
    "report.q.content": "What was inspected?",
    "report.q.methods": "Inspection methods (choose one or more, then Done):",
    "report.q.methods_other": "Describe the 'other' method:",
    "report.q.steps": "Method and steps?",
    "report.q.findings": "Findings?",
    "report.q.evaluation": "Your evaluation of the business?",
    "report.q.handling_opinion": "Proposed handling?",
    "report.q.result_categories": "Result (choose one or more, then Done; 'no problem found' excludes the others):",
    "report.q.follow_up_action": "Follow-up action:",
    "report.q.follow_up_state": "Follow-up state:",
    "report.q.follow_up_closed_on": "Closing date? E.g. 2026-11-20.",
    "report.q.follow_up_recipient": "Transferred or copied to which department?",
    "report.q.follow_up_note": "Describe the follow-up:",
    "report.q.correction_items": "What must be corrected?",
    "report.q.correction_deadline": "Correction deadline? E.g. 2026-12-31.",
    "report.before": "Before: {value}",
    "report.btn.now": "Now",
    "report.btn.checkin": "Check-in time",
    "report.btn.items": "The notice's items",
    "report.btn.keep": "Keep",
    "report.btn.done": "Done",
    "report.btn.save": "💾 Save the report",
    "report.btn.redo": "Start over",
    "report.btn.cancel": "Cancel",
    "report.btn.sign": "✍️ Sign",
    "report.btn.submit": "📤 Submit",
    "report.btn.edit": "✏️ Edit",
    "report.bad_moment": "'{value}' is not a valid time; write it like 2026-11-10 09:30.",
    "report.bad_date": "'{value}' is not a valid date; write it like 2026-12-31.",
    "report.empty": "This cannot be empty; please write something.",
    "report.use_buttons": "Please use the buttons above.",
    "report.confirm": "Please check the report:\n\n{summary}",
    "report.problems": "Before it can be submitted:\n{problems}",
    "report.cancelled": "Report entry stopped; nothing saved.",
    "report.saved": "Report saved (revision {revision}); your teammates are asked to confirm it. Please sign it too:",
    "report.hub": "Report of {name} (revision {revision}):\n\n{summary}\n\nSign it, submit it (everyone must have signed) or edit it (then everyone signs again).",
    "sign.request": "{author} wrote the report of {name} (revision {revision}). Please read it and sign:\n\n{summary}",
    "sign.answer": "Signed",
    "sign.stale": "The report has changed (now revision {revision}); read the new one before signing.",
    "sign.done": "You signed revision {revision}. Still to sign: {names}.",
    "sign.all_done": "Everyone on the team signed revision {revision}; the report can be submitted.",
    "signed.ready": "The report of {name} (revision {revision}) is signed by the whole team; please submit it:",
    "submit.done": "Report submitted; it now awaits the coordinator's review.",
    "remind.line": "· {name} — {state}",
    "remind.accept": "Reminder: please accept these tasks or declare a conflict:\n{tasks}",
    "remind.due": "Reminder: these tasks are due on {due}, in {days} working day(s):\n{tasks}",
    "remind.overdue": "These tasks are past their due date ({due}); please finish and submit the report:\n{tasks}",
    "remind.followup": "Follow-up reminder: the correction deadline for {name} is {due}{when}; please re-check on time.\nTo correct: {what}",
    "remind.when.tomorrow": " (next working day)",
    "remind.when.today": " (today)",
    "cmd.start": "Start",
    "cmd.help": "Help",
    "cmd.lang": "Language / 切换语言",
    "cmd.tasks": "My tasks",
    "cmd.report": "Fill in a report",
    "cmd.draw": "Start a draw",
    "cmd.status": "Campaign progress",
    "cmd.invite": "Invite someone",
    "cmd.unbind": "Release an account",
}
