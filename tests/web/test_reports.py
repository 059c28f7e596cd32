"""PDF reports over HTTP and the CLI: issue, archive, byte-for-byte downloads, share
links (signed, expiring, revocable) and who may do what."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import UTC, datetime, timedelta

import pypdf
import pytest
from flask import render_template_string
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import IssuedReport, OrganisationAccess, ShareLink, TrailEvent, User
from audit_app.services import audits as audit_service
from audit_app.services import sharing, signed_links
from audit_app.services.questionnaires import catalogue
from tests.conftest import csrf_token, login, make_user
from tests.support.sample import sample_history


@pytest.fixture
def setup(app, client):
    """A consultant with three submitted library audits, a viewer of the organisation,
    and a consultant who may not see it."""
    consultant_id = make_user(app, "konsultant@example.org", "consultant", name="Konrad Kowalski")
    viewer_id = make_user(app, "viewer@example.org", "viewer")
    make_user(app, "other@example.org", "consultant")
    with app.app_context():
        consultant = db.session.get(User, consultant_id)
        history = sample_history(catalogue().get("library-crm-audit"), user=consultant, audits=3)
        db.session.add(
            OrganisationAccess(organisation_id=history.organisation.id, user_id=viewer_id)
        )
        draft = audit_service.start_audit(
            history.organisation, audit_service.questionnaire_for(history.current), consultant
        )
        db.session.commit()
        return {
            "audits": [a.id for a in history.audits],
            "current": history.current.id,
            "oldest": history.audits[0].id,
            "draft": draft.id,
            "organisation": history.organisation.id,
        }


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def post_issue(client, audit_id, **data):
    """The "make PDF" post as the browser sends it (the progress page's redirect or the
    form again with its errors)."""
    page = client.get(f"/audits/{audit_id}/reports")
    form = {"design": "full", "lang": "pl", "compare_to": "0", **data}
    form["csrf_token"] = csrf_token(page.text)
    return client.post(f"/audits/{audit_id}/reports", data=form)


def issue(client, audit_id, **data):
    """Make a PDF as a person does: post, land on the progress page, and when it says the
    report is ready (rendered in the request: no queue) download it; else (queued, or
    refused) the post's own response."""
    response = post_issue(client, audit_id, **data)
    if response.status_code != 303 or "/report-requests/" not in response.location:
        return response
    progress = client.get(response.location)
    ready = re.search(r'href="(/reports/\d+\.pdf)" download', progress.text)
    return client.get(ready.group(1)) if ready else response


