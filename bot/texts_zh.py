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
    # --- inspector ---
    "insp.task_name": "{target}（{number}）",
    "insp.no_tasks": "您目前没有待办的抽查任务。",
    "insp.choose_task": "您有多项待办任务，请先发送 /tasks 选择当前任务。",
    "insp.not_yours": "没有找到该任务，或该任务不属于您。",
    "insp.tasks.header": "您的待办任务（点选一项设为当前任务）：",
    "insp.tasks.line": "{n}. {name}\n   {state}，期限 {due}{mark}",
    "insp.tasks.current": "【当前任务】",
    "insp.current.set": "当前任务：{name}，状态：{state}。",
    "insp.hint.drawn": "请在任务消息中点「接受任务」或「申请回避」。",
    "insp.hint.notified": "请在任务消息中点「接受任务」或「申请回避」。",
    "insp.hint.accepted": "到达现场后，请点 📎 → 位置，发送当前位置签到。",
    "insp.hint.on_site": "现在可以发送文字记录、照片（请以文件方式发送）和文件；检查结束后发送 /report 填写报告。",
    "insp.hint.report_drafted": "报告起草中：发送 /report 查看、签名或提交。",
    "insp.hint.returned": "报告被退回修改：发送 /report 修改后重新签名提交。",
    "btn.accept": "✅ 接受任务",
    "btn.conflict": "🚫 申请回避",
    "member.leader": "组长",
    "member.member": "组员",
    "member.expert": "专家",
    "assign.member": "{name}（{role}）{you}",
    "assign.you": "← 您",
    "assign.text": (
        "【抽查任务】{number}\n"
        "抽查计划：{campaign}（{campaign_code}）\n"
        "检查对象：{target}\n"
        "统一社会信用代码：{credit_code}\n"
        "地址：{address}\n"
        "抽查事项：\n{items}\n"
        "检查期限：{start} 至 {due}\n"
        "您的身份：{role}\n"
        "检查组：{team}"
    ),
    "assign.replacement": "因原检查人员申请回避，您已被随机抽取补充进入检查组。",
    "assign.ask": "请确认您与检查对象有无利害关系：没有，请点「接受任务」；有，请点「申请回避」并说明理由。",
    "assign.secret": "结果公示前，本任务信息保密，不得转发、复制或向他人透露。",
    "assign.notice_caption": "行政检查通知书（现场检查时出示）",
    "assign.notice_missing": "通知书暂时无法生成，请向协调员索取。",
    "notice.team_changed": "检查组人员有变更，这是更新后的行政检查通知书，请以此为准。",
    "btn.notice": "📄 行政检查通知书",
    "accept.answer": "已接受",
    "accept.done": "您已接受任务：{name}。",
    "accept.team_done": "检查组全体成员均已接受。到达现场后，请点 📎 → 位置，发送当前位置签到。",
    "accept.waiting": "等待检查组其他成员接受；全员接受后即可到现场签到。",
    "conflict.ask": "您申请回避任务：{name}。\n请回复申请回避的理由（例如：与该单位负责人有近亲属关系）。发送 /cancel 取消。",
    "conflict.done": "已登记您的回避申请，系统已另行随机抽取人员补充，您不再参与该任务。",
    "conflict.cancelled": "已取消回避申请，任务不变。",
    "checkin.done": "已签到：{name}\n时间：{time}，位置：{lat:.5f}, {lon:.5f}\n现在可以发送文字记录、照片和文件，它们会记入当前任务。",
    "note.saved": "已记入 {name}：{kind} #{id}",
    "note.kind.condition": "现场情况",
    "note.kind.problem": "发现的问题",
    "note.kind.interview": "询问笔录",
    "note.kind.document": "书证物证",
    "note.kind.note": "文字记录",
    "note.document_howto": "记录书证、物证请发送文字：第一行“书证：内容”，另起一行“来源：从何处取得”。其他记录可用“情况：”“问题：”“询问：”开头。",
    "photo.saved": "照片 #{id}，SHA-256 {hash}…",
    "photo.anomaly": "  ⚠️ {message}",
    "photo.refused": "✖ {message}",
    "photo.compressed": "注意：以“照片”方式发送时，Telegram 会压缩照片并删除 EXIF（拍摄时间和地点），审核时无法核对拍摄现场。请改用 📎 → 文件 发送原图。",
    "photo.header": "已记入 {name}：",
    "album.header": "相册已记入 {name}（{count} 项）：",
    "file.unnamed": "（无文件名）",
    "file.too_big": "文件“{name}”大小为 {size} MB，超过 Telegram 机器人 20 MB 的下载上限，未能保存。请压缩或分拆后重新发送，或通过现场 App 上传。",
    "report.start": "填写抽查报告：{name}。逐项回答即可，随时发送 /cancel 退出（不保存）。",
    "report.q.started_at": "抽查开始时间？例如 2026-11-10 09:30，或点下方按钮。",
    "report.q.ended_at": "抽查结束时间？例如 2026-11-10 11:00。",
    "report.q.content": "抽查内容？",
    "report.q.methods": "核查方式（可多选，选好后点「完成」）：",
    "report.q.methods_other": "请说明「其他」核查方式：",
    "report.q.steps": "方法步骤？",
    "report.q.findings": "抽查情况（检查发现的情况和问题）？",
    "report.q.evaluation": "对被抽查人的评价？",
    "report.q.handling_opinion": "处理意见建议？",
    "report.q.result_categories": "抽查结果（可多选，选好后点「完成」；“未发现问题”不能与其他结果同选）：",
    "report.q.follow_up_action": "后续处置：",
    "report.q.follow_up_state": "处置状态：",
    "report.q.follow_up_closed_on": "办结日期？例如 2026-11-20。",
    "report.q.follow_up_recipient": "移交或抄告的部门？",
    "report.q.follow_up_note": "请说明处置方式：",
    "report.q.correction_items": "责令整改的事项？",
    "report.q.correction_deadline": "整改期限？例如 2026-12-31。",
    "report.before": "原内容：{value}",
    "report.btn.now": "现在",
    "report.btn.checkin": "签到时间",
    "report.btn.items": "按通知书的抽查事项",
    "report.btn.keep": "保留原内容",
    "report.btn.done": "完成",
    "report.btn.save": "💾 保存报告",
    "report.btn.redo": "重新填写",
    "report.btn.cancel": "取消",
    "report.btn.sign": "✍️ 签名确认",
    "report.btn.submit": "📤 提交报告",
    "report.btn.edit": "✏️ 修改报告",
    "report.bad_moment": "“{value}”不是有效的时间，请按 2026-11-10 09:30 的格式填写。",
    "report.bad_date": "“{value}”不是有效的日期，请按 2026-12-31 的格式填写。",
    "report.empty": "内容不能为空，请填写。",
    "report.use_buttons": "请点选上方的按钮。",
    "report.confirm": "请核对报告：\n\n{summary}",
    "report.problems": "提交前还须补充或改正：\n{problems}",
    "report.cancelled": "已退出报告填写，未保存。",
    "report.saved": "报告已保存（第 {revision} 版），已请检查组其他成员核对签名。请您也签名确认：",
    "report.hub": "{name} 的抽查报告（第 {revision} 版）：\n\n{summary}\n\n可签名确认、提交（须全组签名），或修改报告（修改后须重新签名）。",
    "sign.request": "{author} 填写了抽查报告：{name}（第 {revision} 版）。请核对后签名确认：\n\n{summary}",
    "sign.answer": "已签名",
    "sign.stale": "报告已修改为第 {revision} 版，请核对新版本后再签名。",
    "sign.done": "您已签名确认第 {revision} 版。尚待签名：{names}。",
    "sign.all_done": "检查组全体成员已签名确认第 {revision} 版，可以提交报告。",
    "signed.ready": "抽查报告：{name}（第 {revision} 版）已由全组签名确认，请提交：",
    "submit.done": "报告已提交，等待协调员审核。",
    "remind.line": "· {name} —— {state}",
    "remind.accept": "提醒：您尚未确认以下抽查任务，请点「接受任务」或「申请回避」：\n{tasks}",
    "remind.due": "提醒：以下抽查任务须在 {due} 前完成，还剩 {days} 个工作日：\n{tasks}",
    "remind.overdue": "以下抽查任务已超过完成期限（{due}），请尽快完成并提交报告：\n{tasks}",
    "remind.followup": "后续处置提醒：{name} 的整改期限为 {due}{when}，请按时复查。\n整改事项：{what}",
    "remind.when.tomorrow": "（下一个工作日）",
    "remind.when.today": "（今天）",
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
