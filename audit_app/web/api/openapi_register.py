"""OpenAPI schemas: questionnaires, reports and the contact register."""

from __future__ import annotations

from typing import Any

from audit_app.models.api import REPORT_REQUEST_STATUSES
from audit_app.models.register import CHANNELS, DIRECTIONS
from audit_app.services.report_context import DESIGNS
from audit_app.web.api.blueprint import MAX_ID
from audit_app.web.api.openapi_parts import (
    LINKS,
    NULLABLE_STRING,
    NULLABLE_TIMESTAMP,
    STRING,
    TIMESTAMP,
    nullable,
    page_of,
    ref,
)
from audit_app.wording import REPORT_LANGUAGES

REGISTER_SCHEMAS: dict[str, Any] = {
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
            "title": ref("Text"),
            "description": ref("Text"),
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
            "label": ref("Text"),
            "anchor": nullable(ref("Text")),
        },
    },
    "Question": {
        "type": "object",
        "required": ["id", "type", "text", "weight", "critical", "scored", "options"],
        "properties": {
            "id": STRING,
            "type": {"type": "string", "enum": ["scale", "single", "multiple", "number", "text"]},
            "text": ref("Text"),
            "help": nullable(ref("Text")),
            "evidence": nullable(ref("Text")),
            "weight": {"type": "number"},
            "critical": {"type": "boolean"},
            "scored": {"type": "boolean"},
            "dont_know": {"type": "boolean"},
            "not_applicable": {"type": "boolean"},
            "options": {"type": "array", "items": ref("Option")},
            "bands": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "min": {"type": ["number", "null"]},
                        "max": {"type": ["number", "null"]},
                        "score": {"type": "number"},
                        "label": ref("Text"),
                    },
                },
            },
            "unit": nullable(ref("Text")),
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
            ref("QuestionnaireSummary"),
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
                                "title": ref("Text"),
                                "description": nullable(ref("Text")),
                                "weight": {"type": "number"},
                                "questions": {"type": "array", "items": ref("Question")},
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
                                "label": ref("Text"),
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
            "report": nullable(ref("IssuedReport")),
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
    "PersonPage": page_of("Person"),
    "InteractionPage": page_of("Interaction"),
    "OrganisationPage": page_of("Organisation"),
    "AuditPage": page_of("AuditSummary"),
    "QuestionnairePage": page_of("QuestionnaireSummary"),
}
