"""An audit's workshop files: the answer workbook (download, fill in, read back with
every cell checked), the printable blank questionnaire, and who may do what."""

from __future__ import annotations

import html
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Answer, Audit, Organisation, OrganisationAccess, TrailEvent, User
from audit_app.services import audits as audit_service
from audit_app.services.questionnaires import catalogue
from tests.conftest import csrf_token, login, make_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def started_audit(app, email: str = "con@example.org") -> int:
    """A crm-readiness audit of a new library, started by a new consultant `email`."""
    user_id = make_user(app, email, "consultant")
    with app.app_context():
        organisation = Organisation(name="Biblioteka", type="library", created_by_id=user_id)
        db.session.add(organisation)
        user = db.session.get(User, user_id)
        audit = audit_service.start_audit(organisation, catalogue().get("crm-readiness"), user)
        db.session.commit()
        return int(audit.id)


@pytest.fixture
def audit_id(app, client):
    """An audit of the consultant logged in with `client`."""
    audit_id = started_audit(app)
    login(client, "con@example.org")
    return audit_id


def workbook(client, audit_id: int, lang: str = "pl"):
    response = client.get(f"/audits/{audit_id}/answer-workbook.xlsx?lang={lang}")
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(response.data))


def fill(book, answers: dict[str, tuple[str, object]]) -> bytes:
    """answers: question id -> (column letter, value)."""
    sheet = book.worksheets[0]
    rows = {sheet[f"A{r}"].value: r for r in range(5, sheet.max_row + 1)}
    for question_id, (column, value) in answers.items():
        sheet[f"{column}{rows[question_id]}"] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rows_of(book) -> dict[str, int]:
    sheet = book.worksheets[0]
    return {sheet[f"A{r}"].value: r for r in range(5, sheet.max_row + 1)}


def send(client, audit_id: int, data: bytes, dry_run: bool = False):
    page = client.get(f"/audits/{audit_id}/files")
    form = {"csrf_token": csrf_token(page.text), "file": (io.BytesIO(data), "answers.xlsx")}
    if dry_run:
        form["dry_run"] = "y"
    return client.post(f"/audits/{audit_id}/files", data=form, content_type="multipart/form-data")


def stored(app, audit_id: int) -> dict[str, object]:
    with app.app_context():
        rows = db.session.scalars(select(Answer).filter_by(audit_id=audit_id))
        return {a.question_id: (a.value, a.note) for a in rows}


def test_the_workbook_has_drop_downs_in_the_chosen_language_and_hidden_ids(client, audit_id):
    book = workbook(client, audit_id, "pl")
    sheet = book.worksheets[0]
    assert sheet.title == "Odpowiedzi"
    assert [sheet.cell(4, c).value for c in range(2, 10)] == [
        "Nr", "Obszar", "Pytanie", "Jak odpowiedzieć", "Odpowiedź", "Uwagi", "Dowody", "Tylko gdy",
    ]  # fmt: skip
    assert sheet.column_dimensions["A"].hidden and sheet.column_dimensions["J"].hidden
    meta = book["meta"]
    assert meta.sheet_state == "veryHidden"
    values = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(1, 7)}
    assert values["questionnaire_id"] == "crm-readiness" and values["version"] == "1.0.0"
    assert len(values["content_hash"]) == 64
    row = rows_of(book)["q02_executive_sponsor"]
    (validation,) = [v for v in sheet.data_validations.dataValidation if f"F{row}" in v.sqref]
    assert validation.type == "list"
    lists = book["lists"]
    column = validation.formula1.split("!")[1].split(":")[0].replace("$", "")[:-1]
    labels = [lists[f"{column}{i}"].value for i in range(1, 7)]
    assert labels == [
        "Nie ma sponsora",
        "Sponsor jest wskazany formalnie, ale się nie angażuje",
        "Sponsor bywa na kluczowych spotkaniach, ale rzadko rozstrzyga sprawy",
        "Sponsor regularnie prowadzi komitet sterujący, rozstrzyga spory i zabezpiecza zasoby",
        "Jak wyżej, a ponadto sam korzysta z wyników CRM i publicznie mówi o celach i postępach",
        "Nie wiem",
    ]  # q02 is critical: no "Nie dotyczy"
    assert "question 9 is answered: Yes / Partly" in [
        c.value for c in workbook(client, audit_id, "en").worksheets[0]["I"]
    ]


