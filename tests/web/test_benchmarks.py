"""Peer benchmarks on the real database: who counts as a peer, what is shown (issue 16).

The anonymity of the figures themselves is proved in tests/unit/test_benchmark_properties.py;
here: the peer group (consent, type, the organisation itself, latest submitted audit,
deleted organisations and audits), the minimum group size, min/max only from 10 peers,
other questionnaire versions, and that the SQL cell counts give exactly what the pure
domain computes from the peers' stored scores.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from audit_app.commands.demo import peer_answers, submitted_peer_audit
from audit_app.domain.benchmark import area_distributions, distribution
from audit_app.domain.loader import load_questionnaire_text
from audit_app.domain.questionnaire import Questionnaire
from audit_app.domain.scoring import to_json
from audit_app.extensions import db
from audit_app.models import Audit, Organisation, OrganisationAccess, QuestionnaireVersion, User
from audit_app.models.audits import AuditSectionScore
from audit_app.models.trail import TrailEvent
from audit_app.services import audits as audit_service
from audit_app.services.accounts import create_user
from audit_app.services.audits import current_result
from audit_app.services.benchmarks import PeerGroup, benchmark, benchmark_for_audit
from audit_app.services.questionnaires import catalogue
from audit_app.services.report_archive import render_audit
from audit_app.services.result_model import result_model
from tests.conftest import PASSWORD, csrf_token, login, make_user
from tests.unit.test_pdf_designs import flat, pdf_pages
from tests.web.test_api import bearer, make_token

LIBRARY = "library-crm-audit"
LEVELS = (0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.3, 0.65, 0.8, 0.2, 0.55)


def _user() -> User:
    return create_user(
        email="bench@example.org", name="Bench", password="bench-password-2026", role="admin"
    )


def _org(name: str, kind: str = "library", *, consent: bool = True, size: str = "medium"):
    organisation = Organisation(name=name, type=kind, size=size, benchmark_consent=consent)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def _peers(user: User, count: int, *, kind: str = "library") -> list[Audit]:
    questionnaire = catalogue().get(LIBRARY)
    return [
        submitted_peer_audit(_org(f"Peer {kind} {i}", kind), questionnaire, user, LEVELS[i])
        for i in range(count)
    ]


def _own(user: User, level: float = 0.5) -> Audit:
    return submitted_peer_audit(_org("Our library"), catalogue().get(LIBRARY), user, level)


def _expected(peers: list[Audit], own: Audit):
    """What the pure domain computes from the peers' stored scores."""
    result = current_result(own)
    overall = distribution([a.overall for a in peers], own_score=result.overall)
    by_area: dict[str, list[float | None]] = {}
    for audit in peers:
        for section in current_result(audit).sections:
            by_area.setdefault(section.section_id, []).append(section.percent)
    areas = area_distributions(by_area, None, {s.section_id: s.percent for s in result.sections})
    return overall, areas


def test_peer_group_is_consenting_undeleted_organisations_of_the_type_latest_audit_each(ctx):
    user = _user()
    questionnaire = catalogue().get(LIBRARY)
    peers = _peers(user, 6)
    own = _own(user)
    submitted_peer_audit(own.organisation, questionnaire, user, 0.95)  # its own other audit
    submitted_peer_audit(_org("No consent", consent=False), questionnaire, user, 0.99)
    submitted_peer_audit(_org("A company", "company"), questionnaire, user, 0.99)
    deleted = _org("Deleted library")
    submitted_peer_audit(deleted, questionnaire, user, 0.99)
    deleted.deleted_at = datetime.now(UTC)
    audit_service.start_audit(_org("Only in progress"), questionnaire, user)
    # A peer audited twice: only the latest submitted audit counts ...
    twice = _org("Audited twice")
    earlier = submitted_peer_audit(twice, questionnaire, user, 0.05)
    later = submitted_peer_audit(twice, questionnaire, user, 0.7)
    earlier.submitted_at = datetime.now(UTC) - timedelta(days=200)
    # ... and a deleted latest audit gives way to the one before it.
    undone = _org("Latest audit deleted")
    kept = submitted_peer_audit(undone, questionnaire, user, 0.35)
    kept.submitted_at = datetime.now(UTC) - timedelta(days=100)
    removed = submitted_peer_audit(undone, questionnaire, user, 0.99)
    removed.deleted_at = datetime.now(UTC)
    db.session.flush()

    facts = benchmark_for_audit(own)
    expected_overall, expected_areas = _expected([*peers, later, kept], own)
    assert facts.peers == 8 and facts.same_version == 8
    assert facts.benchmark.overall == expected_overall
    assert dict(facts.benchmark.areas) == expected_areas
    assert expected_overall is not None and expected_overall.minimum is None  # 8 < 10


