"""Recommendations on the results page (issue 15, item 8): each is headed by its short
title from the questionnaire, its details fold away in <details>, the roadmap filters by
area and horizon with plain query arguments (no script), and once turned into an action
the entry says "Action created" with a link instead of offering the form again; the form
pre-fills the action with the short title, not a cut with "…"."""

from __future__ import annotations

import re

from markupsafe import escape

from audit_app.extensions import db
from audit_app.services.questionnaires import catalogue
from audit_app.services.result_model import result_model
from tests.conftest import csrf_token, login
from tests.web.test_results import ANSWERS_A, answered_audit, item_block, setup  # noqa: F401

REC = "rec-q08-first"


def _model(app, audit_id, lang="en"):
    from audit_app.models import Audit

    with app.app_context():
        return result_model(db.session.get(Audit, audit_id), lang)


def _shown_ids(page: str) -> list[str]:
    return re.findall(r'<li id="rec-([^"]+)" value=', page)


def test_each_recommendation_is_headed_by_its_short_title_with_details_folded(
    client,
    app,
    setup,  # noqa: F811
):
    audit_id = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A)
    login(client, "con@example.org")
    page = client.get(f"/audits/{audit_id}/results").text
    model = _model(app, audit_id)
    with app.app_context():
        library = catalogue().get("library-crm-audit")
        titles = {
            r.id: r.title
            for q in library.questions
            for r in q.recommendations
            if r.title is not None
        }
    assert model.recommendations
    for item in model.recommendations:
        block = item_block(page, item.id)
        assert f"<h4>{escape(item.title)}</h4>" in block
        if item.id in titles:
            assert item.title == titles[item.id].en and "…" not in item.title
        details = re.search(r'<details class="roadmap-details">(.*?)</details>', block, re.S)
        assert details is not None and "<summary>Details and reasons</summary>" in details.group(1)
    # The new action's title is the short title.
    entry = item_block(page, REC)
    prefilled = re.search(r'id="new-rec-q08-first-title"[^>]*value="([^"]*)"', entry)
    prefilled = prefilled or re.search(r'value="([^"]*)"[^>]*id="new-rec-q08-first-title"', entry)
    assert prefilled.group(1) == titles[REC].en


def test_the_roadmap_filters_by_area_and_horizon(client, app, setup):  # noqa: F811
    audit_id = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A)
    login(client, "con@example.org")
    model = _model(app, audit_id)
    everything = client.get(f"/audits/{audit_id}/results").text
    assert 'id="roadmap-filters"' in everything and 'method="get"' in everything
    assert sorted(_shown_ids(everything)) == sorted(r.id for r in model.recommendations)

    area = model.recommendations[0].area_id
    page = client.get(f"/audits/{audit_id}/results?area={area}").text
    expected = [r.id for r in model.recommendations if r.area_id == area]
    assert sorted(_shown_ids(page)) == sorted(expected) and len(expected) < len(
        model.recommendations
    )
    assert f'<option value="{area}" selected>' in page

    phase = next(p for p in model.roadmap if p.items)
    page = client.get(f"/audits/{audit_id}/results?horizon={phase.id}").text
    assert sorted(_shown_ids(page)) == sorted(r.id for r in phase.items)

    page = client.get(f"/audits/{audit_id}/results?area={area}&horizon=no-such-phase").text
    assert sorted(_shown_ids(page)) == sorted(expected)  # an unknown value filters nothing
    other = next((p for p in model.roadmap if p.items and p.id != phase.id), None)
    if other is not None:
        only_other = [r for r in other.items if r.area_id == area]
        page = client.get(f"/audits/{audit_id}/results?area={area}&horizon={other.id}").text
        assert sorted(_shown_ids(page)) == sorted(r.id for r in only_other)


def test_a_converted_recommendation_says_action_created_with_a_link(
    client,
    app,
    setup,  # noqa: F811
):
    audit_id = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A)
    login(client, "con@example.org")
    page = client.get(f"/audits/{audit_id}/results").text
    assert "Turn into an action" in item_block(page, REC)
    prefix = f"new-{REC}-"
    done = client.post(
        f"/audits/{audit_id}/actions",
        data={
            "recommendation_id": REC,
            prefix + "csrf_token": csrf_token(page),
            prefix + "title": "Mapa punktów obsługi",
            prefix + "owner": "Pani Basia",
            prefix + "status": "todo",
        },
    )
    assert done.status_code == 302
    action_id = int(done.location.rsplit("#action-", 1)[1])
    entry = item_block(client.get(f"/audits/{audit_id}/results").text, REC)
    assert "Turn into an action" not in entry
    assert "Action created" in entry and f'href="#action-{action_id}"' in entry
    assert f'id="action-{action_id}"' in entry  # the link's target is the action itself
