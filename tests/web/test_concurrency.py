"""Autosave under concurrency through a real HTTP server (werkzeug, threaded) on the
test database (SQLite file; PostgreSQL too when TEST_DATABASE_URL is set): nothing
lost, no 5xx, and the conflicting-edit rule (docs/reliability.md) holds when two
people save the same answer at the same moment. The full-size version with gunicorn
is benchmarks/load_autosave.py."""

from __future__ import annotations

import http.cookiejar
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from audit_app.extensions import db
from audit_app.models import Answer, Organisation, OrganisationAccess, QuestionnaireVersion, User
from audit_app.services import audits as audit_service
from audit_app.services import questionnaires
from audit_app.services.questionnaires import catalogue
from tests.conftest import PASSWORD, make_user

READINESS = "crm-readiness"
THREADS = 20
ANSWERS = 10  # per thread: 8 first saves, then 2 re-saves naming the revision
SCALE_QUESTIONS = [  # maturity scale questions: values "0".."4"
    "q01_customer_vision",
    "q04_multi_year_budget",
    "q05_measurable_objectives",
    "q06_segmentation",
    "q07_relationship_economics",
    "q08_strategy_communicated",
    "q11_needs_research",
    "q12_satisfaction_measurement",
]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def live_url(app, clean_db) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


class Browser:
    """One logged-in browser session speaking HTTP to the live server."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.token = ""

    def request(
        self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as reply:
                return reply.status, reply.read().decode(), reply.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.url

    def login(self, email: str) -> Browser:
        _, page, _ = self.request("/login")
        token = CSRF.search(page)
        assert token
        form = {"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
        status, _, url = self.request("/login", urllib.parse.urlencode(form).encode())
        assert status == 200 and not url.endswith("/login"), (status, url)
        return self

    def open_audit(self, audit_id: int) -> None:
        status, page, _ = self.request(f"/audits/{audit_id}")
        assert status == 200
        token = CSRF.search(page)
        assert token
        self.token = token.group(1)

    def save(self, audit_id: int, question_id: str, value: Any, base: int | None) -> tuple:
        body = json.dumps({"value": value, "base_revision": base}).encode()
        status, text, _ = self.request(
            f"/audits/{audit_id}/answers/{question_id}",
            body,
            {
                "Content-Type": "application/json",
                "Accept": "application/json",
                "X-CSRFToken": self.token,
            },
        )
        try:
            return status, json.loads(text)
        except ValueError:
            return status, {"text": text[:200]}


def run_together(jobs: list[Callable[[], None]]) -> None:
    """Start every job at the same moment (a barrier); re-raise the first failure."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=60)
            job()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def setup_audits(app, owners: list[int], per_owner: int, colleague: int | None = None) -> list:
    """`per_owner` crm-readiness audits for each owner (organisations shared with the
    colleague when given); [(owner id, audit id)]."""
    result = []
    with app.app_context():
        questionnaire = catalogue().get(READINESS)
        for owner_id in owners:
            owner = db.session.get(User, owner_id)
            for n in range(per_owner):
                organisation = Organisation(
                    name=f"Org {owner_id}-{n}", type="company", created_by_id=owner_id
                )
                db.session.add(organisation)
                db.session.flush()
                if colleague is not None:
                    db.session.add(
                        OrganisationAccess(organisation_id=organisation.id, user_id=colleague)
                    )
                audit = audit_service.start_audit(organisation, questionnaire, owner)
                result.append((owner_id, audit.id))
        db.session.commit()
    return result


def stored(app) -> dict[tuple[int, str], tuple[Any, int]]:
    with app.app_context():
        rows = db.session.scalars(select(Answer)).all()
        return {(a.audit_id, a.question_id): (a.value, a.revision) for a in rows}