def share(client, audit_id, report_id, days=14):
    page = client.get(f"/audits/{audit_id}/reports")
    response = client.post(
        f"/reports/{report_id}/share", data={"days": str(days), "csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 200, response.text
    match = re.search(r'id="share-url" value="([^"]+)"', response.text)
    return match.group(1).replace("http://localhost", "")


def test_editor_issues_a_report_that_is_archived_byte_for_byte(client, app, setup):
    login(client, "konsultant@example.org")
    response = issue(client, setup["current"], design="brief", lang="pl")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert "-brief-pl-" in response.headers["Content-Disposition"]
    pdf = response.data
    text = pdf_text(pdf)
    assert "skrót dla kierownictwa" in text.lower() and "Decyzja w skrócie" in text
    with app.app_context():
        report = db.session.scalar(select(IssuedReport))
        assert report.audit_id == setup["current"]
        assert (report.design, report.lang, report.pages, report.channel) == (
            "brief",
            "pl",
            2,
            "web",
        )
        assert report.created_by.email == "konsultant@example.org"
        assert report.pdf == pdf
        assert report.sha256 == hashlib.sha256(pdf).hexdigest()
        assert report.context["result"]["verdict_label"] in text
        assert report.context["issued"]["by"] == "Konrad Kowalski"
        assert report.context["lang"] == "pl"
        event = db.session.scalar(select(TrailEvent).filter_by(action="issue_report"))
        assert event.details["sha256"] == report.sha256
        report_id = report.id

    archive = client.get(f"/audits/{setup['current']}/reports")
    assert archive.status_code == 200
    assert f"/reports/{report_id}.pdf" in archive.text
    assert "Konrad Kowalski" in archive.text
    download = client.get(f"/reports/{report_id}.pdf")
    assert download.status_code == 200
    assert download.data == pdf  # unchanged, byte for byte
    assert download.headers["X-Content-SHA256"] == hashlib.sha256(pdf).hexdigest()

    # A later issue is a new archive entry; the earlier one stays as it was.
    again = issue(client, setup["current"], design="full", lang="en")
    assert again.status_code == 200
    assert "The decision in brief" in pdf_text(again.data)
    assert client.get(f"/reports/{report_id}.pdf").data == pdf
    with app.app_context():
        assert db.session.query(IssuedReport).count() == 2


def test_progress_report_compares_chosen_audits(client, app, setup):
    login(client, "konsultant@example.org")
    response = issue(
        client, setup["current"], design="progress", lang="en", compare_to=str(setup["oldest"])
    )
    assert response.status_code == 200
    assert "progress report" in pdf_text(response.data).lower()
    with app.app_context():
        report = db.session.scalar(select(IssuedReport))
        assert report.compare_audit_id == setup["oldest"]
        assert report.context["comparison"]["before"]["audit_id"] == setup["oldest"]

    # Default: the previous submitted audit; the oldest audit has none.
    response = issue(client, setup["oldest"], design="progress", lang="en")
    assert response.status_code == 400
    assert "needs an earlier submitted audit" in response.text


def test_draft_audit_cannot_be_issued(client, app, setup):
    login(client, "konsultant@example.org")
    page = client.get(f"/audits/{setup['draft']}/reports")
    assert "Submit the audit first" in page.text
    token = csrf_token(page.text)
    response = client.post(
        f"/audits/{setup['draft']}/reports",
        data={"design": "full", "lang": "pl", "compare_to": "0", "csrf_token": token},
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.query(IssuedReport).count() == 0


def test_viewer_downloads_archive_but_cannot_issue_or_share(client, app, setup):
    login(client, "konsultant@example.org")
    issue(client, setup["current"], design="brief", lang="en")
    with app.app_context():
        report_id = db.session.scalar(select(IssuedReport.id))
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})

    login(client, "viewer@example.org")
    archive = client.get(f"/audits/{setup['current']}/reports")
    assert archive.status_code == 200
    assert f"/reports/{report_id}.pdf" in archive.text
    assert "Issue a new report" not in archive.text
    assert "Create a read-only link" not in archive.text
    assert client.get(f"/reports/{report_id}.pdf").status_code == 200
    token = csrf_token(archive.text)
    posted = client.post(
        f"/audits/{setup['current']}/reports",
        data={"design": "full", "lang": "pl", "compare_to": "0", "csrf_token": token},
    )
    assert posted.status_code == 403
    assert (
        client.post(
            f"/reports/{report_id}/share", data={"days": "7", "csrf_token": token}
        ).status_code
        == 403
    )
    with app.app_context():
        assert db.session.query(IssuedReport).count() == 1
        assert db.session.query(ShareLink).count() == 0


def test_others_get_404_and_anonymous_users_log_in(client, app, setup):
    login(client, "konsultant@example.org")
    issue(client, setup["current"], design="brief", lang="en")
    with app.app_context():
        report_id = db.session.scalar(select(IssuedReport.id))
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    assert client.get(f"/audits/{setup['current']}/reports").status_code == 302
    assert client.get(f"/reports/{report_id}.pdf").status_code == 302

    login(client, "other@example.org")
    assert client.get(f"/audits/{setup['current']}/reports").status_code == 404
    assert client.get(f"/reports/{report_id}.pdf").status_code == 404
    assert client.get("/reports/999999.pdf").status_code == 404


def test_share_link_shows_summary_and_pdf_without_an_account(client, app, setup):
    login(client, "konsultant@example.org")
    pdf = issue(client, setup["current"], design="full", lang="pl").data
    with app.app_context():
        report = db.session.scalar(select(IssuedReport))
        report_id, context = report.id, report.context
    url = share(client, setup["current"], report_id, days=7)
    assert url.startswith("/share/")

    anonymous = app.test_client()
    page = anonymous.get(url)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "noindex" in page.headers["X-Robots-Tag"]
    assert context["organisation"]["name"] in page.text
    assert context["result"]["verdict_label"] in page.text  # in the report's language
    assert context["result"]["overall_display"] in page.text
    assert 'lang="pl"' in page.text
    for item in context["top_actions"]:
        assert item["text"].split()[0] in page.text
    assert "<form" not in page.text.split("<main")[1]  # read-only: nothing to submit
    document = anonymous.get(url + "/report.pdf")
    assert document.status_code == 200
    assert document.data == pdf
    assert document.headers["Content-Disposition"].startswith("inline")
    with app.app_context():
        link = db.session.scalar(select(ShareLink))
        assert link.opened == 1
        assert link.created_by.email == "konsultant@example.org"
        expected = link.expires_at.replace(tzinfo=link.expires_at.tzinfo or UTC)
        assert expected - datetime.now(UTC) > timedelta(days=6, hours=23)

    archive = client.get(f"/audits/{setup['current']}/reports")
    assert "active until" in archive.text and "opened 1 time" in archive.text


def test_tampered_or_foreign_tokens_are_not_found(client, app, setup):
    login(client, "konsultant@example.org")
    issue(client, setup["current"], design="brief", lang="en")
    with app.app_context():
        report_id = db.session.scalar(select(IssuedReport.id))
    url = share(client, setup["current"], report_id)
    token = url.removeprefix("/share/")
    anonymous = app.test_client()
    assert anonymous.get(url).status_code == 200

    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    payload, _, rest = token.partition(".")
    assert anonymous.get(f"/share/{flipped}").status_code == 404
    assert anonymous.get(f"/share/{flipped}/report.pdf").status_code == 404
    assert anonymous.get(f"/share/x{payload}.{rest}").status_code == 404
    assert anonymous.get("/share/not-a-token").status_code == 404
    with app.app_context():
        link = db.session.scalar(select(ShareLink))
        app.config["SECRET_KEY"], saved = "another-secret", app.config["SECRET_KEY"]
        try:
            forged = sharing.token_for(link)
        finally:
            app.config["SECRET_KEY"] = saved
    assert anonymous.get(f"/share/{forged}").status_code == 404


def test_expired_links_stop_working(client, app, setup):
    login(client, "konsultant@example.org")
    issue(client, setup["current"], design="brief", lang="en")
    with app.app_context():
        report_id = db.session.scalar(select(IssuedReport.id))
    url = share(client, setup["current"], report_id, days=3)
    token = url.removeprefix("/share/")
    anonymous = app.test_client()
    assert anonymous.get(url).status_code == 200

    with app.app_context():
        # The signed timestamp is checked against the link's days (controllable clock).
        later = datetime.now(UTC) + timedelta(days=3, minutes=1)
        with pytest.raises(signed_links.LinkGone):
            sharing.resolve(token, clock=lambda: later)
        assert sharing.resolve(token, clock=lambda: later - timedelta(minutes=5)).id
        # And the stored expiry date: moved into the past, the link is gone.
        link = db.session.scalar(select(ShareLink))
        link.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    gone = anonymous.get(url, headers={"Accept-Language": "en"})
    assert gone.status_code == 410
    assert "expired" in gone.text
    assert anonymous.get(url + "/report.pdf").status_code == 410
    assert "expired" in client.get(f"/audits/{setup['current']}/reports").text


def test_revoked_links_stop_working_and_only_editors_revoke(client, app, setup):
    login(client, "konsultant@example.org")
    issue(client, setup["current"], design="brief", lang="en")
    with app.app_context():
        report_id = db.session.scalar(select(IssuedReport.id))
    url = share(client, setup["current"], report_id)
    anonymous = app.test_client()
    assert anonymous.get(url).status_code == 200
    with app.app_context():
        link_id = db.session.scalar(select(ShareLink.id))
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})

    login(client, "viewer@example.org")
    token = csrf_token(client.get(f"/audits/{setup['current']}/reports").text)
    assert (
        client.post(f"/reports/share/{link_id}/revoke", data={"csrf_token": token}).status_code
        == 403
    )
    assert anonymous.get(url).status_code == 200
    client.post("/logout", data={"csrf_token": token})

    login(client, "konsultant@example.org")
    page = client.get(f"/audits/{setup['current']}/reports")
    response = client.post(
        f"/reports/share/{link_id}/revoke", data={"csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 302
    assert anonymous.get(url).status_code == 410
    assert anonymous.get(url + "/report.pdf").status_code == 410
    assert "withdrawn" in anonymous.get(url, headers={"Accept-Language": "en"}).text
    with app.app_context():
        link = db.session.get(ShareLink, link_id)
        assert link.revoked_at is not None
        assert db.session.get(User, link.revoked_by_id).email == "konsultant@example.org"
    assert "revoked" in client.get(f"/audits/{setup['current']}/reports").text


def test_cli_renders_and_archives(app, setup, tmp_path):
    runner = app.test_cli_runner()
    output = tmp_path / "raport.pdf"
    result = runner.invoke(
        args=[
            "report",
            "render",
            str(setup["current"]),
            "--design",
            "progress",
            "--lang",
            "pl",
            "-o",
            str(output),
            "--by",
            "konsultant@example.org",
        ]
    )
    assert result.exit_code == 0, result.output
    data = output.read_bytes()
    assert "raport postępu" in pdf_text(data).lower()
    with app.app_context():
        report = db.session.scalar(select(IssuedReport))
        assert report.pdf == data
        assert report.channel == "cli"
        assert report.compare_audit_id == setup["audits"][-2]  # the previous audit
        assert report.created_by.email == "konsultant@example.org"

    chosen = runner.invoke(
        args=[
            "report",
            "render",
            str(setup["current"]),
            "--design",
            "progress",
            "--compare-to",
            str(setup["oldest"]),
            "-o",
            str(tmp_path / "p.pdf"),
        ]
    )
    assert chosen.exit_code == 0, chosen.output
    failed = runner.invoke(
        args=["report", "render", str(setup["draft"]), "-o", str(tmp_path / "d.pdf")]
    )
    assert failed.exit_code != 0 and "not submitted" in failed.output
    missing = runner.invoke(args=["report", "render", "99999", "-o", str(tmp_path / "x.pdf")])
    assert missing.exit_code != 0 and "no audit" in missing.output
    with app.app_context():
        assert db.session.query(IssuedReport).count() == 2


def test_results_page_partial_links_to_reports(client, app, setup):
    login(client, "konsultant@example.org")
    client.get("/")
    with app.test_request_context():
        from flask_login import login_user

        from audit_app.models import Audit

        login_user(db.session.scalar(select(User).filter_by(email="konsultant@example.org")))
        audit = db.session.get(Audit, setup["current"])
        html = render_template_string('{% include "results/_report_links.html" %}', audit=audit)
        assert f'action="/audits/{audit.id}/reports"' in html
        assert f'href="/audits/{audit.id}/reports"' in html
        assert 'for="report-design"' in html and 'id="report-design"' in html
        login_user(db.session.scalar(select(User).filter_by(email="viewer@example.org")))
        html = render_template_string('{% include "results/_report_links.html" %}', audit=audit)
        assert "<form" not in html
        assert f'href="/audits/{audit.id}/reports"' in html
