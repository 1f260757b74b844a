"""/api/v1/openapi.json: served without a token, and describing exactly the app's routes (the
API, the public pages, /healthz), each protected one with the bearer scheme and its problem
answers; /api/docs: the same document as a page that fetches nothing from elsewhere."""

from __future__ import annotations

import html
import re

from aiohttp.test_utils import TestClient, TestServer

from domain.config import Settings
from field_api.app import create_app

OPENAPI = "/api/v1/openapi.json"


def app_routes(app) -> set[tuple[str, str]]:
    return {
        (route.resource.canonical, route.method.lower())
        for route in app.router.routes()
        if route.resource is not None and route.method != "HEAD"
    }


async def test_the_document_lists_every_api_route(db):
    app = create_app(Settings())
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        response = await client.get(OPENAPI)
        assert response.status == 200
        doc = await response.json()
    assert doc["openapi"].startswith("3.1")
    described = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert ("/api/v1/invites", "post") in described
    assert described == app_routes(app)
    assert any(path.startswith("/public/") for path, _ in described)
    assert ("/healthz", "get") in described and ("/api/docs", "get") in described
    # Every operation is in a declared group, and the public ones need no token.
    tags = {tag["name"] for tag in doc["tags"]}
    for path, ops in doc["paths"].items():
        for op in ops.values():
            assert op["tags"] and set(op["tags"]) <= tags, path
            if path.startswith("/public/"):
                assert op["security"] == [], path
    notice = doc["paths"]["/public/campaigns/{code}/task-notice"]["get"]
    assert {"application/json", "text/html"} == set(notice["responses"]["200"]["content"])
    invite = doc["paths"]["/api/v1/invites"]["post"]
    assert invite["security"] == [{"bearer": []}]
    assert {"201", "400", "401", "403"} <= set(invite["responses"])
    request_schema = doc["components"]["schemas"]["InviteRequest"]
    assert request_schema["required"] == ["role", "person"]
    assert set(request_schema["properties"]) == {"role", "person", "hours"}
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    problem = doc["components"]["schemas"]["Problem"]["properties"]
    assert {"type", "title", "status", "detail", "invalid_params", "request_id"} <= set(problem)
    # Signing in needs no token, and says how it refuses a guesser.
    sign_in = doc["paths"]["/api/v1/auth/token"]["post"]
    assert sign_in["security"] == [] and "Retry-After" in sign_in["responses"]["429"]["headers"]
    assert doc["paths"]["/api/v1/auth/tokens/{token_id}"]["delete"]["security"] == [{"bearer": []}]
    # Every $ref points at a schema the document holds.
    refs = _refs(doc)
    assert refs and all(ref.split("/")[-1] in doc["components"]["schemas"] for ref in refs)


def _refs(node) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if "$ref" in node else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


async def test_the_docs_page_lists_every_operation_and_fetches_nothing(db):
    app = create_app(Settings())
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        doc = await (await client.get(OPENAPI)).json()
        response = await client.get("/api/docs")
        assert response.status == 200
        assert response.content_type == "text/html"
        page = await response.text()
    for path, ops in doc["paths"].items():
        assert f"<code>{html.escape(path)}</code>" in page
        for op in ops.values():
            assert html.escape(op["summary"]) in page
    for tag in doc["tags"]:
        assert html.escape(tag["name"]) in page
    for schema in doc["components"]["schemas"]:
        assert f'id="schema-{schema}"' in page
    for heading in ("参数 Parameters", "请求体 Request body", "响应 Responses", "错误 Errors"):
        assert heading in page
    # The invite request's members, its 403 and the problem schema's members are all shown.
    assert "<code>person</code>" in page and "<code>403</code>" in page
    assert "<code>invalid_params</code>" in page
    # Nothing from elsewhere: no script, stylesheet, image or font; links stay on this server.
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert "url(" not in page and "@import" not in page
    links = re.findall(r'(?:href|src)="([^"]*)"', page)
    assert links and all(link.startswith(("#", "/")) for link in links)
    assert not any(link.startswith("//") for link in links)
