"""OpenAPI paths and schemas of /api/v1/campaigns."""

from __future__ import annotations

from typing import Any

from audit_app.domain.campaign_view import STATES
from audit_app.web.api.openapi_parts import (
    LINKS,
    STRING,
    TIMESTAMP,
    body_of,
    errors_of,
    id_parameter,
    json_of,
    page_of,
    param,
    ref,
)

NUMBER_OR_NULL = {"type": ["number", "null"]}
COUNT = {"type": "integer", "minimum": 0}

FIGURES = {
    "type": "object",
    "description": "A distribution as the anonymity rules allow it: null figures under "
    "the minimum group (BENCHMARK_MIN_PEERS, at least 5), min-max null under 10.",
    "required": ["n", "shown", "median", "lower_quartile", "upper_quartile", "minimum", "maximum"],
    "properties": {
        "n": COUNT,
        "shown": {"type": "boolean"},
        "median": NUMBER_OR_NULL,
        "lower_quartile": NUMBER_OR_NULL,
        "upper_quartile": NUMBER_OR_NULL,
        "minimum": NUMBER_OR_NULL,
        "maximum": NUMBER_OR_NULL,
    },
}

COUNTED = {
    "type": "object",
    "required": ["id", "title", "members"],
    "properties": {"id": STRING, "title": STRING, "area": STRING, "members": COUNT},
}

CAMPAIGN_SCHEMAS: dict[str, Any] = {
    "Campaign": {
        "type": "object",
        "required": [
            "id",
            "name",
            "questionnaire_id",
            "starts_on",
            "ends_on",
            "organiser_id",
            "member_count",
            "links",
        ],
        "properties": {
            "id": {"type": "integer"},
            "name": STRING,
            "questionnaire_id": STRING,
            "starts_on": {"type": "string", "format": "date"},
            "ends_on": {"type": "string", "format": "date"},
            "organiser_id": {"type": "integer"},
            "terms": STRING,
            "terms_include_benchmarks": {"type": "boolean"},
            "member_count": COUNT,
            "links": LINKS,
        },
    },
    "CampaignPage": page_of("Campaign"),
    "CampaignDetail": {
        "allOf": [
            ref("Campaign"),
            {
                "type": "object",
                "required": ["participation", "aggregate_shown", "overall", "areas", "members"],
                "properties": {
                    "min_peers": {"type": "integer", "minimum": 5},
                    "participation": {
                        "type": "object",
                        "required": [
                            "members",
                            "not_started",
                            "in_progress",
                            "submitted",
                            "reminders_due",
                        ],
                        "properties": {
                            "members": COUNT,
                            "not_started": COUNT,
                            "in_progress": COUNT,
                            "submitted": COUNT,
                            "reminders_due": COUNT,
                            "summary": STRING,
                            "reminders_sentence": STRING,
                        },
                    },
                    "aggregate_shown": {"type": "boolean"},
                    "overall": FIGURES,
                    "areas": {
                        "type": "array",
                        "items": {
                            "allOf": [
                                FIGURES,
                                {
                                    "type": "object",
                                    "required": ["id", "title"],
                                    "properties": {"id": STRING, "title": STRING},
                                },
                            ]
                        },
                    },
                    "start_areas": {"type": "array", "items": COUNTED},
                    "recurring_recommendations": {"type": "array", "items": COUNTED},
                    "members": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["organisation_id", "state", "shares_results"],
                            "properties": {
                                "organisation_id": {"type": "integer"},
                                "organisation": STRING,
                                "state": {"type": "string", "enum": list(STATES)},
                                "reminder_due": {"type": "boolean"},
                                "shares_results": {"type": "boolean"},
                                "result_audit_id": {
                                    "type": ["integer", "null"],
                                    "description": "Set only for a member that shares its "
                                    "results and has submitted within the period.",
                                },
                                "last_reminded_at": {
                                    "type": ["string", "null"],
                                    "format": "date-time",
                                    "description": "When the organiser last reminded the "
                                    "member by e-mail; null: never.",
                                },
                            },
                        },
                    },
                },
            },
        ]
    },
    "CampaignMemberInput": {
        "type": "object",
        "required": ["organisation_id"],
        "properties": {"organisation_id": {"type": "integer", "minimum": 1}},
    },
    "CampaignMember": {
        "type": "object",
        "required": ["organisation_id", "joined_at", "shares_results"],
        "properties": {
            "organisation_id": {"type": "integer"},
            "joined_at": TIMESTAMP,
            "shares_results": {"type": "boolean"},
        },
    },
}

CAMPAIGN_PARAMETER = id_parameter("campaign_id", "A campaign's id.")

CAMPAIGN_PATHS: dict[str, Any] = {
    "/campaigns": {
        "get": {
            "operationId": "listCampaigns",
            "tags": ["campaigns"],
            "summary": "Campaigns the token user organises (administrators: every one)",
            "parameters": [param("Limit"), param("Offset")],
            "responses": {
                "200": json_of(ref("CampaignPage"), "One page of campaigns."),
                **errors_of(400, 401),
            },
        }
    },
    "/campaigns/{campaign_id}": {
        "parameters": [CAMPAIGN_PARAMETER],
        "get": {
            "operationId": "getCampaign",
            "tags": ["campaigns"],
            "summary": "A campaign with participation per member and the aggregated results",
            "responses": {
                "200": json_of(ref("CampaignDetail"), "The campaign."),
                **errors_of(401, 404),
            },
        },
    },
    "/campaigns/{campaign_id}/members": {
        "parameters": [CAMPAIGN_PARAMETER],
        "post": {
            "operationId": "addCampaignMember",
            "tags": ["campaigns"],
            "summary": "Add an organisation the token user may see as a member",
            "requestBody": body_of("CampaignMemberInput", {"organisation_id": 42}),
            "responses": {
                "201": {
                    **json_of(ref("CampaignMember"), "Added."),
                    "headers": {"Location": {"schema": {"type": "string"}}},
                },
                **errors_of(400, 401, 404, 409, 422),
            },
        },
    },
    "/campaigns/{campaign_id}/members/{organisation_id}": {
        "parameters": [
            CAMPAIGN_PARAMETER,
            id_parameter("organisation_id", "The member organisation's id."),
        ],
        "delete": {
            "operationId": "removeCampaignMember",
            "tags": ["campaigns"],
            "summary": "Remove a member: it leaves the campaign; the organisation, its audits "
            "and its data stay (recorded in the audit trail)",
            "responses": {
                "204": {"description": "Removed."},
                **errors_of(401, 404),
            },
        },
    },
}
