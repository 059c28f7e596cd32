"""The OpenAPI 3.1 description of /api/v1, kept next to the views it describes and served
at /api/v1/openapi.json (no token needed). tests/web/test_api_schema.py checks with
schemathesis that the API answers as described here."""

from __future__ import annotations

import copy
from typing import Any

from flask.typing import ResponseReturnValue

from audit_app.models.organisations import ORGANISATION_TYPES
from audit_app.models.register import CHANNELS, DIRECTIONS
from audit_app.services.questionnaires import catalogue
from audit_app.web.api.blueprint import MAX_ID, bp
from audit_app.web.api.openapi_audits import AUDIT_SCHEMAS, BENCHMARK_PATH
from audit_app.web.api.openapi_campaigns import CAMPAIGN_PATHS, CAMPAIGN_SCHEMAS
from audit_app.web.api.openapi_parts import (
    INPUT_TEXT,
    PARAMETERS,
    RESPONSES,
    body_of,
    errors_of,
    json_of,
    param,
    ref,
)
from audit_app.web.api.openapi_register import REGISTER_SCHEMAS
from audit_app.wording import REPORT_LANGUAGES

VERSION = "1.0.0"
SCHEMAS: dict[str, Any] = {**AUDIT_SCHEMAS, **REGISTER_SCHEMAS, **CAMPAIGN_SCHEMAS}


