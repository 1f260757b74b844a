# ruff: noqa: E501  (sentences read better whole than wrapped)
"""Everything the bot says, in Simplified Chinese (the default language)."""

TEXTS: dict[str, str] = {
    # Strangers and groups: one sentence each, and nothing about tasks.
    "stranger": "您好，本机器人仅供已登记的执法检查人员和协调员使用，如需使用请向所在单位协调员索取邀请链接。",
    "private_only": "为保护抽查信息，请在与本机器人的私聊中使用，群组和频道中不提供任何任务信息。",
    "role.inspector": "执法检查人员",
    "role.coordinator": "协调员",
    "start.bound": "绑定成功！{name}，您已登记为{role}。发送 /help 查看可用指令。",
    "start.welcome": "{name}，您好！发送 /help 查看可用指令。",
    "help.inspector": (
        "可用指令：\n"
        "/tasks 我的待办任务（选中后即为“当前任务”）\n"
        "/report 填写当前任务的检查报告\n"
        "/lang en 切换为英文（/lang zh 切换回中文）\n"
        "现场签到请发送位置；发送文字、照片或文件会记入当前任务。"
        "照片请以“文件”方式发送，以保留拍摄时间和地点信息。"
    ),
    "help.coordinator": (
        "可用指令：\n"
        "/draw 发起抽取\n"
        "/status 查看抽查进度\n"
        "/invite inspector 执法证号 —— 邀请检查人员\n"
        "/invite coordinator 编号 —— 邀请协调员\n"
        "/unbind inspector 执法证号 —— 解绑（如更换手机）\n"
        "/lang en 切换为英文（/lang zh 切换回中文）"
    ),
    "lang.usage": "用法：/lang zh（中文）或 /lang en（English）。当前语言：中文。",
    "lang.set": "已切换为中文。",
    "invite.usage": "用法：/invite inspector 执法证号 或 /invite coordinator 协调员编号",
    "invite.link": (
        "已为{role}{name}生成一次性邀请链接，{expires}前有效，只能使用一次：\n{link}\n"
        "请通过可靠渠道私下转交本人，切勿转发到群组。"
    ),
    "unbind.usage": "用法：/unbind inspector 执法证号 或 /unbind coordinator 协调员编号",
    "unbind.done": "已解绑{role}{name}的 Telegram 账号。如需重新绑定，请用 /invite 发送新的邀请。",
    "fallback": "没有理解您的消息，发送 /help 查看可用指令。",
    "callback.stale": "该按钮已失效。",
    "error.permission": "只有本级或上级抽查组织单位的协调员可以执行此操作。",
    "error.generic": "处理时出错，请稍后再试；如多次出现，请联系协调员。",
    "error.unknown": "邀请码无效，请核对链接或向协调员索取新的邀请。",
    "error.expired": "该邀请已过期，请向协调员索取新的邀请。",
    "error.used": "该邀请已使用过，每个邀请只能使用一次；如需重新绑定，请向协调员索取新的邀请。",
    "error.revoked": "该邀请已被撤销，请向协调员索取新的邀请。",
    "error.account_taken": "您的 Telegram 账号已绑定其他人员，一个账号只能绑定一人；如有疑问请联系协调员。",
    "error.person_bound": "该人员已绑定 Telegram 账号；如需更换账号，请先用 /unbind 解绑。",
    "error.inactive": "该人员已停用，邀请不再有效。",
    "error.not_bound": "该人员尚未绑定 Telegram 账号。",
    "notice.generic": "您有一条新的通知，请发送 /help 查看可用指令，或登录系统查看详情。",
    "notice.blocked": (
        "{role}{name}{cert}已屏蔽本机器人，将收不到任务通知。请与本人联系；"
        "如已更换账号，请用 /unbind 解绑后重新邀请。"
    ),
    # Command menus (descriptions, at most 256 characters each).
    "cmd.start": "开始使用",
    "cmd.help": "帮助",
    "cmd.lang": "切换语言 / Language",
    "cmd.tasks": "我的任务",
    "cmd.report": "填写检查报告",
    "cmd.draw": "发起抽取",
    "cmd.status": "抽查进度",
    "cmd.invite": "邀请人员",
    "cmd.unbind": "解绑账号",
}
