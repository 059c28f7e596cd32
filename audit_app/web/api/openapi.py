"""The OpenAPI 3.1 description of /api/v1, kept next to the views it describes and served
at /api/v1/openapi.json (no token needed). tests/web/test_api_schema.py checks with
schemathesis that the API answers as described here."""

from __future__ import annotations

import copy
from typing import Any

from flask.typing import ResponseReturnValue

from audit_app.models.api import REPORT_REQUEST_STATUSES
from audit_app.models.audits import AUDIT_STATUSES
from audit_app.models.organisations import ORGANISATION_TYPES, SIZES
from audit_app.models.register import CHANNELS, DIRECTIONS
from audit_app.reporting.context import DESIGNS
from audit_app.reporting.i18n import REPORT_LANGUAGES
from audit_app.services.questionnaires import catalogue
from audit_app.web.api.blueprint import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, MAX_OFFSET, bp

VERSION = "1.0.0"
JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    names = {
        400: "BadRequest",
        401: "Unauthorized",
        403: "Forbidden",
        404: "NotFound",
        409: "Conflict",
        422: "Unprocessable",
    }
    return {str(s): {"$ref": f"#/components/responses/{names[s]}"} for s in statuses}


def _page(item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["items", "total", "limit", "offset", "next"],
        "properties": {
            "items": {"type": "array", "items": _ref(item)},
            "total": {"type": "integer", "minimum": 0},
            "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            "offset": {"type": "integer", "minimum": 0},
            "next": {
                "type": ["string", "null"],
                "description": "Link to the next page; null on the last page.",
            },
        },
    }


def _id_parameter(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    }


def _body(schema_name: str, example: dict[str, Any]) -> dict[str, Any]:
    return {
        "required": True,
        "content": {JSON: {"schema": _ref(schema_name), "example": example}},
    }


STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
TIMESTAMP = {"type": "string", "format": "date-time"}
NULLABLE_TIMESTAMP = {"type": ["string", "null"], "format": "date-time"}
LINKS = {"type": "object", "additionalProperties": {"type": "string"}}
# Text fields sent to the API: any text without NUL characters.
INPUT_TEXT = {"type": "string", "pattern": "^[^\\x00]*$"}
# A name: the same, with at least one character that is not white space.
NAME_TEXT = {"type": "string", "pattern": "^[^\\x00]*[^\\x00\\s][^\\x00]*$"}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error", "code", "details"],
        "properties": {
            "error": {"type": "string", "description": "A message for people."},
            "code": {"type": "string", "description": "A stable code for programs."},
            "details": {"type": ["object", "null"]},
        },
    },
    "Text": {
        "type": "object",
        "description": "A text in Polish and English.",
        "required": ["pl", "en"],
        "properties": {"pl": STRING, "en": STRING},
    },
    "Organisation": {
        "type": "object",
        "required": [
            "id",
            "name",
            "type",
            "size",
            "sector",
            "city",
            "created_at",
            "can_edit",
            "links",
        ],
        "properties": {
            "id": {"type": "integer"},
            "name": STRING,
            "type": {"type": "string", "enum": list(ORGANISATION_TYPES)},
            "size": {"type": ["string", "null"], "enum": [*SIZES, None]},
            "sector": NULLABLE_STRING,
            "city": NULLABLE_STRING,
            "created_at": TIMESTAMP,
            "can_edit": {"type": "boolean"},
            "audit_count": {"type": "integer", "description": "In lists only."},
            "latest_overall": {
                "type": ["number", "null"],
                "description": "In lists only: the latest submitted overall score.",
            },
            "links": LINKS,
        },
    },
    "OrganisationInput": {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {
                **INPUT_TEXT,
                "minLength": 1,
                "maxLength": 300,
                "pattern": "^[^\\x00]*[^\\x00\\s][^\\x00]*$",
            },
            "type": {"type": "string", "enum": list(ORGANISATION_TYPES), "default": "other"},
            "size": {"type": ["string", "null"], "enum": [*SIZES, None]},
            "sector": {**INPUT_TEXT, "type": ["string", "null"], "maxLength": 200},
            "city": {**INPUT_TEXT, "type": ["string", "null"], "maxLength": 200},
            "allow_duplicate": {
                "type": "boolean",
                "default": False,
                "description": (
                    "Create it even when an organisation you can see has the same name "
                    "(organisations you cannot see are never counted)."
                ),
            },
        },
    },
    "QuestionnaireRef": {
        "type": "object",
        "required": ["id", "version", "title"],
        "properties": {"id": STRING, "version": STRING, "title": _ref("Text")},
    },
    "AuditSummary": {
        "type": "object",
        "required": [
            "id",
            "organisation_id",
            "status",
            "questionnaire",
            "started_at",
            "submitted_at",
            "overall",
            "verdict",
            "links",
        ],
        "properties": {
            "id": {"type": "integer"},
            "organisation_id": {"type": "integer"},
            "status": {"type": "string", "enum": list(AUDIT_STATUSES)},
            "questionnaire": _ref("QuestionnaireRef"),
            "started_at": TIMESTAMP,
            "submitted_at": NULLABLE_TIMESTAMP,
            "overall": {"type": ["number", "null"]},
            "verdict": NULLABLE_STRING,
            "links": LINKS,
        },
    },
    "Progress": {
        "type": "object",
        "required": ["answered", "total", "percent"],
        "properties": {
            "answered": {"type": "integer"},
            "total": {"type": "integer"},
            "percent": {"type": "integer"},
        },
    },
    "Answer": {
        "type": "object",
        "required": ["question_id", "value", "note", "evidence", "revision", "updated_at"],
        "properties": {
            "question_id": STRING,
            "value": {
                "description": "Option value, list of option values, number, text, "
                '"dont_know", "na" or null.'
            },
            "note": STRING,
            "evidence": STRING,
            "revision": {"type": "integer"},
            "updated_at": NULLABLE_TIMESTAMP,
        },
    },
    "Audit": {
        "allOf": [
            _ref("AuditSummary"),
            {
                "type": "object",
                "required": [
                    "questionnaire_content_hash",
                    "can_edit",
                    "progress",
                    "answers",
                    "visible_questions",
                    "missing_questions",
                ],
                "properties": {
                    "questionnaire_content_hash": STRING,
                    "can_edit": {"type": "boolean"},
                    "progress": _ref("Progress"),
                    "answers": {"type": "object", "additionalProperties": _ref("Answer")},
                    "visible_questions": {"type": "array", "items": STRING},
                    "missing_questions": {"type": "array", "items": STRING},
                },
            },
        ]
    },
    "StartAudit": {
        "type": "object",
        "required": ["questionnaire_id"],
        "properties": {"questionnaire_id": {**INPUT_TEXT, "maxLength": 100}},
    },
    "AnswerInput": {
        "type": "object",
        "required": ["value"],
        "properties": {
            "value": {
                "description": "The answer (null clears it): an option value, a list of option "
                'values (multiple choice), a number, a text, "dont_know" or "na".',
                "anyOf": [
                    {"type": "null"},
                    INPUT_TEXT,
                    {"type": "number"},
                    {"type": "array", "items": INPUT_TEXT},
                ],
            },
            "note": {**INPUT_TEXT, "type": ["string", "null"], "maxLength": 20000},
            "evidence": {**INPUT_TEXT, "type": ["string", "null"], "maxLength": 20000},
            "base_revision": {
                "type": ["integer", "null"],
                "minimum": 0,
                "description": "The revision the client last read (0: no stored answer). "
                "When the stored answer has moved on, the save is refused with 409.",
            },
        },
    },
    "SavedAnswer": {
        "type": "object",
        "required": ["answer", "changed", "progress", "visible_questions"],
        "properties": {
            "answer": _ref("Answer"),
            "changed": {"type": "boolean"},
            "progress": _ref("Progress"),
            "visible_questions": {"type": "array", "items": STRING},
        },
    },
    "Results": {
        "type": "object",
        "required": [
            "audit_id",
            "status",
            "frozen",
            "overall",
            "verdict",
            "result",
            "recommendations",
        ],
        "properties": {
            "audit_id": {"type": "integer"},
            "status": {"type": "string", "enum": list(AUDIT_STATUSES)},
            "frozen": {
                "type": "boolean",
                "description": "True for the result frozen at submission; false for a live, "
                "provisional result of an audit in progress.",
            },
            "overall": {"type": ["number", "null"]},
            "verdict": NULLABLE_STRING,
            "result": {
                "type": "object",
                "description": "The scoring result: overall, level, verdict, coverage, "
                "sections and questions with their percents and explanations.",
            },
            "recommendations": {"type": "array", "items": _ref("Recommendation")},
        },
    },
    "Recommendation": {
        "type": "object",
        "required": ["id", "scope", "target_id", "section_id", "text", "category", "priority"],
        "properties": {
            "id": STRING,
            "scope": {"type": "string", "enum": ["question", "section", "facts"]},
            "target_id": STRING,
            "section_id": STRING,
            "text": _ref("Text"),
            "impact": {"type": "string", "enum": ["low", "medium", "high"]},
            "effort": {"type": "string", "enum": ["low", "medium", "high"]},
            "category": {
                "type": "string",
                "enum": ["quick_win", "major_project", "fill_in", "thankless"],
            },
            "priority": {"type": "number"},
            "blocked_by": {"type": "array", "items": STRING},
            "triggered_by": {"type": "array", "items": {"type": "object"}},
            "horizon": _nullable(_ref("Text")),
        },
    },
    "QuestionnaireSummary": {
        "type": "object",
        "required": [
            "id",
            "version",
            "title",
            "description",
            "organisation_types",
            "section_count",
            "question_count",
            "content_hash",
            "links",
        ],
        "properties": {
            "id": STRING,
            "version": STRING,
            "title": _ref("Text"),
            "description": _ref("Text"),
            "organisation_types": {"type": "array", "items": STRING},
            "section_count": {"type": "integer"},
            "question_count": {"type": "integer"},
            "content_hash": STRING,
            "links": LINKS,
        },
    },
    "Option": {
        "type": "object",
        "required": ["value", "score", "label", "anchor"],
        "properties": {
            "value": STRING,
            "score": {"type": "number"},
            "label": _ref("Text"),
            "anchor": _nullable(_ref("Text")),
        },
    },
    "Question": {
        "type": "object",
        "required": ["id", "type", "text", "weight", "critical", "scored", "options"],
        "properties": {
            "id": STRING,
            "type": {"type": "string", "enum": ["scale", "single", "multiple", "number", "text"]},
            "text": _ref("Text"),
            "help": _nullable(_ref("Text")),
            "evidence": _nullable(_ref("Text")),
            "weight": {"type": "number"},
            "critical": {"type": "boolean"},
            "scored": {"type": "boolean"},
            "dont_know": {"type": "boolean"},
            "not_applicable": {"type": "boolean"},
            "options": {"type": "array", "items": _ref("Option")},
            "bands": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "min": {"type": ["number", "null"]},
                        "max": {"type": ["number", "null"]},
                        "score": {"type": "number"},
                        "label": _ref("Text"),
                    },
                },
            },
            "unit": _nullable(_ref("Text")),
            "show_if": {
                "type": ["object", "null"],
                "properties": {
                    "question": STRING,
                    "equals": {"type": "array", "items": STRING},
                    "min_score": {"type": ["number", "null"]},
                },
            },
            "requires": NULLABLE_STRING,
        },
    },
    "Questionnaire": {
        "allOf": [
            _ref("QuestionnaireSummary"),
            {
                "type": "object",
                "required": ["sections", "levels"],
                "properties": {
                    "sections": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["id", "title", "questions"],
                            "properties": {
                                "id": STRING,
                                "title": _ref("Text"),
                                "description": _nullable(_ref("Text")),
                                "weight": {"type": "number"},
                                "questions": {"type": "array", "items": _ref("Question")},
                            },
                        },
                    },
                    "levels": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "id": STRING,
                                "min": {"type": "number"},
                                "label": _ref("Text"),
                            },
                        },
                    },
                },
            },
        ]
    },
    "ReportRequestInput": {
        "type": "object",
        "properties": {
            "design": {"type": "string", "enum": list(DESIGNS), "default": "full"},
            "lang": {
                "type": "string",
                "enum": list(REPORT_LANGUAGES),
                "description": "Defaults to the token user's language.",
            },
            "compare_to": {
                "type": ["integer", "null"],
                "minimum": 1,
                "maximum": MAX_ID,
                "description": "Progress design: the audit to compare with "
                "(default: the previous submitted audit).",
            },
        },
    },
    "IssuedReport": {
        "type": "object",
        "required": ["id", "filename", "size", "pages", "sha256", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "filename": STRING,
            "size": {"type": "integer"},
            "pages": {"type": "integer"},
            "sha256": STRING,
            "created_at": TIMESTAMP,
        },
    },
    "ReportRequest": {
        "type": "object",
        "required": [
            "id",
            "audit_id",
            "organisation_id",
            "design",
            "lang",
            "status",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "report",
            "links",
        ],
        "properties": {
            "id": {"type": "integer"},
            "audit_id": {"type": "integer"},
            "organisation_id": {"type": "integer"},
            "design": {"type": "string", "enum": list(DESIGNS)},
            "lang": {"type": "string", "enum": list(REPORT_LANGUAGES)},
            "status": {"type": "string", "enum": list(REPORT_REQUEST_STATUSES)},
            "error": {
                "type": ["string", "null"],
                "description": "Why it failed: a code such as render_failed or worker_failed.",
            },
            "created_at": TIMESTAMP,
            "started_at": NULLABLE_TIMESTAMP,
            "finished_at": NULLABLE_TIMESTAMP,
            "report": _nullable(_ref("IssuedReport")),
            "links": LINKS,
        },
    },
    "Person": {
        "type": "object",
        "required": ["id", "display_name", "emails", "phones", "memberships", "tags"],
        "properties": {
            "id": {"type": "integer"},
            "first_name": STRING,
            "last_name": STRING,
            "display_name": STRING,
            "job_title": NULLABLE_STRING,
            "language": NULLABLE_STRING,
            "preferred_channel": NULLABLE_STRING,
            "emails": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "email": STRING,
                        "primary": {"type": "boolean"},
                        "opt_out": {"type": "boolean"},
                    },
                },
            },
            "phones": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "phone": STRING,
                        "primary": {"type": "boolean"},
                        "opt_out": {"type": "boolean"},
                    },
                },
            },
            "memberships": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "organisation_id": {"type": "integer"},
                        "organisation": STRING,
                        "role": STRING,
                        "started_on": {"type": ["string", "null"], "format": "date"},
                        "ended_on": {"type": ["string", "null"], "format": "date"},
                    },
                },
            },
            "tags": {"type": "array", "items": STRING},
            "segment": NULLABLE_STRING,
            "last_contacted_at": NULLABLE_TIMESTAMP,
            "owner_id": {"type": ["integer", "null"]},
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        },
    },
    "Interaction": {
        "type": "object",
        "required": ["id", "occurred_at", "channel", "direction", "participants"],
        "properties": {
            "id": {"type": "integer"},
            "occurred_at": TIMESTAMP,
            "channel": {"type": "string", "enum": list(CHANNELS)},
            "direction": {"type": "string", "enum": list(DIRECTIONS)},
            "duration_minutes": {"type": ["integer", "null"]},
            "subject": STRING,
            "summary": STRING,
            "outcome": STRING,
            "organisation_id": {"type": ["integer", "null"]},
            "participants": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"id": {"type": "integer"}, "display_name": STRING},
                },
            },
            "logged_by_id": {"type": ["integer", "null"]},
            "source": STRING,
            "created_at": TIMESTAMP,
        },
    },
    "PersonPage": _page("Person"),
    "InteractionPage": _page("Interaction"),
    "OrganisationPage": _page("Organisation"),
    "AuditPage": _page("AuditSummary"),
    "QuestionnairePage": _page("QuestionnaireSummary"),
}

