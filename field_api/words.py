"""Every string the HTTP adapter says, in Simplified Chinese (the default) and English.

The caller's language comes from `Accept-Language`: English when the caller prefers it to
Chinese, Chinese otherwise. The domain's own messages are written "中文 (english)"; `pick`
keeps the half in the caller's language.
"""

from __future__ import annotations

import re

from aiohttp import web

DEFAULT = "zh"

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        # problem titles, by status
        "title.400": "请求有误",
        "title.401": "未认证",
        "title.403": "无权操作",
        "title.404": "未找到",
        "title.405": "方法不允许",
        "title.409": "无法完成",
        "title.413": "请求体过大",
        "title.415": "不支持的媒体类型",
        "title.422": "无法处理",
        "title.500": "服务器内部错误",
        "title.503": "暂不可用",
        "title.other": "请求失败",
        # details
        "http.detail": "{method} {path}：{reason}",
        "http.not_found": "没有这个地址：{path}",
        "http.method": "{path} 不接受 {method}，可用：{allow}",
        "internal": "服务器出错，已记录。请稍后重试；联系管理员时请提供请求编号 {request_id}。",
        "auth.missing": "缺少令牌：请在请求头中加入 Authorization: Bearer <令牌>",
        "auth.invalid": "令牌无效、已过期或已撤销，请重新登录或向协调员索取新的令牌",
        "body.not_json": "请求体不是有效的 JSON",
        "body.malformed": "无法读取请求体：{reason}",
        "body.too_deep": "请求体的 JSON 嵌套超过 {limit} 层",
        "body.too_large": "请求体超过 {limit} 字节",
        "body.too_large.server": "请求体过大",
        "body.not_object": "请求体应为 JSON 对象",
        "body.charset": "不支持的字符集「{charset}」：请使用 UTF-8",
        "body.not_utf8": "请求体不是有效的 UTF-8",
        "body.media_type": "请求体应为 application/json，收到「{got}」",
        "field.unknown": "未知字段「{name}」",
        "field.required": "缺少字段 {name}",
        "field.string": "{name} 应为字符串",
        "field.blank": "{name} 不能为空",
        "field.too_long": "{name} 最多 {limit} 个字符，收到 {length} 个",
        "field.bad_char": "{name} 含有不允许的字符（NUL 或不成对的代理项）",
        "field.integer": "{name} 应为 {low} 到 {high} 之间的整数",
        "field.choice": "{name} 应为 {choices} 之一，收到 {got}",
        "field.reference": "{name} 应为检查人员的执法证号或协调员编号",
        "query.format": "format 参数应为 html 或 json，而不是 {got}",
        "path.bad_char": "地址中含有不允许的字符",
        "path.too_long": "{name} 最多 {limit} 个字符",
        "healthz.up": "up",
        "healthz.down": "down",
    },
    "en": {
        "title.400": "Bad request",
        "title.401": "Unauthenticated",
        "title.403": "Forbidden",
        "title.404": "Not found",
        "title.405": "Method not allowed",
        "title.409": "Conflict",
        "title.413": "Request body too large",
        "title.415": "Unsupported media type",
        "title.422": "Unprocessable",
        "title.500": "Internal server error",
        "title.503": "Unavailable",
        "title.other": "Request failed",
        "http.detail": "{method} {path}: {reason}",
        "http.not_found": "No such address: {path}",
        "http.method": "{path} does not accept {method}; allowed: {allow}",
        "internal": "The server failed and has logged it. Please retry later; when you contact "
        "the administrator, give the request id {request_id}.",
        "auth.missing": "Missing token: send the header Authorization: Bearer <token>",
        "auth.invalid": "Invalid, expired or revoked token: sign in again, or ask a "
        "coordinator for a new one",
        "body.not_json": "The request body is not valid JSON",
        "body.malformed": "The request body could not be read: {reason}",
        "body.too_deep": "The request body's JSON is nested deeper than {limit} levels",
        "body.too_large": "The request body exceeds {limit} bytes",
        "body.too_large.server": "The request body is too large",
        "body.not_object": "The request body must be a JSON object",
        "body.charset": "Unsupported charset {charset!r}: use UTF-8",
        "body.not_utf8": "The request body is not valid UTF-8",
        "body.media_type": "The request body must be application/json, not {got!r}",
        "field.unknown": "Unknown member {name!r}",
        "field.required": "Missing member {name}",
        "field.string": "{name} must be a string",
        "field.blank": "{name} must not be empty",
        "field.too_long": "{name} takes at most {limit} characters, got {length}",
        "field.bad_char": "{name} holds a character that is not allowed (NUL or a lone surrogate)",
        "field.integer": "{name} must be an integer from {low} to {high}",
        "field.choice": "{name} must be one of {choices}, got {got}",
        "field.reference": "{name} must be an inspector's certificate number or a coordinator's id",
        "query.format": "The format parameter must be html or json, not {got}",
        "path.bad_char": "The address holds a character that is not allowed",
        "path.too_long": "{name} takes at most {limit} characters",
        "healthz.up": "up",
        "healthz.down": "down",
    },
}

_RANGE = re.compile(r"^\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")
_TRAILING_ENGLISH = re.compile(r"^(?P<zh>.*\S)\s*\((?P<en>[ -~]+)\)\s*$", re.DOTALL)
# The longer messages (a refused task transition) put the English on a last line of its own.
_ENGLISH_LINE = re.compile(r"^(?P<zh>.*[^\x00-\x7f].*?)\s*\n(?P<en>[A-Za-z][^\n]*)$", re.DOTALL)


def language(header: str | None) -> str:
    """The language for an `Accept-Language` header: "en" when English is preferred to
    Chinese, "zh" otherwise (no header, `*`, other languages only, or nonsense)."""
    best = {"zh": -1.0, "en": -1.0}
    for position, part in enumerate((header or "")[:512].split(",")):
        found = _RANGE.match(part)
        if not found:
            continue
        primary = found.group(1).lower()
        try:
            weight = float(found.group(2)) if found.group(2) else 1.0
        except ValueError:
            continue
        if primary in best and weight > 0:
            # Among equal weights the first listed wins.
            best[primary] = max(best[primary], weight - position * 1e-6)
    return "en" if best["en"] > best["zh"] else DEFAULT


def request_language(request: web.Request) -> str:
    return language(request.headers.get("Accept-Language"))


def say(lang: str, key: str, **values: object) -> str:
    template = WORDS.get(lang, WORDS[DEFAULT]).get(key) or WORDS[DEFAULT][key]
    return template.format(**values) if values else template


def title(lang: str, status: int) -> str:
    table = WORDS.get(lang, WORDS[DEFAULT])
    return table.get(f"title.{status}") or table["title.other"]


def pick(lang: str, message: str) -> str:
    """A domain message "中文 (english)" or "中文\nEnglish" in one language; one without an
    English half as is."""
    found = _ENGLISH_LINE.match(message) or _TRAILING_ENGLISH.match(message)
    if not found:
        return message
    return found.group("en") if lang == "en" else found.group("zh")
