"""OpenAPI schemas: errors, organisations, audits, answers and results."""

from __future__ import annotations

from typing import Any

from audit_app.models.audits import AUDIT_STATUSES
from audit_app.models.organisations import ORGANISATION_TYPES, SIZES
from audit_app.web.api.openapi_parts import (
    INPUT_TEXT,
    LINKS,
    NULLABLE_STRING,
    NULLABLE_TIMESTAMP,
    STRING,
    TIMESTAMP,
    errors_of,
    json_of,
    nullable,
    param,
    ref,
)
from audit_app.wording import REPORT_LANGUAGES

AUDIT_SCHEMAS: dict[str, Any] = {
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
        "properties": {"id": STRING, "version": STRING, "title": ref("Text")},
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
            "questionnaire": ref("QuestionnaireRef"),
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
            ref("AuditSummary"),
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
                    "progress": ref("Progress"),
                    "answers": {"type": "object", "additionalProperties": ref("Answer")},
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
            "answer": ref("Answer"),
            "changed": {"type": "boolean"},
            "progress": ref("Progress"),
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
            "model",
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
            "model": {
                "type": "object",
                "description": "The one result model in the requested language: every figure "
                "as its unrounded number and its display string, the strongest and weakest "
                "areas, where to start (`start`), the best case with unknown answers, the "
                "roadmap, the comparison with the previous audit and the trend. The results "
                "page and every PDF report show exactly these values "
                "(docs/conventions.md).",
                "required": ["result", "dimensions", "strongest", "weakest", "start"],
            },
            "result": {
                "type": "object",
                "description": "The scoring result: overall, level, verdict, coverage, "
                "sections and questions with their percents and explanations.",
            },
            "recommendations": {"type": "array", "items": ref("Recommendation")},
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
            "text": ref("Text"),
            "impact": {"type": "string", "enum": ["low", "medium", "high"]},
            "effort": {"type": "string", "enum": ["low", "medium", "high"]},
            "category": {
                "type": "string",
                "enum": ["quick_win", "major_project", "fill_in", "thankless"],
            },
            "priority": {"type": "number"},
            "blocked_by": {"type": "array", "items": STRING},
            "triggered_by": {"type": "array", "items": {"type": "object"}},
            "horizon": nullable(ref("Text")),
            "title": nullable(ref("Text")),
        },
    },
}


_INT = {"type": "integer"}
_NULLABLE_INT = {"type": ["integer", "null"]}
AUDIT_SCHEMAS["BenchmarkRow"] = {
    "type": "object",
    "description": "One group's anonymised distribution (overall or one area). Peer figures "
    "are whole multiples of 5 computed from scores coarsened to 5-point cells; minimum and "
    "maximum only from 10 peers (docs/benchmarks-and-campaigns.md).",
    "required": ["id", "title", "n", "q1", "median", "q3", "minimum", "maximum", "you"],
    "properties": {
        "id": STRING,
        "title": STRING,
        "n": _INT,
        "q1": _INT,
        "median": _INT,
        "q3": _INT,
        "minimum": _NULLABLE_INT,
        "maximum": _NULLABLE_INT,
        "you": {"type": ["number", "null"]},
        "you_display": STRING,
        "percentile": _NULLABLE_INT,
        "median_display": STRING,
        "middle_display": STRING,
        "range_display": STRING,
        "position": STRING,
    },
}
AUDIT_SCHEMAS["Benchmark"] = {
    "type": "object",
    "required": ["audit_id", "lang", "group", "benchmark"],
    "properties": {
        "audit_id": _INT,
        "lang": STRING,
        "group": {
            "type": "object",
            "required": ["questionnaire_id", "version", "organisation_type", "peers"],
            "properties": {
                "questionnaire_id": STRING,
                "version": {**STRING, "description": "The questionnaire version compared."},
                "organisation_type": {"type": "string", "enum": list(ORGANISATION_TYPES)},
                "size": nullable({"type": "string", "enum": list(SIZES)}),
                "sector": NULLABLE_STRING,
                "peers": {**_INT, "description": "Organisations in the group."},
                "same_version": {**_INT, "description": "Of them, answered on `version`."},
                "min_peers": _INT,
            },
        },
        "benchmark": {
            "type": "object",
            "description": "The result model's `benchmark`: what the results page and the "
            "full PDF show. `overall` null and `areas` empty (with `unavailable` saying "
            "why) while the group is smaller than min_peers.",
            "required": ["title", "overall", "areas", "peers", "unavailable"],
            "properties": {
                "title": STRING,
                "intro": STRING,
                "version_note": STRING,
                "anonymity_note": STRING,
                "unavailable": STRING,
                "peers": _INT,
                "same_version": _INT,
                "version": STRING,
                "overall": nullable(ref("BenchmarkRow")),
                "areas": {"type": "array", "items": ref("BenchmarkRow")},
                "withheld": {"type": "array", "items": STRING},
            },
        },
    },
}


def _flag_parameter(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "description": description,
        "schema": {"type": "string", "enum": ["true", "false"], "default": "false"},
    }


BENCHMARK_PATH: dict[str, Any] = {
    "parameters": [param("AuditId")],
    "get": {
        "operationId": "getBenchmark",
        "tags": ["audits"],
        "summary": "How the audit compares with anonymised peers of its kind",
        "parameters": [
            {
                "name": "lang",
                "in": "query",
                "description": "Language of the texts (default: the token user's language).",
                "schema": {"type": "string", "enum": list(REPORT_LANGUAGES)},
            },
            _flag_parameter("same_size", "Only peers of the organisation's size band."),
            _flag_parameter("same_sector", "Only peers of the organisation's sector."),
        ],
        "responses": {
            "200": json_of(ref("Benchmark"), "The benchmark."),
            **errors_of(400, 401, 404, 422),
        },
    },
}
