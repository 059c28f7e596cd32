"""Destructive one-button actions ask first (issue 15, item 7): "Revoke link" and "Revert
this import" are links to a confirmation page (GET, no JavaScript needed) whose form
posts back with CSRF; only that post acts."""

from __future__ import annotations

import re

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import ImportBatch, Respondent, User
from tests.conftest import csrf_token
from tests.web.test_register_helpers import login, world
from tests.web.test_register_import import PEOPLE_CSV, mapping_post, upload
from tests.web.test_respondents import consultant, invite, new_browser, shared_link  # noqa: F401


def confirmation(client, url, *, button, cancel):
    """The GET page: a form posting to the same URL with a CSRF token, and a way back."""
    page = client.get(url)
    assert page.status_code == 200
    form = re.search(
        r'<form method="post" action="([^"]+)" id="confirm-form">(.*?)</form>', page.text, re.S
    )
    assert form is not None and form.group(1) == url
    assert 'name="csrf_token"' in form.group(2) and f">{button}</button>" in form.group(2)
    assert f'href="{cancel}"' in form.group(2)
    return page.text


def test_revoking_a_personal_link_asks_first(app, client, consultant):  # noqa: F811
    audit_id = consultant["audit_id"]
    path = invite(client, audit_id, "leadership", name="Anna Nowak")
    with app.app_context():
        respondent_id = db.session.scalars(select(Respondent)).one().id
    url = f"/audits/{audit_id}/respondents/{respondent_id}/revoke"
    listing = client.get(f"/audits/{audit_id}/respondents").text
    assert f'href="{url}"' in listing and f'action="{url}"' not in listing

    page = confirmation(client, url, button="Revoke link", cancel=f"/audits/{audit_id}/respondents")
    assert "The personal link of Anna Nowak will stop working at once." in page
    visitor = new_browser(app)
    assert visitor.get(path).status_code == 200  # looking at the question changed nothing
    assert client.post(url).status_code == 400  # no CSRF token: refused
    assert visitor.get(path).status_code == 200

    done = client.post(url, data={"csrf_token": csrf_token(page)})
    assert done.status_code == 302
    assert visitor.get(path).status_code == 410


def test_revoking_a_shared_link_asks_first(app, client, consultant):  # noqa: F811
    audit_id = consultant["audit_id"]
    path = shared_link(client, audit_id, "frontline_staff")
    listing = client.get(f"/audits/{audit_id}/respondents").text
    url = re.search(r'href="(/audits/\d+/respondents/links/\d+/revoke)"', listing).group(1)
    assert f'action="{url}"' not in listing

    page = confirmation(
        client, url, button="Revoke link", cancel=f"/audits/{audit_id}/respondents#shared-links"
    )
    assert "Nobody will be able to start through this shared link any more." in page
    visitor = new_browser(app)
    assert visitor.get(path).status_code == 200

    done = client.post(url, data={"csrf_token": csrf_token(page)})
    assert done.status_code == 302 and done.location.endswith("#shared-links")
    assert new_browser(app).get(path).status_code == 410


def imported_batch(client, app, language="en") -> int:
    """The consultant imports the sample people file; returns the batch's id."""
    world(app)
    with app.app_context():
        db.session.scalar(select(User).filter_by(email="con@example.org")).language = language
        db.session.commit()
    login(client, "con@example.org")
    mapping_post(client, upload(client, PEOPLE_CSV).headers["Location"], "import")
    with app.app_context():
        return db.session.scalar(select(ImportBatch.id))


def test_reverting_an_import_asks_first(client, app):
    batch_id = imported_batch(client, app)
    batch_url = f"/register/import/batches/{batch_id}"
    url = f"{batch_url}/revert"
    batch_page = client.get(batch_url).text
    assert f'href="{url}"' in batch_page and f'action="{url}"' not in batch_page

    page = confirmation(client, url, button="Revert this import", cancel=batch_url)
    assert f"Revert import #{batch_id}" in page and "kontakty.csv" in page
    with app.app_context():
        assert db.session.get(ImportBatch, batch_id).reverted_at is None

    done = client.post(url, data={"csrf_token": csrf_token(page)})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(ImportBatch, batch_id).reverted_at is not None


def test_the_confirmation_pages_are_in_polish(client, app):
    batch_id = imported_batch(client, app, language="pl")
    page = client.get(f"/register/import/batches/{batch_id}/revert").text
    assert f"Wycofaj import nr {batch_id}" in page and ">Wycofaj ten import</button>" in page
    assert ">Anuluj</a>" in page