def test_parallel_autosaves_lose_nothing(app, live_url):
    """20 browser sessions (5 consultants) answer 20 audits at once, 10 saves each."""
    owners = [make_user(app, f"c{n}@example.org", "consultant") for n in range(5)]
    audits = setup_audits(app, owners, per_owner=THREADS // len(owners))
    emails = {owner: f"c{n}@example.org" for n, owner in enumerate(owners)}
    sessions = {owner: Browser(live_url).login(emails[owner]) for owner in owners}
    browsers = []
    for owner, audit_id in audits:
        browser = Browser(live_url)
        browser.opener = sessions[owner].opener  # another tab of the same login
        browser.open_audit(audit_id)
        browsers.append((browser, audit_id))

    results: dict[int, list[tuple[str, Any, int, dict]]] = {a: [] for _, a in audits}

    def answer(browser: Browser, audit_id: int) -> Callable[[], None]:
        def job() -> None:
            revisions: dict[str, int] = {}
            plan = [(q, str((audit_id + i) % 5)) for i, q in enumerate(SCALE_QUESTIONS)]
            plan += [(q, str((audit_id + i + 1) % 5)) for i, q in enumerate(SCALE_QUESTIONS[:2])]
            assert len(plan) == ANSWERS
            for question_id, value in plan:
                status, body = browser.save(
                    audit_id, question_id, value, revisions.get(question_id, 0)
                )
                results[audit_id].append((question_id, value, status, body))
                if status == 200:
                    revisions[question_id] = body["revision"]

        return job

    run_together([answer(b, a) for b, a in browsers])

    statuses = [status for saves in results.values() for _, _, status, _ in saves]
    assert len(statuses) == THREADS * ANSWERS
    failed = [save for saves in results.values() for save in saves if save[2] != 200]
    assert failed == []
    rows = stored(app)
    expected = {}
    for audit_id, saves in results.items():
        for question_id, value, _, body in saves:
            expected[(audit_id, question_id)] = (value, body["revision"])
    assert rows == expected  # every answer, with the last value sent and its revision
    assert {revision for _, revision in rows.values()} == {1, 2}


def test_simultaneous_edits_of_one_answer_one_wins_the_other_gets_409(app, live_url):
    """The owner and a colleague save the same answers at the same moment, both based
    on revision 1: for every answer exactly one is stored, the other gets 409 with
    the stored version; nothing is silently overwritten."""
    owner = make_user(app, "owner@example.org", "consultant")
    colleague = make_user(app, "colleague@example.org", "consultant")
    [(_, audit_id)] = setup_audits(app, [owner], per_owner=1, colleague=colleague)
    mine = Browser(live_url).login("owner@example.org")
    theirs = Browser(live_url).login("colleague@example.org")
    mine.open_audit(audit_id)
    theirs.open_audit(audit_id)
    for question_id in SCALE_QUESTIONS:
        assert mine.save(audit_id, question_id, "1", 0)[0] == 200

    outcomes: dict[str, list[tuple[str, int, dict]]] = {q: [] for q in SCALE_QUESTIONS}

    def edit(browser: Browser, question_id: str, value: str) -> Callable[[], None]:
        def job() -> None:
            status, body = browser.save(audit_id, question_id, value, 1)
            outcomes[question_id].append((value, status, body))

        return job

    jobs = []
    for question_id in SCALE_QUESTIONS:
        jobs += [edit(mine, question_id, "2"), edit(theirs, question_id, "3")]
    run_together(jobs)

    rows = stored(app)
    for question_id, pair in outcomes.items():
        assert sorted(status for _, status, _ in pair) == [200, 409], (question_id, pair)
        winner = next(value for value, status, _ in pair if status == 200)
        loser = next(body for _, status, body in pair if status == 409)
        assert loser["conflict"] is True
        assert loser["value"] == winner and loser["revision"] == 2  # shown the stored one
        assert rows[(audit_id, question_id)] == (winner, 2)


def test_a_stale_save_after_the_other_one_is_refused_not_lost(app, live_url):
    """The same rule without a race: the second save names an old revision."""
    owner = make_user(app, "owner@example.org", "consultant")
    colleague = make_user(app, "colleague@example.org", "consultant")
    [(_, audit_id)] = setup_audits(app, [owner], per_owner=1, colleague=colleague)
    mine = Browser(live_url).login("owner@example.org")
    theirs = Browser(live_url).login("colleague@example.org")
    mine.open_audit(audit_id)
    theirs.open_audit(audit_id)
    question = SCALE_QUESTIONS[0]
    assert mine.save(audit_id, question, "1", 0)[0] == 200
    status, body = theirs.save(audit_id, question, "4", 1)
    assert (status, body["revision"]) == (200, 2)
    status, body = mine.save(audit_id, question, "0", 1)  # based on what it saw: revision 1
    assert status == 409 and body["value"] == "4" and body["revision"] == 2
    status, body = mine.save(audit_id, question, "0", 2)  # "keep mine" after seeing theirs
    assert (status, body["revision"]) == (200, 3)
    assert stored(app)[(audit_id, question)] == ("0", 3)


def test_a_questionnaire_version_stored_meanwhile_by_another_request_is_used(
    app, clean_db, monkeypatch
):
    """Audits started at the same moment on a new questionnaire version: the second
    request finds no row, inserts, hits the unique content hash, and uses the first's
    row (it answered 500 before)."""
    with app.app_context():
        questionnaire = catalogue().get("library-crm-audit")
        first_id = questionnaires.store_version(questionnaire).id
        db.session.commit()
        db.session.remove()
    real_lookup = questionnaires._stored_version
    lookups: list[str] = []

    def missed_by_the_first_lookup(content_hash: str):
        lookups.append(content_hash)
        return None if len(lookups) == 1 else real_lookup(content_hash)

    owner_id = make_user(app, "owner@example.org", "consultant")
    monkeypatch.setattr(questionnaires, "_stored_version", missed_by_the_first_lookup)
    with app.app_context():
        owner = db.session.get(User, owner_id)
        organisation = Organisation(name="Biblioteka", type="library", created_by_id=owner.id)
        db.session.add(organisation)
        db.session.flush()
        audit = audit_service.start_audit(organisation, questionnaire, owner)
        db.session.commit()
        assert audit.questionnaire_version_id == first_id
        assert len(db.session.scalars(select(QuestionnaireVersion)).all()) == 1
    assert len(lookups) == 2
