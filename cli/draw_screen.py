"""What `draw prepare` and `draw reveal` print: read aloud and projected at a draw ceremony, so
short lines, aligned columns (CJK characters count two), long hashes in groups of eight."""

from __future__ import annotations

from cli.table import table

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start
if TYPE_CHECKING:  # the domain's storage loads only when a draw is shown
    from domain.campaigns.prepare import PreparedDraw
    from domain.campaigns.reveal import RevealResult

EXCLUSION_LABELS = {
    "status_closed": "已关闭停业 (closed)",
    "status_deregistered": "已注销 (deregistered)",
    "filter_category": "不在定向行业类别内 (category filter)",
    "no_applicable_item": "无适用的抽查事项 (no item applies)",
    "filter_risk_class": "不在定向风险等级内 (risk-class filter)",
    "yearly_cap": "本年度已检查或已安排两次 (yearly cap)",
    "unstaffable": "无法组成完整检查组 (no full team possible)",
}


def grouped(hex_text: str, size: int = 8) -> str:
    """A hash as it is read aloud: groups of eight characters."""
    return " ".join(hex_text[i : i + size] for i in range(0, len(hex_text), size))


def exclusion_lines(exclusions: dict[str, int]) -> list[str]:
    if not exclusions:
        return ["  无 (none)"]
    rows = [
        [EXCLUSION_LABELS.get(reason, reason), str(n)] for reason, n in sorted(exclusions.items())
    ]
    return table(["原因 (reason)", "个数"], rows, numeric={1})


def prepared_screen(p: PreparedDraw) -> str:
    mode = "演练 PRACTICE（系统随机数，不作为正式抽取）" if p.practice else "正式抽取 (official)"
    rows = [
        [s.name, str(s.eligible), f"{s.ratio_percent}%", str(s.take), grouped(s.digest)]
        for s in p.strata
    ]
    rows.append(
        [
            "合计 (total)",
            str(sum(s.eligible for s in p.strata)),
            "",
            str(sum(s.take for s in p.strata)),
            "",
        ]
    )
    lines = [
        f"抽查计划 {p.campaign}：抽取已准备 (draw #{p.draw_id} prepared) — {mode}",
        "",
        "候选名单已冻结；各分层名单摘要 = SHA-256(按码位排序的编号，每行一个)",
        *table(
            ["分层 (stratum)", "候选", "比例", "抽取", "名单摘要 SHA-256 (digest)"],
            rows,
            numeric={1, 2, 3},
        ),
        "",
        f"检查人员库 (inspector pool): {p.pool_size} 人",
        f"  摘要 SHA-256: {grouped(p.pool_digest)}",
        f"  属性快照摘要 (snapshot) SHA-256: {grouped(p.pool_snapshot_digest)}",
        "",
        "未列入候选的对象 (excluded, by reason):",
        *exclusion_lines(p.exclusions),
        "",
        "承诺值 commitment = SHA-256(secret)，揭示后公布 secret 供核对:",
        f"  {grouped(p.commitment)}",
    ]
    if p.beacon:
        lines += [
            "",
            f"公共随机信标 (beacon): {p.beacon.get('source')} 第 {p.beacon.get('round')} 轮 "
            "(round fixed now, value entered at the reveal)",
        ]
    lines += ["", "下一步 (next): " + _next_step(p)]
    return "\n".join(lines)


def _next_step(p: PreparedDraw) -> str:
    if p.practice:
        return f"shuangsuiji draw reveal {p.campaign}"
    beacon = " --beacon-value <该轮随机值>" if p.beacon else ""
    return (
        f"当众掷骰，记下至少 20 位数字，然后 shuangsuiji draw reveal {p.campaign} "
        f'--dice "<骰子点数>"{beacon}'
    )


def revealed_screen(r: RevealResult, entropy: str, record_path: str, record_hash: str) -> str:
    rows = [[name, str(n)] for name, n in sorted(r.per_stratum.items())]
    rows.append(["合计 (total)", str(r.tasks)])
    mode = "演练 PRACTICE" if r.practice else "正式抽取 (official)"
    return "\n".join(
        [
            f"抽查计划 {r.campaign}：抽取完成 (draw revealed) — {mode}",
            f"  公开随机数 (entropy): {entropy}",
            "",
            *table(["分层 (stratum)", "抽中 (drawn)"], rows, numeric={1}),
            "",
            f"任务 {r.tasks} 个，检查人员 {r.members} 人次；"
            "已通知各检查组成员 (assignments queued)",
            f"  每名执法人员 (per officer, {r.fairness.officers}): 最多 {r.fairness.most}，"
            f"最少 {r.fairness.least}，平均 {r.fairness.mean} 组 (teams)",
            f"抽取记录 (record): {record_path}",
            f"  record_hash: {grouped(record_hash)}",
            "  保密：记录含抽中名单，公布前不得外传，文件仅本人可读 (0600) "
            "(confidential until the campaign is published)",
            f"核验 (verify): shuangsuiji verify {record_path} --candidates <DIR>",
        ]
    )
