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
