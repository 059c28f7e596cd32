"""Building blocks of the OpenAPI description (openapi.py): helpers, common types,
shared responses and parameters."""

from __future__ import annotations

from typing import Any

from audit_app.web.api.blueprint import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, MAX_OFFSET

VERSION = "1.0.0"
JSON = "application/json"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def json_of(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def errors_of(*statuses: int) -> dict[str, Any]:
    names = {
        400: "BadRequest",
        401: "Unauthorized",
        403: "Forbidden",
        404: "NotFound",
        409: "Conflict",
        422: "Unprocessable",
    }
    return {str(s): {"$ref": f"#/components/responses/{names[s]}"} for s in statuses}


def page_of(item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["items", "total", "limit", "offset", "next"],
        "properties": {
            "items": {"type": "array", "items": ref(item)},
            "total": {"type": "integer", "minimum": 0},
            "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            "offset": {"type": "integer", "minimum": 0},
            "next": {
                "type": ["string", "null"],
                "description": "Link to the next page; null on the last page.",
            },
        },
    }


def id_parameter(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    }


def body_of(schema_name: str, example: dict[str, Any]) -> dict[str, Any]:
    return {
        "required": True,
        "content": {JSON: {"schema": ref(schema_name), "example": example}},
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

_ERROR_RESPONSE = {"content": {JSON: {"schema": ref("Error")}}}
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
    "OrganisationId": id_parameter("organisation_id", "An organisation's id."),
    "AuditId": id_parameter("audit_id", "An audit's id."),
    "RequestId": id_parameter("request_id", "A report request's id."),
}


def param(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}
