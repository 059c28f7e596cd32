"""Schemathesis against the app: for every operation of /api/v1/openapi.json, generated
requests (with a valid token) never get a 5xx and every response matches the document.

Generated ids rarely name real rows, so half of the cases have their path parameters
replaced by the ids of real data the token user may change: the answers endpoint is then
fuzzed against a real audit in progress. Bounded (25 examples per operation, derandomized)
to keep the suite fast and repeatable.
"""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance

from audit_app.extensions import db
from audit_app.models import ReportRequest, User
from audit_app.services import audits as audit_service
from audit_app.services import campaigns
from audit_app.services.questionnaires import catalogue
from audit_app.web.api.openapi import PATHS
from tests.conftest import make_user
from tests.support.sample import sample_history
from tests.web.test_api import make_token

OPERATIONS = [
    (method.upper(), path)
    for path, item in PATHS.items()
    for method in item
    if method in ("get", "post", "put", "patch", "delete")
]
# API_FUZZ_EXAMPLES=500 runs a longer, random (not derandomized) search locally.
MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES") or 25)
DERANDOMIZE = not os.environ.get("API_FUZZ_EXAMPLES")
# Whether an answer or a report request is acceptable depends on the question (its options,
# bands) and on the audit (submitted? an earlier one to compare with?), which a schema
# cannot say: valid-looking data is refused there with 409/422 by design.
SEMANTIC = {
    ("PUT", "/audits/{audit_id}/answers/{question_id}"),
    ("POST", "/audits/{audit_id}/reports"),
    # A valid-looking organisation id may name one the user cannot see, or a member.
    ("POST", "/campaigns/{campaign_id}/members"),
}


@pytest.fixture
def real(app, client, monkeypatch):
    """A consultant's token, a submitted audit's organisation, an audit in progress and a
    report request (no Redis: requests render in-process)."""
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    user_id = make_user(app, "konsultant@example.org", "consultant")
    with app.app_context():
        user = db.session.get(User, user_id)
        questionnaire = catalogue().get("library-crm-audit")
        history = sample_history(questionnaire, user=user, audits=1)
        draft = audit_service.start_audit(history.organisation, questionnaire, user)
        request = ReportRequest(
            audit_id=history.current.id,
            organisation_id=history.organisation.id,
            design="full",
            lang="pl",
            status="failed",
            error="render_failed",
        )
        db.session.add(request)
        campaign = campaigns.create(
            user,
            campaigns.CampaignInput(
                "Sieć", questionnaire.id, date.today(), date.today() + timedelta(days=30)
            ),
        )
        campaigns.add_member(user, campaign, history.organisation)
        db.session.commit()
        ids = {
            "organisation_id": history.organisation.id,
            "audit_id": draft.id,
            "request_id": request.id,
            "questionnaire_id": questionnaire.id,
            "question_id": questionnaire.questions[0].id,
            "campaign_id": campaign.id,
        }
    return {"ids": ids, "token": make_token(app, user_id)}


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_api_keeps_to_its_openapi_document(app, real, method, path):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]
    headers = {"Authorization": f"Bearer {real['token']}"}
    excluded = [positive_data_acceptance] if (method, path) in SEMANTIC else []

    @given(case=operation.as_strategy(), use_real_ids=st.booleans())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=DERANDOMIZE,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case, use_real_ids):
        if use_real_ids and case.path_parameters:
            for name in case.path_parameters:
                case.path_parameters[name] = real["ids"][name]
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    check()
