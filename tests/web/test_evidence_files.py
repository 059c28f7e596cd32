"""Evidence files attached to audit answers: type from the content, size limit,
storage outside the web root, downloads only for those who may see the audit (as
attachments, nosniff), removal, and the stored bytes following the transaction."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Audit, EvidenceFile, OrganisationAccess
from audit_app.services import audits as audit_service
from audit_app.services import evidence_files
from tests.conftest import csrf_token, login, make_user
from tests.web.test_audit_files import started_audit

QUESTION = "q01_customer_vision"


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def audit_id(app, client):
    shutil.rmtree(evidence_dir(app), ignore_errors=True)  # the app outlives one test
    audit_id = started_audit(app)
    login(client, "con@example.org")
    return audit_id


def evidence_dir(app) -> Path:
    return Path(app.config["EVIDENCE_DIR"])


def stored_files(app) -> list[Path]:
    return sorted(p for p in evidence_dir(app).glob("*/*") if p.is_file())


def attach(client, audit_id: int, name: str, data: bytes, question: str = QUESTION):
    page = client.get(f"/audits/{audit_id}?section=vision_leadership")
    return client.post(
        f"/audits/{audit_id}/evidence-files",
        data={
            "csrf_token": csrf_token(page.text),
            "question_id": question,
            f"file-{question}": (io.BytesIO(data), name),
        },
        content_type="multipart/form-data",
    )


def rows(app) -> list[EvidenceFile]:
    with app.app_context():
        found = list(db.session.scalars(select(EvidenceFile).order_by(EvidenceFile.id)))
        db.session.expunge_all()
        return found


def test_a_file_is_attached_listed_and_downloaded_as_an_attachment(app, client, audit_id):
    data = pdf_bytes()
    response = attach(client, audit_id, "Strategia CRM 2026.pdf", data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#q-{QUESTION}")
    (row,) = rows(app)
    assert (row.filename, row.content_type, row.size) == (
        "Strategia CRM 2026.pdf", "application/pdf", len(data),
    )  # fmt: skip
    (path,) = stored_files(app)
    assert path.read_bytes() == data and path.name != row.filename  # a random key
    assert not path.is_relative_to(Path(app.static_folder))

    page = client.get(f"/audits/{audit_id}?section=vision_leadership").text
    link = f"/audits/{audit_id}/evidence-files/{row.id}"
    assert f'href="{link}">Strategia CRM 2026.pdf</a>' in page
    download = client.get(link)
    assert download.status_code == 200 and download.data == data
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith(
        'attachment; filename="Strategia CRM 2026.pdf"'
    )
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_the_type_is_read_from_the_content_not_the_name(app, client, audit_id):
    html = b"<html><script>alert(1)</script></html>"
    refused = attach(client, audit_id, "report.pdf", html)
    assert refused.status_code == 302
    page = client.get(refused.headers["Location"]).text
    assert "The type is read from the file&#39;s content, not from its name." in page
    assert rows(app) == [] and stored_files(app) == []

    attach(client, audit_id, "photo.pdf", png_bytes())
    (row,) = rows(app)
    assert (row.filename, row.content_type) == ("photo.pdf.png", "image/png")


def test_files_over_the_size_limit_are_refused(app, client, audit_id):
    app.config["EVIDENCE_MAX_MB"] = 0.001  # about 1 KB
    try:
        response = attach(client, audit_id, "big.pdf", pdf_bytes() + b"%" * 2000)
        page = client.get(response.headers["Location"]).text
        assert "The file is larger than 0.001 MB" in page
    finally:
        app.config["EVIDENCE_MAX_MB"] = 4
    assert rows(app) == [] and stored_files(app) == []


def test_only_those_who_may_see_the_audit_download_and_only_editors_change(app, client, audit_id):
    attach(client, audit_id, "a.pdf", pdf_bytes())
    (row,) = rows(app)
    link = f"/audits/{audit_id}/evidence-files/{row.id}"
    with app.app_context():
        organisation_id = db.session.get(Audit, audit_id).organisation_id
        viewer = make_user(app, "viewer@example.org", "viewer")
        db.session.add(OrganisationAccess(organisation_id=organisation_id, user_id=viewer))
        db.session.commit()
    make_user(app, "other@example.org", "consultant")

    assert app.test_client().get(link).status_code == 302  # to the login page
    other = app.test_client()
    login(other, "other@example.org")
    assert other.get(link).status_code == 404
    viewer_client = app.test_client()
    login(viewer_client, "viewer@example.org")
    assert viewer_client.get(link).status_code == 200
    token = csrf_token(viewer_client.get("/organisations").text)
    removed = viewer_client.post(f"{link}/remove", data={"csrf_token": token})
    assert removed.status_code == 403
    assert len(rows(app)) == 1 and len(stored_files(app)) == 1
    assert client.get(f"/audits/{audit_id}/evidence-files/99999").status_code == 404


def test_removing_a_file_removes_its_bytes(app, client, audit_id):
    attach(client, audit_id, "a.pdf", pdf_bytes())
    (row,) = rows(app)
    page = client.get(f"/audits/{audit_id}?section=vision_leadership").text
    response = client.post(
        f"/audits/{audit_id}/evidence-files/{row.id}/remove",
        data={"csrf_token": csrf_token(page)},
    )
    assert response.status_code == 302
    assert rows(app) == [] and stored_files(app) == []


def test_stored_bytes_follow_the_transaction_and_the_audit(app, audit_id):
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        evidence_files.attach(audit, QUESTION, "a.png", png_bytes())
        assert len(stored_files(app)) == 1
        db.session.rollback()  # the request failed after the upload
        assert stored_files(app) == []

        audit = db.session.get(Audit, audit_id)
        evidence_files.attach(audit, QUESTION, "a.png", png_bytes())
        evidence_files.attach(audit, "q38_success_in_a_year", "b.pdf", pdf_bytes())
        audit_service.save_answer(audit, QUESTION, value="2")
        db.session.commit()
        listed = evidence_files.evidence_files_of(audit)
        assert [(f["question_id"], f["filename"]) for f in listed] == [
            (QUESTION, "a.png"),
            ("q38_success_in_a_year", "b.pdf"),
        ]
        assert len(stored_files(app)) == 2

        db.session.delete(audit)  # deleting an audit takes its files with it
        db.session.commit()
    assert rows(app) == [] and stored_files(app) == []


def test_the_answering_page_offers_the_upload_under_each_question(client, audit_id):
    page = client.get(f"/audits/{audit_id}?section=vision_leadership").text
    assert re.search(r'<form id="evidence-file-form"[^>]*enctype="multipart/form-data"', page)
    assert (
        f'<input type="file" id="file-{QUESTION}" name="file-{QUESTION}" form="evidence-file-form"'
        in page
    )


def test_backups_carry_the_files_and_a_damaged_one_restores_nothing(
    app, client, audit_id, tmp_path
):
    from tests.web.test_backup import _rewrite, other_app

    attach(client, audit_id, "a.pdf", pdf_bytes())
    attach(client, audit_id, "b.png", png_bytes(), question="q38_success_in_a_year")
    originals = {p.relative_to(evidence_dir(app)): p.read_bytes() for p in stored_files(app)}
    path = tmp_path / "backup.jsonl.gz"
    exported = app.test_cli_runner().invoke(args=["backup", "export", str(path)])
    assert exported.exit_code == 0, exported.output

    damaged = tmp_path / "damaged.jsonl.gz"

    def break_a_file(lines):
        record = next(x for x in lines if isinstance(x, dict) and "file" in x)
        record["sha256"] = "0" * 64
        return lines

    _rewrite(path, damaged, break_a_file)
    with other_app(f"sqlite:///{tmp_path / 'target.sqlite'}", tmp_path / "instance") as target:
        target_dir = tmp_path / "instance" / "evidence"
        refused = target.test_cli_runner().invoke(args=["backup", "import", str(damaged)])
        assert refused.exit_code == 1 and "is damaged" in refused.output
        assert not [p for p in target_dir.glob("*/*") if p.is_file()]

        imported = target.test_cli_runner().invoke(args=["backup", "import", str(path)])
        assert imported.exit_code == 0, imported.output
        restored = {p.relative_to(target_dir): p.read_bytes() for p in target_dir.glob("*/*")}
        assert restored == originals
        with target.app_context():
            audit = db.session.get(Audit, audit_id)
            files = evidence_files.evidence_files_of(audit)
            assert [f["filename"] for f in files] == ["a.pdf", "b.png"]
            row = evidence_files.file_of(audit, files[0]["id"])
            assert evidence_files.content(row) == originals[Path(row.storage_key)]

    next(iter(stored_files(app))).unlink()  # a file lost from the evidence folder
    lost = app.test_cli_runner().invoke(args=["backup", "export", str(tmp_path / "x.gz")])
    assert lost.exit_code == 1 and "is missing from the evidence folder" in lost.output


def test_a_respondent_attaches_files_to_their_own_answers_only(app, client, audit_id):
    from tests.web.test_respondents import invite, new_browser

    ada_path, bob_path = invite(client, audit_id, "leadership"), invite(client, audit_id, "it")
    ada, bob = new_browser(app), new_browser(app)
    page = ada.get(ada_path)
    assert f'name="file-{QUESTION}" form="evidence-file-form"' in page.text
    response = ada.post(
        f"{ada_path}/evidence-files",
        data={
            "csrf_token": csrf_token(page.text),
            "question_id": QUESTION,
            f"file-{QUESTION}": (io.BytesIO(png_bytes()), "tablica.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and f"{ada_path}?section=" in response.location
    (row,) = rows(app)
    assert row.respondent_id is not None and row.uploaded_by_id is None
    own = ada.get(f"{ada_path}/evidence-files/{row.id}")
    assert own.status_code == 200 and own.headers["Content-Disposition"].startswith("attachment")
    assert bob.get(f"{bob_path}/evidence-files/{row.id}").status_code == 404
    assert "tablica.png" not in bob.get(bob_path).text
    # the consultant sees it under the question, marked as from a respondent
    consultant_page = client.get(f"/audits/{audit_id}?section=vision_leadership").text
    assert "tablica.png" in consultant_page and "from a respondent" in consultant_page

    app.config["EVIDENCE_FROM_RESPONDENTS"] = False
    try:
        assert 'form="evidence-file-form"' not in ada.get(ada_path).text
        assert ada.get(f"{ada_path}/evidence-files/{row.id}").status_code == 404
    finally:
        app.config["EVIDENCE_FROM_RESPONDENTS"] = True


def test_the_full_report_lists_the_evidence_files(app, client, audit_id):
    from datetime import UTC, datetime

    from pypdf import PdfReader

    from audit_app.services.report_archive import render_audit

    assert attach(client, audit_id, "wizja.pdf", pdf_bytes()).status_code == 302
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        audit.status, audit.submitted_at = "submitted", datetime.now(UTC)
        db.session.commit()
        _context, rendered = render_audit(audit, "full", "en")
    text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(rendered.pdf)).pages
    )
    assert "Evidence files: wizja.pdf" in text