def test_a_filled_workbook_is_read_in_after_a_dry_run(app, client, audit_id):
    data = fill(
        workbook(client, audit_id),
        {
            "q01_customer_vision": ("F", "2 – częściowo"),
            "q02_executive_sponsor": (
                "F",
                "The sponsor attends key meetings but rarely settles issues",
            ),
            "q17_staff_trained_share": ("F", "12,5"),
            "q25_customer_data_locations": ("F", "Nie wiem"),
            "q26_contact_channels_recorded": ("F", "Telefon; E-mail"),
            "q38_success_in_a_year": ("F", "Mniej telefonów, więcej spraw załatwionych od ręki"),
            "q03_business_strategy": ("G", "tylko uwaga"),
        },
    )
    checked = send(client, audit_id, data, dry_run=True)
    assert checked.status_code == 200
    assert (
        "7 odpowiedzi zostałoby zapisanych" in checked.text
        or "7 answers would be saved" in checked.text
    )
    assert stored(app, audit_id) == {}

    saved = send(client, audit_id, data)
    assert saved.status_code == 302
    answers = stored(app, audit_id)
    assert answers["q01_customer_vision"] == ("2", "")
    assert answers["q02_executive_sponsor"] == ("occasional", "")
    assert answers["q17_staff_trained_share"] == (12.5, "")
    assert answers["q25_customer_data_locations"] == ("dont_know", "")
    assert answers["q26_contact_channels_recorded"][0] == ["phone", "email"]
    assert answers["q03_business_strategy"] == (None, "tylko uwaga")
    with app.app_context():
        event = db.session.scalar(select(TrailEvent).filter_by(action="import_answers"))
        assert event.details == {"saved": 7}


def test_every_wrong_cell_is_reported_at_once_and_nothing_is_saved(app, client, audit_id):
    book = workbook(client, audit_id, "en")
    rows = rows_of(book)
    data = fill(
        book,
        {
            "q01_customer_vision": ("F", "2 – partial"),  # fine, but must not be saved
            "q02_executive_sponsor": ("F", "Not applicable"),  # critical: not offered
            "q17_staff_trained_share": ("F", "about twelve"),
            "q26_contact_channels_recorded": ("F", "Phone; Pigeon post"),
            "q06_segmentation": ("F", "maybe"),
        },
    )
    response = send(client, audit_id, data)
    assert response.status_code == 400
    text = html.unescape(response.text)
    assert "4 problems: nothing was saved" in text
    for question_id, fragment in [
        ("q02_executive_sponsor", "is not an answer to this question"),
        ("q17_staff_trained_share", "'about twelve' is not a number"),
        ("q26_contact_channels_recorded", "'Pigeon post' is not one of the answers"),
        ("q06_segmentation", "'maybe' is not one of the answers"),
    ]:
        assert f"<tr><td>{rows[question_id]}</td><td>F</td><td>" in text, question_id
        assert fragment in text
    assert stored(app, audit_id) == {}


def test_answers_changed_in_the_app_after_the_download_are_not_overwritten(app, client, audit_id):
    book = workbook(client, audit_id)
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        audit_service.save_answer(audit, "q01_customer_vision", value="3")
        db.session.commit()
    conflicting = fill(book, {"q01_customer_vision": ("F", "1 – doraźnie")})
    response = send(client, audit_id, conflicting)
    assert response.status_code == 400
    assert "Audit already holds another answer (3 – systematic)" in response.text or (
        "3 – systematic" in response.text
        and "changed after this workbook was made" in response.text
    )
    assert stored(app, audit_id)["q01_customer_vision"] == ("3", "")

    later = workbook(client, audit_id)  # made after the change: it shows the stored answer
    assert later.worksheets[0][f"F{rows_of(later)['q01_customer_vision']}"].value == (
        "3 – systematycznie"
    )
    unchanged = send(client, audit_id, fill(later, {}), dry_run=True)
    assert "0 answers would be saved." in unchanged.text and "1 answer is already the same." in (
        unchanged.text
    )
    same = fill(workbook(client, audit_id), {"q01_customer_vision": ("F", "3 – systematycznie")})
    assert send(client, audit_id, same).status_code == 302  # the same answer: no conflict
    newer = fill(workbook(client, audit_id), {"q01_customer_vision": ("F", "4 – zoptymalizowane")})
    assert send(client, audit_id, newer).status_code == 302  # downloaded after the change
    assert stored(app, audit_id)["q01_customer_vision"] == ("4", "")


