"""Pieces the route modules' OpenAPI fragments are built from."""

from __future__ import annotations

from typing import Any

PROBLEM = {"$ref": "#/components/schemas/Problem"}


def problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": PROBLEM}},
    }


def json_response(description: str, schema: str) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{schema}"}
    return {"description": description, "content": {"application/json": {"schema": ref}}}


def json_body(schema: str) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{schema}"}
    return {"required": True, "content": {"application/json": {"schema": ref}}}


def query(name: str, description: str, kind: str = "string") -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": kind},
    }


def path(name: str, kind: str = "string", description: str = "") -> dict[str, Any]:
    """A parameter of the route's path."""
    described = {"description": description} if description else {}
    return {"name": name, "in": "path", "required": True, **described, "schema": {"type": kind}}


def task_id_parameter() -> dict[str, Any]:
    return path("task_id", "integer")


IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "A retry with the same key (per person) gets the first answer and changes "
    "nothing; the same key with a different request is 422. Only successful answers are kept.",
    "schema": {"type": "string", "maxLength": 200},
}

NOT_FOUND = problem("No such task, or not yours to see (the same answer)")
UNAUTHORIZED = problem("Missing, unknown or revoked bearer token")


def operation(
    operation_id: str,
    summary: str,
    responses: dict[str, Any],
    *,
    parameters: list[dict[str, Any]] | None = None,
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "security": [{"bearer": []}],
        "responses": {**responses, "401": UNAUTHORIZED},
    }
    if parameters:
        op["parameters"] = parameters
    if body is not None:
        op["requestBody"] = body
    return op


def write(
    operation_id: str,
    summary: str,
    answer: dict[str, Any],
    *,
    body: dict[str, Any] | None = None,
    status: str = "200",
) -> dict[str, Any]:
    """A write on one task: idempotent, and refused as the domain refuses."""
    return operation(
        operation_id,
        summary,
        {
            status: answer,
            "400": problem("A member of the body is wrong: see invalid_params"),
            "403": problem("Not a member of this task's team"),
            "404": NOT_FOUND,
            "409": problem(
                "Not possible in the task's state (next_steps says what is), or changed meanwhile"
            ),
            "422": problem("The Idempotency-Key was used for a different request"),
        },
        parameters=[task_id_parameter(), IDEMPOTENCY_KEY],
        body=body,
    )