def test_fewer_than_five_peers_show_nothing_and_say_why(ctx):
    user = _user()
    _peers(user, 4)
    own = _own(user)
    db.session.flush()
    facts = benchmark_for_audit(own)
    assert facts.peers == 4
    assert facts.benchmark.overall is None and not facts.benchmark.areas
    view = result_model(own, "en").benchmark
    assert view is not None and not view.shown
    assert view.unavailable == (
        "Not enough peers yet: a comparison is shown from 5 organisations (now 4)."
    )
    polish = result_model(own, "pl").benchmark
    assert polish is not None and polish.title == "Na tle podobnych bibliotek"


def test_configured_minimum_above_five_holds_and_below_five_is_ignored(app, ctx):
    user = _user()
    _peers(user, 6)
    own = _own(user)
    db.session.flush()
    app.config["BENCHMARK_MIN_PEERS"] = 7
    try:
        assert benchmark_for_audit(own).benchmark.overall is None
        app.config["BENCHMARK_MIN_PEERS"] = 2
        found = benchmark_for_audit(own)
        assert found.min_peers == 5 and found.benchmark.overall is not None
    finally:
        app.config["BENCHMARK_MIN_PEERS"] = 5


@pytest.mark.parametrize(("count", "has_range"), [(9, False), (10, True)])
def test_min_and_max_only_from_ten_peers(ctx, count, has_range):
    user = _user()
    peers = _peers(user, count)
    own = _own(user)
    db.session.flush()
    overall = benchmark_for_audit(own).benchmark.overall
    assert overall is not None and overall.n == count
    assert (overall.minimum is not None) is has_range
    assert (overall.maximum is not None) is has_range
    if has_range:
        assert overall == _expected(peers, own)[0]
    view = result_model(own, "en").benchmark
    assert view is not None and view.overall is not None
    assert bool(view.overall.range_display) is has_range


def test_area_rows_written_at_submission_removed_on_reopen_and_backfilled(ctx):
    user = _user()
    peers = _peers(user, 5)
    own = _own(user)
    rows = select(func.count()).select_from(AuditSectionScore)
    sections = len(catalogue().get(LIBRARY).sections)
    assert db.session.scalar(rows.where(AuditSectionScore.audit_id == own.id)) == sections
    audit_service.reopen(own, user, "Korekta odpowiedzi")
    assert db.session.scalar(rows.where(AuditSectionScore.audit_id == own.id)) == 0
    # A peer submitted before the table existed: its rows come from the frozen result.
    db.session.execute(
        AuditSectionScore.__table__.delete().where(AuditSectionScore.audit_id == peers[0].id)
    )
    facts = benchmark_for_audit(own)
    assert db.session.scalar(rows.where(AuditSectionScore.audit_id == peers[0].id)) == sections
    assert all(found.n == 5 for found in facts.benchmark.areas.values())


def _other_version(source: str, version: str) -> Questionnaire:
    """Store another version of the library questionnaire made from `source`."""
    other = load_questionnaire_text(source, f"test:library-{version}")
    db.session.add(
        QuestionnaireVersion(
            questionnaire_id=other.id,
            version=other.version,
            content_hash=other.content_hash,
            source=source,
        )
    )
    db.session.flush()
    return other


def _library_source() -> str:
    with open(catalogue().get(LIBRARY).source_path, encoding="utf-8") as handle:
        return handle.read()