def test_an_answer_to_a_question_its_condition_hides_is_reported_not_saved(app, client, audit_id):
    data = fill(
        workbook(client, audit_id, "en"),
        {"q09_phased_roadmap": ("F", "No"), "q10_pilot_first": ("F", "Yes")},
    )
    response = send(client, audit_id, data)
    assert response.status_code == 302
    assert set(stored(app, audit_id)) == {"q09_phased_roadmap"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a workbook", "is not an Excel workbook"),
        (None, "is not an answer workbook of this application"),
    ],
)
def test_files_that_are_not_answer_workbooks_are_refused(client, audit_id, data, message):
    if data is None:
        from openpyxl import Workbook

        out = io.BytesIO()
        Workbook().save(out)
        data = out.getvalue()
    response = send(client, audit_id, data)
    assert response.status_code == 400 and message in response.text


def test_a_workbook_of_another_questionnaire_is_refused(app, client, audit_id):
    with app.app_context():
        from audit_app.workbooks.blank import blank_workbook

        data = blank_workbook(catalogue().get("library-crm-audit"), "en")
    response = send(client, audit_id, data)
    assert response.status_code == 400
    assert "is for the questionnaire 'library-crm-audit'" in html.unescape(response.text)


def test_who_may_download_and_read_in(app, client, audit_id):
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        viewer = make_user(app, "viewer@example.org", "viewer")
        db.session.add(OrganisationAccess(organisation_id=audit.organisation_id, user_id=viewer))
        db.session.commit()
    make_user(app, "other@example.org", "consultant")
    data = fill(workbook(client, audit_id), {"q01_customer_vision": ("F", "2 – częściowo")})

    other = app.test_client()
    login(other, "other@example.org")
    assert other.get(f"/audits/{audit_id}/answer-workbook.xlsx").status_code == 404
    assert other.get(f"/audits/{audit_id}/files").status_code == 404

    viewer_client = app.test_client()
    login(viewer_client, "viewer@example.org")
    assert viewer_client.get(f"/audits/{audit_id}/answer-workbook.xlsx").status_code == 200
    page = viewer_client.get(f"/audits/{audit_id}/files")
    assert page.status_code == 200 and "Read in the answers" not in page.text
    refused = viewer_client.post(
        f"/audits/{audit_id}/files",
        data={"csrf_token": csrf_token(page.text), "file": (io.BytesIO(data), "a.xlsx")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 403
    assert stored(app, audit_id) == {}


def test_a_submitted_audit_takes_no_answers_from_a_workbook(app, client, audit_id):
    data = fill(workbook(client, audit_id), {"q01_customer_vision": ("F", "2 – częściowo")})
    with app.app_context():
        db.session.get(Audit, audit_id).status = "submitted"
        db.session.commit()
    response = send(client, audit_id, data)
    assert response.status_code == 400 and "reopen it before importing" in response.text


def test_the_printable_questionnaire_has_every_question_and_the_scale_anchors(client, audit_id):
    response = client.get(f"/audits/{audit_id}/blank-questionnaire.pdf?lang=en")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(response.data)).pages
    )
    assert "1. Is there a shared, written vision" in text
    assert (
        "The organisation does not do this, or nobody we asked can point to where it happens."
        in text
    )
    assert "38. What would success look like a year from now?" in text
    polish = client.get(f"/audits/{audit_id}/blank-questionnaire.pdf?lang=pl")
    first = PdfReader(io.BytesIO(polish.data)).pages[0].extract_text()
    assert "Gotowość do wdrożenia CRM" in first


