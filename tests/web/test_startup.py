"""Start-up and run-time robustness (docs/reliability.md): the app starts and serves
with a broken questionnaire file or none at all, with the database down (/health says
so), waits for a briefly locked SQLite database, and answers a clear 503 in the user's
language when the lock outlasts the busy timeout.

Each test builds its own app on its own SQLite file (the shared `app` fixture's
settings cannot change per test)."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import event, select

from audit_app import create_app
from audit_app.config import Config, TestConfig
from audit_app.extensions import db
from audit_app.models import Answer, Organisation, User
from audit_app.services import audits as audit_service
from audit_app.services.questionnaires import catalogue
from tests.conftest import csrf_token, login, make_user

READINESS = "crm-readiness"
QUESTION = "q01_customer_vision"


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    made: list[Flask] = []

    def build(**settings: Any) -> Flask:
        config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'startup.sqlite'}"
        config["UPLOADED_QUESTIONNAIRES_DIR"] = str(tmp_path / "instance" / "questionnaires")
        # Alembic's env.py (logging.config.fileConfig) disables the loggers that exist
        # when migrations run inside a process (here: every earlier test's upgrade);
        # a web worker never runs them. Re-enable the app's logger to see what it says.
        logging.getLogger("audit_app").disabled = False
        app = create_app({**config, **settings})
        app.instance_path = str(tmp_path / "instance")
        made.append(app)
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            with app.app_context():
                upgrade()
            app.logger.disabled = False
        return app

    yield build
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


class Records(logging.Handler):
    """Records of one logger (caplog's root handler does not survive Alembic's
    fileConfig when migrations run inside the test process)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def messages(self) -> list[str]:
        return [record.getMessage() for record in self.records]


def audit_for(app: Flask, language: str = "en") -> tuple[int, int]:
    """A consultant (logged in later) with one organisation and a started audit."""
    user_id = make_user(app, "con@example.org", "consultant", language=language)
    with app.app_context():
        organisation = Organisation(name="Fundacja Wolne Dane", type="ngo", created_by_id=user_id)
        db.session.add(organisation)
        db.session.flush()
        user = db.session.get(User, user_id)
        audit = audit_service.start_audit(organisation, catalogue().get(READINESS), user)
        db.session.commit()
        return organisation.id, audit.id


# --------------------------------------------------------------------------- questionnaires


def test_a_broken_questionnaire_is_reported_and_the_good_ones_are_served(
    make_app, tmp_path, caplog
):
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    good = sorted(Config.SHIPPED_QUESTIONNAIRES_DIR.glob("*.yaml"))
    for path in good:
        shutil.copy(path, folder / path.name)
    broken = "schema: 1\nid: broken\ntitle: [never closed\n"
    (folder / "zz-broken.yaml").write_text(broken, encoding="utf-8")

    with caplog.at_level(logging.ERROR):
        app = make_app(SHIPPED_QUESTIONNAIRES_DIR=folder)
    reported = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("Questionnaire not loaded" in m and "zz-broken.yaml" in m for m in reported)
    assert not any("crm-readiness" in m for m in reported)

    client = app.test_client()
    health = client.get("/health")
    assert health.status_code == 200
    assert health.json["status"] == "ok"
    assert health.json["questionnaires"] == len(good)
    assert health.json["questionnaire_errors"] >= 1

    organisation_id, _ = audit_for(app)
    login(client, "con@example.org")
    page = client.get(f"/organisations/{organisation_id}/audits/new")
    assert page.status_code == 200
    with app.app_context():
        for questionnaire in catalogue().all():
            assert questionnaire.title.en in page.text
        assert catalogue().get("broken") is None


def test_a_missing_questionnaire_folder_does_not_stop_the_app(make_app, tmp_path, caplog):
    with caplog.at_level(logging.ERROR):
        app = make_app(QUESTIONNAIRES_DIR=[tmp_path / "nowhere"])
    assert any("directory not found" in r.getMessage() for r in caplog.records)
    health = app.test_client().get("/health")
    assert health.status_code == 200
    assert (health.json["questionnaires"], health.json["questionnaire_errors"]) == (3, 1)


