"""/api/v1/openapi.json: served without a token, and describing exactly the app's /api/v1
routes, each protected one with the bearer scheme and its problem answers."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer

from domain.config import Settings
from field_api import auth
from field_api.app import create_app

OPENAPI = "/api/v1/openapi.json"


def api_routes(app) -> set[tuple[str, str]]:
    return {
        (route.resource.canonical, route.method.lower())
        for route in app.router.routes()
        if route.resource is not None
        and route.resource.canonical.startswith(auth.API_PREFIX)
        and route.method != "HEAD"
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
    assert described == api_routes(app)
    invite = doc["paths"]["/api/v1/invites"]["post"]
    assert invite["security"] == [{"bearer": []}]
    assert {"201", "400", "401", "403"} <= set(invite["responses"])
    request_schema = doc["components"]["schemas"]["InviteRequest"]
    assert request_schema["required"] == ["role", "person"]
    assert set(request_schema["properties"]) == {"role", "person", "hours"}
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
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
