"""The report over HTTP: drafted by the team, confirmed (signed) by every officer, submitted.

    GET  /api/v1/tasks/{task_id}/report            the report, its signatures and, once
                                                   reviewed (returned, say), the comments
    PUT  /api/v1/tasks/{task_id}/report            the whole report: a new revision
    POST /api/v1/tasks/{task_id}/report/confirm    {"revision"}: sign the revision read
    POST /api/v1/tasks/{task_id}/report/submit     submit it for review
    GET  /api/v1/report-form                       the form: fields in order, when each is
                                                   asked, which are required, the choices

As in the chat: a PUT replaces the report (fields left out are emptied, so an earlier
revision's follow-up details do not survive a changed action), every save is a new revision
whose earlier signatures lapse, and each teammate is asked to confirm it. The answer lists
what the domain would still refuse at submission (`problems`).
"""

from __future__ import annotations

from aiohttp import web

from domain.rules.report import REPORT_FIELDS, complete_fields, validate_report
from domain.rules.report_form import report_form
from domain.tasks import reporting
from domain.tasks.views import TaskView, load_task
from field_api import openapi_parts as parts
from field_api.inspector_io import (
    actor_of,
    handled,
    idempotent,
    json_answer,
    json_body,
    report_json,
    request_fingerprint,
    state_of,
    task_id_of,
)
from field_api.problems import BadRequest

REPORT = "/api/v1/tasks/{task_id}/report"
CONFIRM, SUBMIT = REPORT + "/confirm", REPORT + "/submit"
FORM = "/api/v1/report-form"


async def _report_body(view: TaskView) -> dict | None:
    report = await reporting.report_of(view)
    if report is None:
        return None
    signed, awaiting = await reporting.awaiting_signatures(view, report)
    problems = [str(e) for e in validate_report(report.data)]
    return report_json(report, signed, awaiting, view, problems)


async def get_report(request: web.Request) -> web.Response:
    view = await load_task(actor_of(request), task_id_of(request), purpose="report.view")
    body = {
        "task_id": view.task.id,
        "state": state_of(view.task.state),
        "report": await _report_body(view),
    }
    return json_answer(body, headers={"Cache-Control": "private, no-store"})


async def put_report(request: web.Request) -> web.Response:
    actor, task_id = actor_of(request), task_id_of(request)
    body, raw = await json_body(request, set(REPORT_FIELDS))
    fields = complete_fields(body)

    async def run():
        await reporting.save_report(actor, task_id, fields)
        # Loaded again for the answer: the revision's signatures and state as they now are.
        view = await load_task(actor, task_id, purpose="report", audit_view=False)
        return 200, {
            "task_id": task_id,
            "state": state_of(view.task.state),
            "report": await _report_body(view),
        }

    return await idempotent(request, request_fingerprint(request, raw), run)


async def confirm(request: web.Request) -> web.Response:
    actor, task_id = actor_of(request), task_id_of(request)
    body, raw = await json_body(request, {"revision"})
    revision = body.get("revision")
    if revision is not None and (isinstance(revision, bool) or not isinstance(revision, int)):
        raise BadRequest("revision", "revision 应为整数：确认的报告版本 (the revision read)")

    async def run():
        remaining = await reporting.sign_report(actor, task_id, revision)
        return 200, {
            "task_id": task_id,
            "awaiting_signatures": remaining,
            "ready_to_submit": not remaining,
        }

    return await idempotent(request, request_fingerprint(request, raw), run)


async def submit(request: web.Request) -> web.Response:
    actor, task_id = actor_of(request), task_id_of(request)
    _, raw = await json_body(request, set())

    async def run():
        state = await reporting.submit_report(actor, task_id)
        return 200, {"task_id": task_id, "state": state_of(state)}

    return await idempotent(request, request_fingerprint(request, raw), run)


async def get_form(request: web.Request) -> web.Response:
    return json_answer(report_form())


def setup(app: web.Application) -> None:
    app.router.add_get(FORM, handled(get_form))
    app.router.add_get(REPORT, handled(get_report))
    app.router.add_put(REPORT, handled(put_report))
    app.router.add_post(CONFIRM, handled(confirm))
    app.router.add_post(SUBMIT, handled(submit))


