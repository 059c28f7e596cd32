"""One audit, told the same everywhere.

For every demo audit and a set of made-up ones (areas tied, everything "don't know",
n/a everywhere, a critical failure, two questionnaire versions, a previous audit of
another questionnaire), the overall figure, the verdict, every area's figure, the
strongest and weakest areas and where to start are read back from each output a person
sees: the results page (HTML), every PDF design (text extracted with pypdf), the API's
results JSON and `audit-app score --format json`. They must be identical.

The reference is the API's `model`; each other output is parsed on its own terms.
"""

from __future__ import annotations

import html as html_lib
import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pypdf
import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import select

from audit_app.cli import main
from audit_app.commands.demo import PEER_NAME_PREFIX, create_demo
from audit_app.domain.loader import load_questionnaire_text
from audit_app.extensions import db
from audit_app.models import Audit, Organisation, QuestionnaireVersion, User
from audit_app.services import audits as audit_service
from audit_app.services.api_tokens import create as create_token
from audit_app.services.questionnaires import catalogue
from audit_app.services.report_archive import render_audit
from tests.conftest import login, make_user

LIBRARY = "library-crm-audit"
RISK = "crm-implementation-risk"


@dataclass(frozen=True)
class Told:
    """What one output tells about an audit."""

    overall: str
    verdict: str
    areas: dict[str, str]  # title -> figure
    strongest: list[str]  # "title figure"
    weakest: list[str]
    start: str  # the sentence


def _flat(text: str) -> str:
    return " ".join(html_lib.unescape(text).split())


def from_model(model: dict) -> Told:
    return Told(
        overall=model["result"]["overall_display"],
        verdict=model["result"]["verdict_label"],
        areas={a["title"]: a["percent_display"] for a in model["dimensions"]},
        strongest=[f"{a['title']} {a['percent_display']}" for a in model["strongest"]],
        weakest=[f"{a['title']} {a['percent_display']}" for a in model["weakest"]],
        start=model["start"]["sentence"] if model["start"] else "",
    )


def _by_id(page: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:dd|ul|div)>', page, re.S)
    assert match, element_id
    return match.group(1)


def _text(fragment: str) -> str:
    return _flat(re.sub(r"<[^>]+>", " ", fragment))


def from_page(page: str) -> Told:
    rows = re.findall(
        r'<th scope="row">\d+\. (.*?)(?: <strong class="badge[^"]*">[^<]*</strong>)?</th>\s*'
        r'<td class="num">([^<]*)</td>',
        page,
    )
    start = re.search(r'id="start">.*?<strong>(.*?)</strong>', page, re.S)
    return Told(
        overall=_text(_by_id(page, "overall")),
        verdict=_text(_by_id(page, "verdict")),
        areas={_flat(title): _flat(figure) for title, figure in rows},
        strongest=[_text(li) for li in re.findall(r"<li>(.*?)</li>", _by_id(page, "strongest"))],
        weakest=[_text(li) for li in re.findall(r"<li>(.*?)</li>", _by_id(page, "weakest"))],
        start=_flat(start.group(1)) if start else "",
    )


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return _flat(" ".join(page.extract_text() or "" for page in reader.pages))


def check_pdf(text: str, told: Told, design: str) -> None:
    """Everything the model tells is printed, in the model's words and figures."""
    assert told.overall in text
    assert told.verdict in text
    if told.start:
        assert told.start in text
    for line in told.strongest + told.weakest:
        assert line in text, line
    if design == "full":  # the overview table: "1. Title 58,3%"
        for index, (title, figure) in enumerate(told.areas.items(), start=1):
            assert f"{index}. {title} {figure}" in text, title
    if design in ("full", "brief"):  # the key figure is the model's display string
        shown = re.search(r"(?i)(?:wynik ogólny|overall score)\s*(\S+?%)", text)
        assert shown is not None and shown.group(1) == told.overall