_ERROR_RESPONSE = {"content": {JSON: {"schema": _ref("Error")}}}
RESPONSES = {
    "BadRequest": {
        "description": "The body is not a JSON object, or a query parameter is not allowed.",
        **_ERROR_RESPONSE,
    },
    "Unauthorized": {
        "description": "No token, or an unknown or revoked one.",
        "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
        **_ERROR_RESPONSE,
    },
    "Forbidden": {"description": "The token user's role does not allow this.", **_ERROR_RESPONSE},
    "NotFound": {"description": "Not found, or not shared with the user.", **_ERROR_RESPONSE},
    "Conflict": {
        "description": "The resource is not in a state that allows this.",
        **_ERROR_RESPONSE,
    },
    "Unprocessable": {"description": "A value is not valid; see details.", **_ERROR_RESPONSE},
}

PARAMETERS = {
    "Limit": {
        "name": "limit",
        "in": "query",
        "description": "Items per page.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    },
    "Offset": {
        "name": "offset",
        "in": "query",
        "description": "Items to skip.",
        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
    },
    "OrganisationId": _id_parameter("organisation_id", "An organisation's id."),
    "AuditId": _id_parameter("audit_id", "An audit's id."),
    "RequestId": _id_parameter("request_id", "A report request's id."),
}


def _p(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


PATHS: dict[str, Any] = {
    "/organisations": {
        "get": {
            "operationId": "listOrganisations",
            "tags": ["organisations"],
            "summary": "Organisations the token user may see, by name",
            "parameters": [
                _p("Limit"),
                _p("Offset"),
                {
                    "name": "q",
                    "in": "query",
                    "description": "Part of the name or city.",
                    "schema": {**INPUT_TEXT, "maxLength": 200},
                },
                {
                    "name": "type",
                    "in": "query",
                    "schema": {"type": "string", "enum": list(ORGANISATION_TYPES)},
                },
            ],
            "responses": {
                "200": _json(_ref("OrganisationPage"), "One page of organisations."),
                **_errors(400, 401),
            },
        },
        "post": {
            "operationId": "createOrganisation",
            "tags": ["organisations"],
            "summary": "Create an organisation (administrators and consultants)",
            "requestBody": _body(
                "OrganisationInput", {"name": "Biblioteka Publiczna w Lesznie", "type": "library"}
            ),
            "responses": {
                "201": {
                    **_json(_ref("Organisation"), "Created."),
                    "headers": {"Location": {"schema": {"type": "string"}}},
                },
                **_errors(400, 401, 403, 409, 422),
            },
        },
    },
    "/organisations/{organisation_id}": {
        "parameters": [_p("OrganisationId")],
        "get": {
            "operationId": "getOrganisation",
            "tags": ["organisations"],
            "summary": "One organisation",
            "responses": {
                "200": _json(_ref("Organisation"), "The organisation."),
                **_errors(401, 404),
            },
        },
    },
    "/organisations/{organisation_id}/audits": {
        "parameters": [_p("OrganisationId")],
        "get": {
            "operationId": "listOrganisationAudits",
            "tags": ["audits"],
            "summary": "The organisation's audits, newest first",
            "parameters": [_p("Limit"), _p("Offset")],
            "responses": {
                "200": _json(_ref("AuditPage"), "One page of audits."),
                **_errors(400, 401, 404),
            },
        },
        "post": {
            "operationId": "startAudit",
            "tags": ["audits"],
            "summary": "Start an audit with a questionnaire",
            "requestBody": _body("StartAudit", {"questionnaire_id": "library-crm-audit"}),
            "responses": {
                "201": {
                    **_json(_ref("Audit"), "Started."),
                    "headers": {"Location": {"schema": {"type": "string"}}},
                },
                **_errors(400, 401, 403, 404, 422),
            },
        },
    },
    "/questionnaires": {
        "get": {
            "operationId": "listQuestionnaires",
            "tags": ["questionnaires"],
            "summary": "Questionnaires new audits can use",
            "parameters": [_p("Limit"), _p("Offset")],
            "responses": {
                "200": _json(_ref("QuestionnairePage"), "One page of questionnaires."),
                **_errors(400, 401),
            },
        },
    },
    "/questionnaires/{questionnaire_id}": {
        "parameters": [
            {
                "name": "questionnaire_id",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "pattern": "^[A-Za-z0-9_.-]+$", "maxLength": 100},
            }
        ],
        "get": {
            "operationId": "getQuestionnaire",
            "tags": ["questionnaires"],
            "summary": "A questionnaire: sections, questions, options, levels",
            "responses": {
                "200": _json(_ref("Questionnaire"), "The questionnaire."),
                **_errors(401, 404),
            },
        },
    },
    "/audits/{audit_id}": {
        "parameters": [_p("AuditId")],
        "get": {
            "operationId": "getAudit",
            "tags": ["audits"],
            "summary": "An audit with its answers and progress",
            "responses": {"200": _json(_ref("Audit"), "The audit."), **_errors(401, 404)},
        },
    },
    "/audits/{audit_id}/answers/{question_id}": {
        "parameters": [
            _p("AuditId"),
            {
                "name": "question_id",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "pattern": "^[A-Za-z0-9_.-]+$", "maxLength": 100},
            },
        ],
        "put": {
            "operationId": "saveAnswer",
            "tags": ["audits"],
            "summary": "Save one answer (409 when someone else changed it since base_revision)",
            "requestBody": _body("AnswerInput", {"value": "2", "note": "", "base_revision": 0}),
            "responses": {
                "200": _json(_ref("SavedAnswer"), "Saved (or unchanged)."),
                **_errors(400, 401, 403, 404, 409, 422),
            },
        },
    },
    "/audits/{audit_id}/submit": {
        "parameters": [_p("AuditId")],
        "post": {
            "operationId": "submitAudit",
            "tags": ["audits"],
            "summary": "Submit: lock the answers and freeze the scores",
            "responses": {
                "200": _json(_ref("Audit"), "Submitted."),
                **_errors(401, 403, 404, 409),
            },
        },
    },
    "/audits/{audit_id}/results": {
        "parameters": [_p("AuditId")],
        "get": {
            "operationId": "getResults",
            "tags": ["audits"],
            "summary": "The frozen result and the recommendations",
            "responses": {"200": _json(_ref("Results"), "The results."), **_errors(401, 404)},
        },
    },
    "/audits/{audit_id}/reports": {
        "parameters": [_p("AuditId")],
        "post": {
            "operationId": "requestReport",
            "tags": ["reports"],
            "summary": "Request a PDF report (rendered in the background)",
            "requestBody": _body("ReportRequestInput", {"design": "full", "lang": "pl"}),
            "responses": {
                "202": {
                    **_json(_ref("ReportRequest"), "Accepted; follow links.self for the status."),
                    "headers": {"Location": {"schema": {"type": "string"}}},
                },
                **_errors(400, 401, 403, 404, 409, 422),
            },
        },
    },
    "/reports/{request_id}": {
        "parameters": [_p("RequestId")],
        "get": {
            "operationId": "getReportRequest",
            "tags": ["reports"],
            "summary": "A report request's status",
            "responses": {
                "200": _json(_ref("ReportRequest"), "The status."),
                **_errors(401, 404),
            },
        },
    },
    "/reports/{request_id}/pdf": {
        "parameters": [_p("RequestId")],
        "get": {
            "operationId": "getReportPdf",
            "tags": ["reports"],
            "summary": "The finished PDF, byte for byte as archived",
            "responses": {
                "200": {
                    "description": "The PDF.",
                    "content": {
                        "application/pdf": {"schema": {"type": "string", "format": "binary"}}
                    },
                },
                **_errors(401, 404, 409),
            },
        },
    },
}