PATHS: dict[str, Any] = {
    "/organisations": {
        "get": {
            "operationId": "listOrganisations",
            "tags": ["organisations"],
            "summary": "Organisations the token user may see, by name",
            "parameters": [
                param("Limit"),
                param("Offset"),
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
                "200": json_of(ref("OrganisationPage"), "One page of organisations."),
                **errors_of(400, 401),
            },
        },
        "post": {
            "operationId": "createOrganisation",
            "tags": ["organisations"],
            "summary": "Create an organisation (administrators and consultants)",
            "requestBody": body_of(
                "OrganisationInput", {"name": "Biblioteka Publiczna w Lesznie", "type": "library"}
            ),
            "responses": {
                "201": {
                    **json_of(ref("Organisation"), "Created."),
                    "headers": {"Location": {"schema": {"type": "string"}}},
                },
                **errors_of(400, 401, 403, 409, 422),
            },
        },
    },
    "/organisations/{organisation_id}": {
        "parameters": [param("OrganisationId")],
        "get": {
            "operationId": "getOrganisation",
            "tags": ["organisations"],
            "summary": "One organisation",
            "responses": {
                "200": json_of(ref("Organisation"), "The organisation."),
                **errors_of(401, 404),
            },
        },
    },
    "/organisations/{organisation_id}/audits": {
        "parameters": [param("OrganisationId")],
        "get": {
            "operationId": "listOrganisationAudits",
            "tags": ["audits"],
            "summary": "The organisation's audits, newest first",
            "parameters": [param("Limit"), param("Offset")],
            "responses": {
                "200": json_of(ref("AuditPage"), "One page of audits."),
                **errors_of(400, 401, 404),
            },
        },
        "post": {
            "operationId": "startAudit",
            "tags": ["audits"],
            "summary": "Start an audit with a questionnaire",
            "requestBody": body_of("StartAudit", {"questionnaire_id": "library-crm-audit"}),
            "responses": {
                "201": {
                    **json_of(ref("Audit"), "Started."),
                    "headers": {"Location": {"schema": {"type": "string"}}},
                },
                **errors_of(400, 401, 403, 404, 422),
            },
        },
    },
    "/questionnaires": {
        "get": {
            "operationId": "listQuestionnaires",
            "tags": ["questionnaires"],
            "summary": "Questionnaires new audits can use",
            "parameters": [param("Limit"), param("Offset")],
            "responses": {
                "200": json_of(ref("QuestionnairePage"), "One page of questionnaires."),
                **errors_of(400, 401),
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
                "200": json_of(ref("Questionnaire"), "The questionnaire."),
                **errors_of(401, 404),
            },
        },
    },
    "/audits/{audit_id}": {
        "parameters": [param("AuditId")],
        "get": {
            "operationId": "getAudit",
            "tags": ["audits"],
            "summary": "An audit with its answers and progress",
            "responses": {"200": json_of(ref("Audit"), "The audit."), **errors_of(401, 404)},
        },
    },
    "/audits/{audit_id}/answers/{question_id}": {
        "parameters": [
            param("AuditId"),
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
            "requestBody": body_of("AnswerInput", {"value": "2", "note": "", "base_revision": 0}),
            "responses": {
                "200": json_of(ref("SavedAnswer"), "Saved (or unchanged)."),
                **errors_of(400, 401, 403, 404, 409, 422),
            },
        },
    },
    "/audits/{audit_id}/submit": {
        "parameters": [param("AuditId")],
        "post": {
            "operationId": "submitAudit",
            "tags": ["audits"],
            "summary": "Submit: lock the answers and freeze the scores",
            "responses": {
                "200": json_of(ref("Audit"), "Submitted."),
                **errors_of(401, 403, 404, 409),
            },
        },
    },
    "/audits/{audit_id}/results": {
        "parameters": [param("AuditId")],
        "get": {
            "operationId": "getResults",
            "tags": ["audits"],
            "summary": "The frozen result, the recommendations and the result model",
            "parameters": [
                {
                    "name": "lang",
                    "in": "query",
                    "description": "Language of the model's texts (default: the token "
                    "user's language).",
                    "schema": {"type": "string", "enum": list(REPORT_LANGUAGES)},
                }
            ],
            "responses": {
                "200": json_of(ref("Results"), "The results."),
                **errors_of(401, 404, 422),
            },
        },
    },
    "/audits/{audit_id}/reports": {
        "parameters": [param("AuditId")],
        "post": {
            "operationId": "requestReport",
            "tags": ["reports"],
            "summary": "Request a PDF report (rendered in the background)",
            "requestBody": body_of("ReportRequestInput", {"design": "full", "lang": "pl"}),
            "responses": {
                "202": {
                    **json_of(ref("ReportRequest"), "Accepted; follow links.self for the status."),
                    "headers": {"Location": {"schema": {"type": "string"}}},
                },
                **errors_of(400, 401, 403, 404, 409, 422),
            },
        },
    },
    "/reports/{request_id}": {
        "parameters": [param("RequestId")],
        "get": {
            "operationId": "getReportRequest",
            "tags": ["reports"],
            "summary": "A report request's status",
            "responses": {
                "200": json_of(ref("ReportRequest"), "The status."),
                **errors_of(401, 404),
            },
        },
    },
    "/reports/{request_id}/pdf": {
        "parameters": [param("RequestId")],
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
                **errors_of(401, 404, 409),
            },
        },
    },
}


PATHS["/audits/{audit_id}/benchmark"] = BENCHMARK_PATH


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
            param("Limit"),
            param("Offset"),
            {
                "name": "q",
                "in": "query",
                "description": "Name, e-mail, phone or organisation.",
                "schema": {**INPUT_TEXT, "maxLength": 200},
            },
            _register_filter("organisation_id", "Only members of this organisation."),
        ],
        "responses": {
            "200": json_of(ref("PersonPage"), "One page of people, by last name."),
            **errors_of(400, 401),
        },
    }
}
PATHS["/interactions"] = {
    "get": {
        "operationId": "listInteractions",
        "tags": ["register"],
        "summary": "Interactions the user may see, newest first (read only)",
        "parameters": [
            param("Limit"),
            param("Offset"),
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
            "200": json_of(ref("InteractionPage"), "One page of interactions."),
            **errors_of(400, 401),
        },
    }
}

PATHS.update(CAMPAIGN_PATHS)


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
            {"name": "campaigns"},
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