def told_everywhere(app, client, audit_id: int, lang: str, token: str, folder) -> Told:
    """Reads every output and asserts they agree; returns what they tell."""
    answer = client.get(
        f"/api/v1/audits/{audit_id}/results?lang={lang}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text
    reference = from_model(answer.get_json()["model"])

    page = client.get(f"/audits/{audit_id}/results")
    assert page.status_code == 200
    assert from_page(page.text) == reference

    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        designs = ["full", "brief"]
        from audit_app.services.result_model import previous_audit

        if previous_audit(audit) is not None:
            designs.append("progress")
        for design in designs:
            context, rendered = render_audit(audit, design, lang)
            assert from_model(context) == reference, design
            check_pdf(pdf_text(rendered.pdf), reference, design)
        questionnaire = audit_service.questionnaire_for(audit)
        current = catalogue().get(questionnaire.id)
        answers = audit_service.answers_of(audit)
        org_type = audit.organisation.type
    if current is not None and current.content_hash == questionnaire.content_hash:
        path = folder / f"answers-{audit_id}.yaml"
        path.write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
        result = CliRunner().invoke(
            main,
            [
                "score",
                questionnaire.id,
                str(path),
                "--format",
                "json",
                "--lang",
                lang,
                "--organisation-type",
                org_type,
            ],
        )
        assert result.exit_code == 0, result.output
        assert from_model(json.loads(result.output)["model"]) == reference
    return reference


# --- the audits ---------------------------------------------------------------------------


def _organisation(name: str, kind: str, user: User) -> Organisation:
    organisation = Organisation(name=name, type=kind, created_by_id=user.id)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def _audit(organisation, user, answers, *, questionnaire=None, version=None, when=None) -> int:
    if version is None:
        audit = audit_service.start_audit(organisation, questionnaire, user)
    else:
        audit = Audit(
            organisation_id=organisation.id,
            questionnaire_version_id=version.id,
            created_by_id=user.id,
        )
        db.session.add(audit)
        db.session.flush()
    for question_id, value in answers.items():
        audit_service.save_answer(audit, question_id, value=value, user=user)
    audit_service.submit(audit, user)
    if when is not None:
        audit.started_at = audit.submitted_at = when
    db.session.flush()
    return audit.id


def _every(questionnaire, value_of) -> dict:
    return {q.id: value_of(q) for q in questionnaire.questions}


def made_up_audits(user: User) -> dict[str, int]:
    library = catalogue().get(LIBRARY)
    risk = catalogue().get(RISK)

    def option(index: int):
        return lambda q: q.choices[min(index, len(q.choices) - 1)].value

    audits: dict[str, int] = {}
    # Areas tied: every answer the same option gives every area the same figure.
    audits["ties"] = _audit(
        _organisation("Biblioteka Remisowa", "library", user),
        user,
        _every(library, option(2)),
        questionnaire=library,
    )
    audits["all_dont_know"] = _audit(
        _organisation("Biblioteka Niewiedząca", "library", user),
        user,
        _every(library, lambda q: "dont_know" if q.dont_know else q.choices[0].value),
        questionnaire=library,
    )
    na = _every(library, lambda q: "na" if q.not_applicable else q.choices[-1].value)
    na["q01_identify_users"] = "3"  # n/a everywhere but one question
    audits["na_everywhere"] = _audit(
        _organisation("Biblioteka Nieobjęta", "company", user), user, na, questionnaire=library
    )
    critical = _every(library, option(4))
    critical["q05_merge_department_data"] = "0"  # critical, far below its threshold
    audits["critical_failure"] = _audit(
        _organisation("Biblioteka Krytyczna", "library", user),
        user,
        critical,
        questionnaire=library,
    )
    # Two versions: an earlier audit on a modified questionnaire, then the current one.
    with open(library.source_path, encoding="utf-8") as handle:
        source = handle.read().replace('version: "1.0.0"', 'version: "0.9.0"', 1)
    older = load_questionnaire_text(source, "test:library-0.9.0")
    version = QuestionnaireVersion(
        questionnaire_id=older.id,
        version=older.version,
        content_hash=older.content_hash,
        source=source,
    )
    db.session.add(version)
    db.session.flush()
    versions = _organisation("Biblioteka Dwuwersyjna", "library", user)
    audits["older_version"] = _audit(
        versions,
        user,
        _every(library, option(1)),
        version=version,
        when=datetime(2025, 3, 1, 10, tzinfo=UTC),
    )
    audits["two_versions"] = _audit(
        versions,
        user,
        _every(library, option(3)),
        questionnaire=library,
        when=datetime(2026, 3, 1, 10, tzinfo=UTC),
    )
    # A previous audit of another questionnaire must not become the comparison.
    mixed = _organisation("Biblioteka Mieszana", "library", user)
    _audit(
        mixed,
        user,
        _every(risk, option(0)),
        questionnaire=risk,
        when=datetime(2025, 6, 1, 10, tzinfo=UTC),
    )
    audits["other_questionnaire_before"] = _audit(
        mixed,
        user,
        _every(library, option(2)),
        questionnaire=library,
        when=datetime(2026, 6, 1, 10, tzinfo=UTC),
    )
    return audits


@pytest.fixture
def world(app, client, lang):
    """The demo and the made-up audits, seen by an administrator who reads `lang`."""
    make_user(app, "reader@example.org", "admin", language=lang)
    with app.app_context():
        create_demo(date(2026, 12, 1))
        admin = db.session.scalar(select(User).filter_by(email="reader@example.org"))
        made_up = made_up_audits(admin)
        demo = [
            a.id
            for a in db.session.scalars(select(Audit).where(Audit.status == "submitted"))
            # The demo's anonymised benchmark peers add nothing new to check here.
            if a.id not in made_up.values() and not a.organisation.name.startswith(PEER_NAME_PREFIX)
        ]
        token = create_token(admin, "consistency")[1]
        db.session.commit()
    login(client, "reader@example.org")
    return {"made_up": made_up, "demo": demo, "token": token}


@pytest.fixture(params=["pl", "en"])
def lang(request):
    return request.param


def test_every_output_tells_the_same_result(app, client, world, lang, tmp_path):
    told = {}
    for audit_id in [*world["demo"], *world["made_up"].values()]:
        told[audit_id] = told_everywhere(app, client, audit_id, lang, world["token"], tmp_path)
    assert world["demo"], "the demo has submitted audits"

    made_up = {name: told[audit_id] for name, audit_id in world["made_up"].items()}
    # Ties: every area at one figure, so no area can be called weak.
    ties = made_up["ties"]
    assert len(set(ties.areas.values())) == 1 and ties.weakest == []
    # Everything "don't know": 0 % and the best case stated, never a higher score.
    assert made_up["all_dont_know"].overall == "0%"
    # A critical failure: the start is the area holding it.
    start = made_up["critical_failure"].start
    assert ("Integracja danych" if lang == "pl" else "Data integration") in start