def test_a_version_with_no_other_questions_counts_with_its_stored_scores(ctx):
    """A weight changed, the same questions: restricting the older version to the shared
    questions changes nothing, so its peer counts everywhere with its stored scores."""
    user = _user()
    peers = _peers(user, 5)
    source = (
        _library_source()
        .replace('version: "1.0.0"', 'version: "0.9.0"', 1)
        .replace("weight: 2\n        critical: true", "weight: 3\n        critical: true", 1)
    )
    other = submitted_peer_audit(_org("Older version"), _other_version(source, "0.9.0"), user, 0.5)
    own = _own(user)
    db.session.flush()
    facts = benchmark_for_audit(own)
    assert (facts.peers, facts.same_version, facts.version) == (6, 5, "1.0.0")
    overall, areas = _expected([*peers, other], own)
    assert facts.benchmark.overall == overall
    assert facts.benchmark.areas == areas
    view = result_model(own, "en").benchmark
    assert view is not None
    assert view.version_note == (
        "1 of them answered another version: scored only on the questions it shares with this one."
    )
    polish = result_model(own, "pl").benchmark
    assert polish is not None and polish.version_note.startswith(
        "1 z nich odpowiadała na inną wersję: jej wynik liczymy tylko z pytań wspólnych"
    )


EXTRA_QUESTION = """    questions:
      - id: q00_retired
        type: scale
        scale: maturity
        weight: 6
        text: {pl: "Pytanie usunięte w nowej wersji", en: "A question the new version dropped"}
"""


def test_peers_on_a_version_with_other_questions_are_rescored_on_the_shared_ones(ctx):
    """A peer whose version has a question the asking audit's version lacks is scored
    again without it, as a comparison of the two audits would: the same answers to the
    shared questions give exactly the score a peer on this version gets."""
    user = _user()
    peers = _peers(user, 5)
    source = (
        _library_source()
        .replace('version: "1.0.0"', 'version: "0.8.0"', 1)
        .replace("    questions:\n", EXTRA_QUESTION, 1)
    )
    older = _other_version(source, "0.8.0")
    peer = audit_service.start_audit(_org("Older version"), older, user)
    retired = older.question("q00_retired")
    assert retired is not None
    best, worst = (f(retired.choices, key=lambda o: o.score).value for f in (max, min))
    answers = {**peer_answers(catalogue().get(LIBRARY), 0.5), "q00_retired": best}
    for question_id, value in answers.items():
        audit_service.save_answer(peer, question_id, value=value, user=user)
    audit_service.submit(peer, user)
    own = _own(user, 0.5)  # the same answers to the shared questions
    db.session.flush()
    assert peer.overall is not None and own.overall is not None
    assert peer.overall - own.overall > 5  # the retired question would move its cell
    facts = benchmark_for_audit(own)
    assert (facts.peers, facts.same_version) == (6, 5)
    overall, areas = _expected([*peers, own], own)  # `own` stands for the re-scored peer
    assert facts.benchmark.overall == overall
    assert facts.benchmark.areas == areas
    # Remembered per audit and submission: reopened and submitted again, it is scored anew.
    audit_service.reopen(peer, user, "correction")
    audit_service.save_answer(peer, "q01_identify_users", value=worst, user=user)
    audit_service.submit(peer, user)
    db.session.flush()
    changed = benchmark_for_audit(own).benchmark.areas["user_knowledge"]
    assert changed != areas["user_knowledge"]


# --- what people see: results page, API, command line --------------------------------


def _committed_group(app, peers: int) -> tuple[int, int]:
    """`peers` consenting libraries and our own audit, committed; (own audit id, owner id)."""
    with app.app_context():
        owner = create_user(
            email="owner@example.org", name="Owner", password=PASSWORD, role="consultant"
        )
        admin = _user()
        _peers(admin, peers)
        own = submitted_peer_audit(_org("Our library"), catalogue().get(LIBRARY), admin, 0.5)
        db.session.add(OrganisationAccess(organisation_id=own.organisation_id, user_id=owner.id))
        db.session.commit()
        return own.id, owner.id


