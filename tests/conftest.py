"""Fixtures: the app on a real database (a temporary SQLite file always, PostgreSQL
too when TEST_DATABASE_URL is set), migrated with Alembic, emptied after each test."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from audit_app import create_app
from audit_app.config import TestConfig
from audit_app.extensions import db, limiter

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
PASSWORD = "correct horse battery"  # noqa: S105 - test accounts only


def _database_url(backend: str, tmp: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'test.sqlite'}"
    return os.environ["TEST_DATABASE_URL"]


@pytest.fixture(scope="session", params=BACKENDS)
def app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    from flask_migrate import upgrade

    tmp = tmp_path_factory.mktemp(request.param)
    application = create_app(
        {
            **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
            "SQLALCHEMY_DATABASE_URI": _database_url(request.param, tmp),
            "UPLOADED_QUESTIONNAIRES_DIR": str(tmp / "instance" / "questionnaires"),
            "EVIDENCE_DIR": str(tmp / "instance" / "evidence"),
        }
    )
    application.instance_path = str(tmp / "instance")
    with application.app_context():
        if request.param == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=False)
def clean_db(app: Flask) -> Iterator[None]:
    yield
    with app.app_context():
        db.session.rollback()
        tables = [t for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            for table in tables:
                conn.execute(table.delete())
        db.session.remove()
        # Files outlive the rows: questionnaires published and evidence kept by a test
        # must not reach the next one (the app lives for the whole session).
        from audit_app.services.questionnaires import catalogue

        for folder in (app.config["UPLOADED_QUESTIONNAIRES_DIR"], app.config["EVIDENCE_DIR"]):
            shutil.rmtree(folder, ignore_errors=True)
            os.makedirs(folder, exist_ok=True)
        catalogue().refresh(force=True)
    limiter.reset()


@pytest.fixture
def ctx(app: Flask, clean_db: None) -> Iterator[Flask]:
    """An app context on an empty database (for service tests)."""
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask, clean_db: None) -> FlaskClient:
    return app.test_client()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def make_user(
    app: Flask, email: str, role: str, language: str = "en", name: str | None = None
) -> int:
    from audit_app.services.accounts import create_user

    with app.app_context():
        user = create_user(
            email=email,
            name=name or email.split("@")[0],
            password=PASSWORD,
            role=role,
            language=language,
        )
        db.session.commit()
        return user.id


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302, response.text


# ------------------------------------------------------------------ report queue (RQ)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@contextmanager
def report_queue(
    app: Flask, monkeypatch: pytest.MonkeyPatch, setting: str = "REPORT_QUEUE"
) -> Iterator[Any]:
    """A fresh, uniquely named RQ queue on the local Redis, set as the app's report
    queue (or the queue `setting` names, e.g. MAIL_QUEUE); deleted afterwards. Skips
    the test when no Redis answers (CI has one)."""
    import redis
    from rq import Queue

    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    name = f"test-{setting.lower()}-{uuid.uuid4().hex[:12]}"
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, setting, name)
    queue = Queue(name, connection=connection)
    try:
        yield queue
    finally:
        queue.delete(delete_jobs=True)
        connection.close()


@pytest.fixture
def redis_queue(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with report_queue(app, monkeypatch) as queue:
        yield queue


def work(app: Flask, queue: Any) -> None:
    """Run every queued job in this process (an RQ worker in burst mode: no waiting)."""
    from rq import SimpleWorker

    class BurstWorker(SimpleWorker):  # type: ignore[misc]
        def subscribe(self) -> None:
            """No command channel: a burst in a test takes no commands, and closing the
            channel's thread (redis-py) waited up to its 60-second poll now and then."""

    with app.app_context():
        BurstWorker([queue], connection=queue.connection).work(burst=True)


# ------------------------------------------------------------------ mail (a real SMTP server)
@pytest.fixture
def smtp(app: Flask) -> Iterator[Any]:
    """Mail on, sent to an aiosmtpd server on a free port (tests/smtp_server.py)."""
    from tests.smtp_server import smtp_server

    with smtp_server(app.config) as server:
        yield server