_REPORT_ANSWER = parts.json_response("The task's state and its report", "ReportOfTask")
OPENAPI_PATHS = {
    FORM: {
        "get": parts.operation(
            "getReportForm",
            "The report form: every field in order with its names, kind, when it is asked and "
            "whether it is required, and the choices with their labels (the same rules as "
            "`problems`)",
            {"200": parts.json_response("The form", "ReportForm")},
        )
    },
    REPORT: {
        "get": parts.operation(
            "getReport",
            "The report, its signatures, and a reviewer's comments once reviewed",
            {"200": _REPORT_ANSWER, "404": parts.NOT_FOUND},
            parameters=[parts.task_id_parameter()],
        ),
        "put": parts.write(
            "putReport",
            "Save the whole report as a new revision (teammates are asked to confirm it)",
            _REPORT_ANSWER,
            body=parts.json_body("ReportFields"),
        ),
    },
    CONFIRM: {
        "post": parts.write(
            "confirmReport",
            "Sign (confirm) the report's revision you read",
            parts.json_response("Who still has to sign", "Confirmation"),
            body={
                "required": False,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {"revision": {"type": "integer"}},
                        }
                    }
                },
            },
        )
    },
    SUBMIT: {
        "post": parts.write(
            "submitReport",
            "Submit the fully signed report for review",
            parts.json_response("Submitted", "TaskChange"),
        )
    },
}

_LABELLED = {"value": {"type": "string"}, "zh": {"type": "string"}, "en": {"type": "string"}}
_CONDITION = {
    "type": ["object", "null"],
    "description": "null: always asked. Else asked when `field`'s answer `includes` the value "
    "(a list) or is `one_of` the values, `and` when the nested condition holds too",
}

OPENAPI_SCHEMAS = {
    "ReportForm": {
        "type": "object",
        "required": ["fields", "methods", "result_categories", "follow_up_actions"],
        "properties": {
            "fields": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name", "zh", "en", "kind", "asked_when", "required"],
                    "properties": {
                        "name": {"type": "string", "enum": list(REPORT_FIELDS)},
                        "zh": {"type": "string"},
                        "en": {"type": "string"},
                        "kind": {
                            "enum": ["text", "date", "datetime", "choice", "choices"],
                            "description": "date and datetime in ISO 8601 (a datetime may be "
                            "given as a date); choice: one value of the list named by `choices`, "
                            "choices: a list of them",
                        },
                        "choices": {"type": "string", "description": "a list of this form"},
                        "asked_when": _CONDITION,
                        "required": {
                            "type": "boolean",
                            "description": "submission refuses it empty whenever it is asked",
                        },
                    },
                },
            },
            "methods": {"type": "array", "items": {"type": "object", "properties": _LABELLED}},
            "result_categories": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {**_LABELLED, "could_not_inspect": {"type": "boolean"}},
                },
            },
            "follow_up_actions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        **_LABELLED,
                        "needs": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
            "follow_up_states": {
                "type": "array",
                "items": {"type": "object", "properties": _LABELLED},
            },
        },
    },
    "ReportFields": {
        "type": "object",
        "additionalProperties": False,
        "description": "The report's fields; dates and moments in ISO 8601. GET "
        "/api/v1/report-form lists them in order with their kinds and choices",
        "properties": {
            name: {"description": f"{zh} ({en})"} for name, (zh, en) in REPORT_FIELDS.items()
        },
    },
    "Report": {
        "type": "object",
        "properties": {
            "revision": {"type": "integer"},
            "fields": {"$ref": "#/components/schemas/ReportFields"},
            "drafted_by": {"type": "string"},
            "updated_at": {"type": "string", "format": "date-time"},
            "submitted_at": {"type": ["string", "null"], "format": "date-time"},
            "signed_by": {"type": "array", "items": {"type": "string"}},
            "awaiting_signatures": {"type": "array", "items": {"type": "string"}},
            "problems": {
                "type": "array",
                "items": {"type": "string"},
                "description": "what submission would still refuse",
            },
            "review": {
                "type": ["object", "null"],
                "description": "comments, by, at: a returned report says what to fix",
            },
        },
    },
    "ReportOfTask": {
        "type": "object",
        "properties": {
            "task_id": {"type": "integer"},
            "state": {"$ref": "#/components/schemas/State"},
            "report": {"oneOf": [{"$ref": "#/components/schemas/Report"}, {"type": "null"}]},
        },
    },
    "Confirmation": {
        "type": "object",
        "properties": {
            "task_id": {"type": "integer"},
            "awaiting_signatures": {"type": "array", "items": {"type": "string"}},
            "ready_to_submit": {"type": "boolean"},
        },
    },
}