def _register_filter(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "description": description,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    }


PATHS["/people"] = {
    "get": {
        "operationId": "listPeople",
        "tags": ["register"],
        "summary": "People in the contact register the user may see (read only)",
        "parameters": [
            _p("Limit"),
            _p("Offset"),
            {
                "name": "q",
                "in": "query",
                "description": "Name, e-mail, phone or organisation.",
                "schema": {**INPUT_TEXT, "maxLength": 200},
            },
            _register_filter("organisation_id", "Only members of this organisation."),
        ],
        "responses": {
            "200": _json(_ref("PersonPage"), "One page of people, by last name."),
            **_errors(400, 401),
        },
    }
}
PATHS["/interactions"] = {
    "get": {
        "operationId": "listInteractions",
        "tags": ["register"],
        "summary": "Interactions the user may see, newest first (read only)",
        "parameters": [
            _p("Limit"),
            _p("Offset"),
            {
                "name": "q",
                "in": "query",
                "description": "Words in the subject or summary.",
                "schema": {**INPUT_TEXT, "maxLength": 200},
            },
            _register_filter("organisation_id", "Only interactions with this organisation."),
            _register_filter("person_id", "Only interactions with this person."),
            {
                "name": "channel",
                "in": "query",
                "schema": {"type": "string", "enum": list(CHANNELS)},
            },
            {
                "name": "direction",
                "in": "query",
                "schema": {"type": "string", "enum": list(DIRECTIONS)},
            },
        ],
        "responses": {
            "200": _json(_ref("InteractionPage"), "One page of interactions."),
            **_errors(400, 401),
        },
    }
}


