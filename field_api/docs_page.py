"""/api/docs: the OpenAPI document as one page to read, rendered on the server from the document
itself, so it can never describe another API than /api/v1/openapi.json does. Self-contained: no
script, no font, no stylesheet from elsewhere (the offices' networks often reach no internet).
"""

from __future__ import annotations

from html import escape
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")
WORDS = {
    "title": "接口文档 API reference",
    "contents": "目录 Contents",
    "auth": "认证 Authentication",
    "bearer": "需要令牌 (Authorization: Bearer <token>)",
    "open": "无需令牌 (none)",
    "parameters": "参数 Parameters",
    "body": "请求体 Request body",
    "responses": "响应 Responses",
    "errors": "错误 Errors",
    "schemas": "数据结构 Schemas",
    "name": "名称 Name",
    "in": "位置 In",
    "required": "必填 Required",
    "type": "类型 Type",
    "description": "说明 Description",
    "status": "状态码 Status",
    "content": "内容 Content",
    "yes": "是 yes",
    "no": "否 no",
    "raw": "OpenAPI 文档 (JSON)",
}
_STYLE = (
    "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:70em;"
    "margin:2em auto;padding:0 1em;line-height:1.5}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "th,td{border:1px solid #999;padding:.2em .5em;text-align:left;vertical-align:top}"
    "th{background:#eee}code{word-break:break-all}"
    ".op{border-top:2px solid #ccc;margin-top:1.5em}"
    ".m{font-weight:bold;text-transform:uppercase}"
)


def _e(value: Any) -> str:
    return escape("" if value is None else str(value))


def _anchor(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text)


def _ref_link(ref: str) -> str:
    name = ref.rsplit("/", 1)[-1]
    return f'<a href="#schema-{_anchor(name)}">{_e(name)}</a>'


def type_html(schema: dict[str, Any]) -> str:
    """One schema, inline: a link for a reference, a nested table for an object with members."""
    if "$ref" in schema:
        return _ref_link(schema["$ref"])
    for combinator, word in (("allOf", " + "), ("oneOf", " | "), ("anyOf", " | ")):
        if combinator in schema:
            return word.join(type_html(part) for part in schema[combinator])
    kind = schema.get("type", "any")
    text = " | ".join(kind) if isinstance(kind, list) else str(kind)
    if "items" in schema:
        text = f"array of {type_html(schema['items'])}"
    else:
        text = _e(text)
    if "format" in schema:
        text += f" ({_e(schema['format'])})"
    if "enum" in schema:
        text += ": " + ", ".join(f"<code>{_e(v)}</code>" for v in schema["enum"])
    if "maxLength" in schema:
        text += f", ≤ {_e(schema['maxLength'])}"
    if schema.get("properties"):
        text += properties_table(schema)
    return text


def properties_table(schema: dict[str, Any]) -> str:
    required = set(schema.get("required", ()))
    rows = [
        (
            f"<code>{_e(name)}</code>",
            WORDS["yes"] if name in required else "",
            type_html(member),
            _e(member.get("description", "")),
        )
        for name, member in schema["properties"].items()
    ]
    heads = (WORDS["name"], WORDS["required"], WORDS["type"], WORDS["description"])
    return _table(heads, rows)


def _table(heads: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in heads)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _content(content: dict[str, Any]) -> str:
    return "<br>".join(
        f"<code>{_e(media)}</code>: {type_html(entry.get('schema', {}))}"
        for media, entry in content.items()
    )


def _parameters(parameters: list[dict[str, Any]]) -> list[str]:
    rows = [
        (
            f"<code>{_e(p['name'])}</code>",
            _e(p["in"]),
            WORDS["yes"] if p.get("required") else WORDS["no"],
            type_html(p.get("schema", {})),
            _e(p.get("description", "")),
        )
        for p in parameters
    ]
    heads = (WORDS["name"], WORDS["in"], WORDS["required"], WORDS["type"], WORDS["description"])
    return [f"<h4>{_e(WORDS['parameters'])}</h4>", _table(heads, rows)]


def _responses(title: str, responses: list[tuple[str, dict[str, Any]]]) -> list[str]:
    rows = []
    for status, answer in responses:
        headers = ", ".join(f"{_e(h)}" for h in answer.get("headers", {}))
        description = _e(answer.get("description", "")) + (
            f" (headers: {headers})" if headers else ""
        )
        rows.append(
            (f"<code>{_e(status)}</code>", description, _content(answer.get("content", {})))
        )
    heads = (WORDS["status"], WORDS["description"], WORDS["content"])
    return [f"<h4>{_e(title)}</h4>", _table(heads, rows)]


def operation_html(path: str, method: str, op: dict[str, Any], default_security: Any) -> str:
    security = op.get("security", default_security)
    parts = [
        f'<div class="op" id="op-{_e(op.get("operationId", ""))}">',
        f'<h3><span class="m">{_e(method)}</span> <code>{_e(path)}</code></h3>',
        f"<p>{_e(op.get('summary', ''))}</p>",
        f"<p>{_e(WORDS['auth'])}: {_e(WORDS['bearer'] if security else WORDS['open'])}</p>",
    ]
    if op.get("parameters"):
        parts += _parameters(op["parameters"])
    if "requestBody" in op:
        parts += [f"<h4>{_e(WORDS['body'])}</h4>", "<p>" + _content(op["requestBody"]["content"])]
    answers = sorted(op.get("responses", {}).items())
    ok = [(s, a) for s, a in answers if s[:1] not in ("4", "5")]
    errors = [(s, a) for s, a in answers if s[:1] in ("4", "5")]
    if ok:
        parts += _responses(WORDS["responses"], ok)
    if errors:
        parts += _responses(WORDS["errors"], errors)
    parts.append("</div>")
    return "\n".join(parts)


def _by_tag(doc: dict[str, Any]) -> dict[str, list[tuple[str, str, dict[str, Any]]]]:
    groups: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
        t["name"]: [] for t in doc.get("tags", [])
    }
    for path, operations in doc["paths"].items():
        for method in METHODS:
            if method in operations:
                op = operations[method]
                for tag in op.get("tags") or ["—"]:
                    groups.setdefault(tag, []).append((path, method, op))
    return {tag: ops for tag, ops in groups.items() if ops}