def test_results_page_shows_the_model_benchmark_with_chart(app, client):
    audit_id, _ = _committed_group(app, 10)
    login(client, "owner@example.org")
    page = client.get(f"/audits/{audit_id}/results").get_data(as_text=True)
    with app.app_context():
        view = result_model(db.session.get(Audit, audit_id), "pl").benchmark
    assert view is not None and view.overall is not None
    assert "Na tle podobnych bibliotek" in page  # the owner reads Polish
    assert 'id="benchmark-results"' in page  # the chart
    row = page.split('<tr data-row="overall">', 1)[1].split("</tr>", 1)[0]
    for figure in (view.overall.median_display, view.overall.middle_display):
        assert figure in row
    assert view.overall.range_display and view.overall.range_display in row
    # Nothing names a peer: no peer organisation appears on the page.
    assert "Peer library" not in page


def test_results_page_says_why_a_small_group_is_not_shown(app, client):
    audit_id, _ = _committed_group(app, 4)
    login(client, "owner@example.org")
    page = client.get(f"/audits/{audit_id}/results").get_data(as_text=True)
    assert 'id="benchmark-unavailable"' in page
    assert 'id="benchmark-results"' not in page and 'data-row="overall"' not in page


def test_api_benchmark_is_the_result_model_benchmark_with_results_access(app, client):
    audit_id, owner_id = _committed_group(app, 6)
    stranger = make_user(app, "stranger@example.org", "consultant")
    token = make_token(app, owner_id)
    response = client.get(f"/api/v1/audits/{audit_id}/benchmark?lang=pl", headers=bearer(token))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    with app.app_context():
        model = to_json(result_model(db.session.get(Audit, audit_id), "pl").benchmark)
    assert body["benchmark"] == model
    assert body["group"]["peers"] == 6 and body["group"]["organisation_type"] == "library"
    assert body["benchmark"]["title"] == "Na tle podobnych bibliotek"
    assert body["benchmark"]["overall"]["minimum"] is None  # 6 < 10
    narrowed = client.get(
        f"/api/v1/audits/{audit_id}/benchmark?same_size=true", headers=bearer(token)
    ).get_json()
    assert narrowed["group"]["size"] == "medium" and narrowed["group"]["peers"] == 6
    bad = client.get(f"/api/v1/audits/{audit_id}/benchmark?same_size=yes", headers=bearer(token))
    assert bad.status_code == 400
    other = client.get(
        f"/api/v1/audits/{audit_id}/benchmark", headers=bearer(make_token(app, stranger))
    )
    assert other.status_code == 404
    assert client.get(f"/api/v1/audits/{audit_id}/benchmark").status_code == 401


def test_cli_benchmark_prints_the_group_as_text_and_json(app, clean_db):
    _committed_group(app, 10)
    runner = app.test_cli_runner()
    text = runner.invoke(args=["benchmark", LIBRARY])
    assert text.exit_code == 0, text.output
    assert text.output.startswith("Na tle podobnych bibliotek")
    # Without an audit of one's own, every consenting library counts (ours too): 11.
    as_json = runner.invoke(args=["benchmark", LIBRARY, "--format", "json", "--lang", "en"])
    data = json.loads(as_json.output)
    assert data["peers"] == 11 and data["overall"]["n"] == 11
    assert data["overall"]["minimum"] is not None and data["overall"]["you"] is None
    with app.app_context():
        expected = distribution(
            db.session.scalars(select(Audit.overall).where(Audit.status == "submitted"))
        )
    assert expected is not None
    assert (data["overall"]["q1"], data["overall"]["median"], data["overall"]["q3"]) == (
        expected.q1,
        expected.median,
        expected.q3,
    )
    companies = runner.invoke(args=["benchmark", LIBRARY, "--organisation-type", "company"])
    assert companies.exit_code == 0
    assert "Za mało organizacji do porównania" in companies.output
    unknown = runner.invoke(args=["benchmark", "no-such-questionnaire"])
    assert unknown.exit_code != 0 and "no-such-questionnaire" in unknown.output


