"""A refused action form on the results page (issue 15, item 3): the error is summed up
at the top of the page, linked to its field and focused, and the URL the failed post
leaves in the address bar answers GET (reload, bookmark)."""

from __future__ import annotations

import re

from tests.conftest import csrf_token, login
from tests.web.test_results import ANSWERS_A, answered_audit, setup  # noqa: F401

PREFIX = "new-rec-q08-first-"


def failed_post(client, audit_id):
    token = csrf_token(client.get(f"/audits/{audit_id}/results").text)
    return client.post(
        f"/audits/{audit_id}/actions",
        data={
            "recommendation_id": "rec-q08-first",
            PREFIX + "csrf_token": token,
            PREFIX + "title": "   ",
            PREFIX + "owner": "Pani Basia",
            PREFIX + "status": "todo",
        },
    )


def test_a_failed_action_is_summed_up_at_the_top_with_a_link_to_its_field(
    client,
    app,
    setup,  # noqa: F811
):
    audit_id = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A)
    login(client, "con@example.org")
    assert 'id="error-summary"' not in client.get(f"/audits/{audit_id}/results").text

    response = failed_post(client, audit_id)
    assert response.status_code == 400
    page = response.text
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert summary is not None
    assert "autofocus" in summary.group(0) and 'tabindex="-1"' in summary.group(0)
    link = re.search(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(0))
    assert link.group(1) == PREFIX + "title" and "This field is required." in link.group(2)
    assert f'id="{PREFIX}title"' in page  # the link's target exists
    # the summary comes right after the heading, long before the form
    assert page.index('id="error-summary"') < page.index("summary-heading")
    assert page.index('id="error-summary"') < page.index(f'id="{PREFIX}title"')


def test_the_url_of_a_failed_post_answers_get(client, app, setup):  # noqa: F811
    audit_id = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A)
    login(client, "con@example.org")
    failed_post(client, audit_id)
    again = client.get(f"/audits/{audit_id}/actions")
    assert again.status_code == 302
    assert again.location.endswith(f"/audits/{audit_id}/results")
    assert client.get(again.location).status_code == 200


def test_the_summary_is_in_polish(client, app, setup):  # noqa: F811
    from audit_app.extensions import db
    from audit_app.models import User

    audit_id = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A)
    with app.app_context():
        db.session.scalar(db.select(User).filter_by(email="con@example.org")).language = "pl"
        db.session.commit()
    login(client, "con@example.org")
    page = failed_post(client, audit_id).text
    assert "Popraw zaznaczone pola" in page and "To pole jest wymagane." in page