def render(doc: dict[str, Any]) -> str:
    info = doc["info"]
    groups = _by_tag(doc)
    toc = "".join(
        f'<li><a href="#tag-{_anchor(tag)}">{_e(tag)}</a> ({len(ops)})</li>'
        for tag, ops in groups.items()
    )
    body = [
        f"<h1>{_e(info['title'])} — {_e(WORDS['title'])}</h1>",
        f"<p>{_e(info.get('description', ''))}</p>",
        f'<p><a href="/api/v1/openapi.json">{_e(WORDS["raw"])}</a></p>',
        f"<h2>{_e(WORDS['contents'])}</h2><ul>{toc}"
        f'<li><a href="#schemas">{_e(WORDS["schemas"])}</a></li></ul>',
    ]
    for tag, ops in groups.items():
        body.append(f'<h2 id="tag-{_anchor(tag)}">{_e(tag)}</h2>')
        body += [operation_html(path, m, op, doc.get("security")) for path, m, op in ops]
    body.append(f'<h2 id="schemas">{_e(WORDS["schemas"])}</h2>')
    for name, schema in doc.get("components", {}).get("schemas", {}).items():
        body.append(f'<h3 id="schema-{_anchor(name)}">{_e(name)}</h3>')
        if schema.get("description"):
            body.append(f"<p>{_e(schema['description'])}</p>")
        body.append(f"<p>{type_html(schema)}</p>")
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(WORDS['title'])}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