def test_the_command_line_makes_blank_forms_and_reads_a_workbook_in(app, audit_id, tmp_path):
    from click.testing import CliRunner

    from audit_app.cli import main

    blank = tmp_path / "blank.xlsx"
    made = CliRunner().invoke(
        main,
        ["questionnaires", "blank", "crm-readiness", "--format", "xlsx", "--lang", "en",
         "-o", str(blank)],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    book = load_workbook(blank)
    assert book.worksheets[0].title == "Answers"
    paper = tmp_path / "blank.pdf"
    made = CliRunner().invoke(
        main,
        ["questionnaires", "blank", "crm-readiness", "--format", "pdf", "--lang", "pl",
         "-o", str(paper)],
    )  # fmt: skip
    assert (
        made.exit_code == 0
        and "Gotowość do wdrożenia CRM" in PdfReader(paper).pages[0].extract_text()
    )

    rows = rows_of(book)
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(
        fill(
            book,
            {"q01_customer_vision": ("F", "2 – partial"), "q17_staff_trained_share": ("F", "lots")},
        )
    )
    runner = app.test_cli_runner()
    wrong = runner.invoke(args=["audits", "import-answers", str(audit_id), str(filled)])
    assert wrong.exit_code == 1
    assert f"{filled}: row {rows['q17_staff_trained_share']}, column F: 'lots' is not a number" in (
        wrong.output
    )
    assert "1 problem(s); nothing was saved." in wrong.output
    assert stored(app, audit_id) == {}

    book = load_workbook(filled)
    book.worksheets[0][f"F{rows['q17_staff_trained_share']}"] = 30
    book.save(filled)
    dry = runner.invoke(args=["audits", "import-answers", str(audit_id), str(filled), "--dry-run"])
    assert dry.exit_code == 0 and "2 answer(s) would be saved, 0 unchanged." in dry.output
    assert stored(app, audit_id) == {}
    done = runner.invoke(args=["audits", "import-answers", str(audit_id), str(filled)])
    assert done.exit_code == 0 and "2 answer(s) saved" in done.output
    assert stored(app, audit_id)["q17_staff_trained_share"] == (30, "")
    polish = runner.invoke(
        args=["audits", "import-answers", str(audit_id), str(blank), "--lang", "pl"]
    )
    assert polish.exit_code == 0 and "0 answer(s) saved" in polish.output


def test_the_audit_export_has_a_summary_areas_recommendations_and_actions(
    app, client, audit_id, tmp_path
):
    from datetime import date

    from audit_app.models import Action
    from audit_app.services import evidence_files

    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        audit_service.save_answer(audit, "q01_customer_vision", value="1", note="Tylko slogan")
        audit_service.save_answer(audit, "q17_staff_trained_share", value=30)
        evidence_files.attach(audit, "q01_customer_vision", "wizja.pdf", b"%PDF-1.4\n%%EOF\n")
        db.session.add(Action(audit_id=audit_id, recommendation_id="rec-q01-first",
                              title="Spisać wizję", owner="Dyrektor",
                              due_date=date(2027, 3, 31), status="todo"))  # fmt: skip
        db.session.commit()
        overall = audit_service.current_result(audit).overall

    response = client.get(f"/audits/{audit_id}/export.xlsx?lang=en")
    assert response.status_code == 200 and response.mimetype == XLSX
    book = load_workbook(io.BytesIO(response.data))
    names = book.sheetnames
    assert names[0] == "Summary" and names[-2:] == ["Recommendations", "Actions"]
    assert names[1] == "Vision and leadership" and len(names) == 2 + 8 + 1
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=4, values_only=True)}
    assert summary["Organisation"] == "Biblioteka"
    assert summary["Overall score (%)"] == round(overall, 1)
    assert summary["Status"] == "in progress"
    area = list(book["Vision and leadership"].iter_rows(values_only=True))
    assert area[0] == (
        "No.", "Question", "Answer", "Score (%)", "Note", "Evidence",
        "Evidence from contacts", "Evidence files",
    )  # fmt: skip
    assert area[1][:3] == (
        "1.1",
        area[1][1],
        "1 – ad hoc",
    )  # numbered as in the reports and area[1][4] == "Tylko slogan"
    assert area[1][7] == "wizja.pdf" and area[2][2] == "No answer"
    recommendations = list(book["Recommendations"].iter_rows(min_row=2, values_only=True))
    assert recommendations and all(r[2] for r in recommendations)
    assert list(book["Actions"].iter_rows(min_row=2, values_only=True)) == [
        ("Spisać wizję", "Dyrektor", "2027-03-31", "To do")
    ]

    target = tmp_path / "audit.xlsx"
    result = app.test_cli_runner().invoke(
        args=["audits", "export", str(audit_id), "--format", "xlsx", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    polish = load_workbook(target)
    assert polish.sheetnames[0] == "Podsumowanie" and "Wizja i przywództwo" in polish.sheetnames


def test_a_workbook_unpacking_to_far_more_than_an_answer_workbook_is_refused(
    client, audit_id, monkeypatch
):
    from audit_app.workbooks import read

    data = fill(workbook(client, audit_id), {"q01_customer_vision": ("F", "2 – częściowo")})
    monkeypatch.setattr(read, "MAX_UNPACKED", 10_000)  # our workbook unpacks to more
    response = send(client, audit_id, data)
    assert response.status_code == 400
    assert "holds far more than an answer workbook does" in response.text
