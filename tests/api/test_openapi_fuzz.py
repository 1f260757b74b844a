"""The OpenAPI document against the real app, by schemathesis: requests generated from the
document (a bounded, reproducible number per operation) to the app serving a real draw on a
loopback port, without a token, with an inspector's and with a coordinator's. No answer may be a
5xx, and every answer must be one the document lists, with the body it describes."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from domain.config import Settings
from domain.people.api_tokens import issue_token
from domain.storage.models import Coordinator
from field_api.openapi import document
from tests.kit.drawn import draw_on_demo
from tests.kit.field_api import serving, token_for
from tests.kit.fonts import shared_cjk_test_font

pytestmark = pytest.mark.clock("2026-11-20 15:00")  # inside the campaign the draw plans

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = {"anonymous": 10, "inspector": 25, "coordinator": 25}


def _examples(count: int):
    return settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def fuzz(
    base_url: str, tokens: dict[tuple[str, str], str | None], answers: list[tuple[str, str, int]]
) -> list[str]:
    """Every operation, as each caller; the failures found, and in `answers` every answer's
    (operation, caller, status). Run in a thread: the requests are synchronous, and the app
    answers them on the test's event loop."""
    schema = schemathesis.openapi.from_dict(document())
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for who, count in EXAMPLES.items():
            key = (operation.label, who)
            if key not in tokens:
                continue
            try:
                _runner(operation, count, base_url, tokens[key], who, answers)()
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{operation.label} as {who}: {exc}")
    return failures


def _runner(operation, count: int, base_url: str, token: str | None, who: str, answers: list):
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    @given(case=operation.as_strategy())
    @_examples(count)
    def run(case) -> None:
        response = case.call(base_url=base_url, headers=headers)
        answers.append((operation.label, who, response.status_code))
        case.validate_response(response, checks=CHECKS, headers=headers)

    return run


async def _tokens(drawn) -> dict[tuple[str, str], str | None]:
    """A fresh token per operation and caller: logging out or revoking one's own token must
    not leave the next operations answering only 401."""
    task = drawn.tasks[0]
    inspector = (await drawn.team(task))[0]
    coordinator = await Coordinator.get(id=drawn.coordinator.id)
    tokens: dict[tuple[str, str], str | None] = {}
    for result in schemathesis.openapi.from_dict(document()).get_all_operations():
        operation = result.ok()
        tokens[(operation.label, "anonymous")] = None
        if operation.definition.raw.get("security") == []:
            continue  # public: a token changes nothing
        tokens[(operation.label, "inspector")] = await token_for(drawn.coordinator, inspector)
        issued = await issue_token(drawn.coordinator, "coordinator", coordinator.id)
        tokens[(operation.label, "coordinator")] = issued.token
    return tokens


async def test_the_app_answers_as_its_document_says(db, tmp_path):
    drawn = await draw_on_demo()
    tokens = await _tokens(drawn)
    app_settings = Settings(data_dir=tmp_path, font_path=shared_cjk_test_font())
    async with serving(app_settings) as client:
        base_url = str(client.make_url("")).rstrip("/")
        answers: list[tuple[str, str, int]] = []
        failures: list[Any] = await asyncio.to_thread(fuzz, base_url, tokens, answers)
    assert not failures, "\n\n".join(failures)
    # It did ask, as each caller, and got past authentication.
    statuses = {(label, who): set() for label, who, _ in answers}
    for label, who, status in answers:
        statuses[(label, who)].add(status)
    assert len(statuses) == len(tokens)
    assert statuses[("GET /api/v1/me", "anonymous")] == {401}
    assert statuses[("GET /api/v1/me", "inspector")] == {200}
    assert 200 in statuses[("GET /api/v1/tasks", "inspector")]
    assert 200 in statuses[("GET /public/campaigns", "anonymous")]