def test_the_app_starts_with_the_database_down_and_health_says_so(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    health = app.test_client().get("/health")
    assert health.status_code == 503
    assert health.json["database"] == "unavailable"


# --------------------------------------------------------------------------- SQLite lock


class WriteLock:
    """Another connection holding SQLite's write lock (as another worker mid-write)."""

    def __init__(self, app: Flask) -> None:
        path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
        self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.connection.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.connection.execute("COMMIT")
        self.connection.close()


def stored_answer(app: Flask, audit_id: int) -> Answer | None:
    with app.app_context():
        return db.session.scalar(select(Answer).filter_by(audit_id=audit_id, question_id=QUESTION))


def autosave(client, audit_id: int, token: str, value: str):
    return client.post(
        f"/audits/{audit_id}/answers/{QUESTION}",
        json={"value": value, "base_revision": 0},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )


def test_a_save_waits_for_a_brief_lock_and_succeeds(make_app):
    app = make_app()  # busy timeout: 15 s
    _, audit_id = audit_for(app)
    client = app.test_client()
    login(client, "con@example.org")
    token = csrf_token(client.get(f"/audits/{audit_id}").text)

    lock = WriteLock(app)
    # Readers are not blocked by a writer (WAL): the page opens while the lock is held.
    assert client.get(f"/audits/{audit_id}").status_code == 200

    waiting = threading.Event()

    def trace(statement: str) -> None:  # SQLite calls this as a statement starts
        if statement.startswith("BEGIN IMMEDIATE"):  # autosave's SELECT ... FOR UPDATE
            waiting.set()

    def traced(dbapi_connection, record, proxy) -> None:
        dbapi_connection.set_trace_callback(trace)

    def untraced(dbapi_connection, record) -> None:
        dbapi_connection.set_trace_callback(None)

    def release_when_waiting() -> None:
        assert waiting.wait(timeout=60)
        lock.release()  # the other writer finishes while the save waits for the lock

    with app.app_context():
        engine = db.engine
    event.listen(engine, "checkout", traced)
    event.listen(engine, "checkin", untraced)
    releaser = threading.Thread(target=release_when_waiting)
    releaser.start()
    try:
        reply = autosave(client, audit_id, token, "3")
    finally:
        waiting.set()  # never leave the thread waiting if the save failed early
        releaser.join()
        event.remove(engine, "checkout", traced)
        event.remove(engine, "checkin", untraced)
    assert reply.status_code == 200, reply.text
    assert reply.json["ok"] is True
    answer = stored_answer(app, audit_id)
    assert answer is not None and (answer.value, answer.revision) == ("3", 1)


def test_a_lock_outlasting_the_busy_timeout_is_a_clear_503_in_the_users_language(
    make_app,
):
    app = make_app(SQLITE_BUSY_TIMEOUT=0.05)
    log = Records()
    app.logger.addHandler(log)
    _, audit_id = audit_for(app, language="pl")
    client = app.test_client()
    login(client, "con@example.org")
    page = client.get(f"/audits/{audit_id}")
    token = csrf_token(page.text)
    with app.app_context():
        section = catalogue().get(READINESS).sections[0].id

    lock = WriteLock(app)
    try:
        reply = autosave(client, audit_id, token, "3")
        assert reply.status_code == 503
        assert reply.json["code"] == "database_busy"
        assert "zajęta" in reply.json["message"]  # Polish: the user's language
        assert reply.headers["Retry-After"] == "5"
        assert any("Database busy" in m for m in log.messages())

        form = client.post(  # the no-JavaScript path: an HTML page
            f"/audits/{audit_id}?section={section}",
            data={"csrf_token": token, f"rev-{QUESTION}": "0", f"a-{QUESTION}": "3"},
        )
        assert form.status_code == 503
        assert "<h1>Baza danych jest chwilowo zajęta" in form.text
        assert "503" in form.text
    finally:
        lock.release()
        app.logger.removeHandler(log)
    assert stored_answer(app, audit_id) is None  # nothing half-written

    reply = autosave(client, audit_id, token, "3")  # trying again once the lock is gone
    assert reply.status_code == 200
    assert stored_answer(app, audit_id).value == "3"


def test_extra_folders_add_to_the_shipped_questionnaires_and_changes_need_no_restart(
    make_app, tmp_path, caplog
):
    extra = tmp_path / "client-questionnaires"
    extra.mkdir()
    (extra / "answers.yaml").write_text("r01_business_strategy: 'yes'\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        app = make_app(QUESTIONNAIRES_DIR=[extra])
    assert not any("answers.yaml" in r.getMessage() for r in caplog.records)
    client = app.test_client()
    assert client.get("/health").json["questionnaires"] == 3

    shipped = (Config.SHIPPED_QUESTIONNAIRES_DIR / "crm-readiness.yaml").read_text("utf-8")
    copy = shipped.replace("id: crm-readiness", "id: client-readiness", 1)
    (extra / "client.yaml").write_text(copy, encoding="utf-8")
    assert client.get("/health").json["questionnaires"] == 4  # no restart
    with app.app_context():
        assert catalogue().get("client-readiness") is not None

    newer = shipped.replace('version: "1.0.0"', 'version: "1.1.0"', 1)
    assert newer != shipped
    (extra / "readiness-1.1.yaml").write_text(newer, encoding="utf-8")
    with app.app_context():
        assert catalogue().get("crm-readiness").version == "1.1.0"
        (warning,) = catalogue().warnings
    assert warning.path.endswith("crm-readiness.yaml") and "version 1.1.0 is used" in str(warning)

    (extra / "client.yaml").unlink()
    assert client.get("/health").json["questionnaires"] == 3
    with app.app_context():
        assert catalogue().get("client-readiness") is None


def test_a_file_changed_after_loading_is_stored_with_the_fingerprint_of_its_text(
    make_app, tmp_path
):
    import hashlib

    from audit_app.domain.loader import load_questionnaire
    from audit_app.services.questionnaires import store_version

    app = make_app()
    source = Config.SHIPPED_QUESTIONNAIRES_DIR / "crm-implementation-risk.yaml"
    path = tmp_path / "risk.yaml"
    path.write_bytes(source.read_bytes())
    loaded = load_questionnaire(path)
    changed = source.read_text("utf-8").replace('version: "1.0.0"', 'version: "1.0.1"', 1)
    path.write_text(changed, encoding="utf-8")  # edited before the first audit starts
    with app.app_context():
        row = store_version(loaded)
        assert row.version == "1.0.1"
        assert row.content_hash == hashlib.sha256(row.source.encode("utf-8")).hexdigest()