def spec(server_url: str = "/api/v1") -> dict[str, Any]:
    """The document; the questionnaire ids new audits may use are the loaded ones."""
    schemas = copy.deepcopy(SCHEMAS)
    ids = [q.id for q in catalogue().all()]
    schemas["StartAudit"]["properties"]["questionnaire_id"] = {"type": "string", "enum": ids}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Readiness audit API",
            "version": VERSION,
            "description": "Organisations, audits, questionnaires and PDF reports of the CRM "
            "readiness audit. Authenticate with a personal token (Account → API tokens): "
            "`Authorization: Bearer <token>`. Lists page with `limit`/`offset` and give the "
            "next page's link in `next`. Errors are `{error, code, details}`.",
        },
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": []}],
        "tags": [
            {"name": "organisations"},
            {"name": "audits"},
            {"name": "questionnaires"},
            {"name": "reports"},
            {"name": "register"},
        ],
        "paths": PATHS,
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token; create one at /account/tokens.",
                }
            },
            "schemas": schemas,
            "responses": RESPONSES,
            "parameters": PARAMETERS,
        },
    }


def operations() -> list[dict[str, str]]:
    """(method, path, summary) of every operation, for the human page."""
    rows = []
    for path, item in PATHS.items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                rows.append(
                    {
                        "method": method.upper(),
                        "path": "/api/v1" + path,
                        "summary": operation["summary"],
                        "tag": operation["tags"][0],
                    }
                )
    return rows


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return spec()