def test_consent_is_set_on_the_organisation_form_and_recorded_in_the_trail(app, client):
    consultant = make_user(app, "con@example.org", "consultant")
    with app.app_context():
        organisation = Organisation(
            name="Gminna Biblioteka", type="library", created_by_id=consultant
        )
        db.session.add(organisation)
        db.session.commit()
        org_id = organisation.id
    login(client, "con@example.org")
    form = client.get(f"/organisations/{org_id}/edit").get_data(as_text=True)
    assert (
        'name="benchmark_consent"' in form
        and "checked" not in form.split('name="benchmark_consent"')[0].rsplit("<input", 1)[1]
    )
    fields = {"name": "Gminna Biblioteka", "type": "library", "size": "", "sector": "", "city": ""}
    ticked = client.post(
        f"/organisations/{org_id}/edit",
        data={**fields, "benchmark_consent": "y", "csrf_token": csrf_token(form)},
    )
    assert ticked.status_code == 302
    form = client.get(f"/organisations/{org_id}/edit").get_data(as_text=True)
    client.post(f"/organisations/{org_id}/edit", data={**fields, "csrf_token": csrf_token(form)})
    with app.app_context():
        assert db.session.get(Organisation, org_id).benchmark_consent is False
        events = db.session.scalars(
            select(TrailEvent).filter_by(action="update", object_id=org_id).order_by(TrailEvent.id)
        ).all()
        assert [e.details["changes"] for e in events] == [
            {"benchmark_consent": [False, True]},
            {"benchmark_consent": [True, False]},
        ]


@pytest.mark.parametrize(
    ("lang", "heading"), [("pl", "Na tle podobnych bibliotek"), ("en", "How you compare")]
)
def test_full_pdf_has_the_benchmark_page_with_the_model_figures(app, clean_db, lang, heading):
    audit_id, _ = _committed_group(app, 10)
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        context, rendered = render_audit(audit, "full", lang)
        pages = pdf_pages(rendered.pdf)
        view = context["benchmark"]
    contents = next(page for page in pages if page.startswith(("Spis treści", "Contents")))
    number = int(re.search(re.escape(view["title"]) + r" (\d+)", contents).group(1))
    page = pages[number - 1]
    assert view["title"].startswith(heading) and view["title"] in page
    overall = view["overall"]
    row = re.search(re.escape(overall["title"]) + r" (\S+) (\S+) (\S+) (\S+) (\d+)", page)
    assert row is not None, page
    assert row.groups() == (
        overall["you_display"],
        overall["median_display"],
        overall["middle_display"],
        overall["range_display"],
        str(overall["n"]),
    )
    for area in view["areas"]:
        assert area["title"] in page
    assert flat(view["anonymity_note"]) in page
    assert "Peer library" not in " ".join(pages)  # no peer is named anywhere


def test_full_pdf_has_no_benchmark_page_while_the_group_is_too_small(app, clean_db):
    audit_id, _ = _committed_group(app, 4)
    with app.app_context():
        context, rendered = render_audit(db.session.get(Audit, audit_id), "full", "en")
    assert context["benchmark"]["unavailable"]
    assert not any("How you compare" in page for page in pdf_pages(rendered.pdf))


def test_a_group_can_be_narrowed_to_listed_members(ctx):
    """For campaigns: only the listed organisations, with the same rules."""
    user = _user()
    peers = _peers(user, 8)
    own = _own(user)
    db.session.flush()
    members = frozenset(a.organisation_id for a in peers[:5])
    group = PeerGroup(LIBRARY, "library", exclude_organisation_id=own.organisation_id)
    narrowed = benchmark(replace(group, members=members), own.questionnaire_version)
    assert narrowed.peers == 5
    assert narrowed.benchmark.overall == distribution([a.overall for a in peers[:5]])
    assert (
        benchmark(
            replace(group, members=members - {peers[0].organisation_id}), own.questionnaire_version
        ).benchmark.overall
        is None
    )
