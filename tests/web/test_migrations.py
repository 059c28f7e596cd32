"""Database migrations (`audit-app db upgrade`, Alembic through Flask-Migrate):

* an empty database upgrades to the single head, the schema then holds every model's
  table, and it downgrades to base and upgrades again;
* a database made by the previous release (the first revision, 43784b3eed23: users,
  organisations, audits, answers, actions, trail) with a realistic set of rows in it
  upgrades to head with every row intact, and the app works on it: log in, open the
  results and history of the submitted audit, keep answering the open one; it also
  downgrades to base.

On a SQLite file always; on PostgreSQL too when TEST_DATABASE_URL is set, in a separate
database `migrationtest` (created and dropped here: the shared test database is left
alone)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, inspect, select, text
from sqlalchemy.engine import make_url

from audit_app import create_app
from audit_app.config import PACKAGE_DIR, TestConfig
from audit_app.domain.loader import load_questionnaire_text
from audit_app.domain.scoring import result_to_dict, score
from audit_app.extensions import db
from audit_app.services.accounts import hash_password
from audit_app.services.questionnaires import catalogue
from tests.conftest import PASSWORD, csrf_token, login
from tests.support.sample import every_answer

PREVIOUS_RELEASE = "43784b3eed23"  # initial schema: the release before this one
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
SEPARATE_DATABASE = "migrationtest"


def heads() -> tuple[str, ...]:
    config = AlembicConfig()
    config.set_main_option("script_location", str(PACKAGE_DIR / "migrations"))
    return tuple(ScriptDirectory.from_config(config).get_heads())


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    import psycopg

    url = make_url(os.environ["TEST_DATABASE_URL"])
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SEPARATE_DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {SEPARATE_DATABASE}")
    yield url.set(database=SEPARATE_DATABASE).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SEPARATE_DATABASE} WITH (FORCE)")


@pytest.fixture
def fresh_app(database_url: str, tmp_path) -> Iterator[Flask]:
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": database_url})
    app.instance_path = str(tmp_path / "instance")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def current_revision() -> str | None:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def test_an_empty_database_upgrades_to_head_and_downgrades_to_base(fresh_app):
    assert len(heads()) == 1, f"several migration heads, merge them: {heads()}"
    with fresh_app.app_context():
        upgrade()
        assert current_revision() == heads()[0]
        assert set(db.metadata.tables) <= tables()  # every model has its table
        downgrade(revision="base")
        assert tables() == set()
        upgrade()  # and back up again
        assert current_revision() == heads()[0]
        assert set(db.metadata.tables) <= tables()


# --------------------------------------------------------------------------- previous release


def realistic_rows(now: datetime) -> dict[str, list[dict[str, Any]]]:
    """What the previous release stored for a consultant's organisation: a submitted
    audit (all questions answered, frozen result, an agreed action) and an open one."""
    path = catalogue().get("crm-readiness").source_path
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    questionnaire = load_questionnaire_text(source, "previous release")
    answers = every_answer(questionnaire)
    result = score(questionnaire, answers, "library")
    password_hash = hash_password(PASSWORD)
    user = {
        "password_hash": password_hash,
        "role": "consultant",
        "language": "en",
        "active": True,
        "failed_logins": 0,
        "created_at": now - timedelta(days=90),
    }
    submitted_at = now - timedelta(days=30)
    return {
        "users": [
            {"id": 1, "email": "admin@example.org", "name": "Admin", **user, "role": "admin"},
            {"id": 2, "email": "con@example.org", "name": "Zofia Żak", **user},
        ],
        "organisations": [
            {
                "id": 1,
                "name": "Miejska Biblioteka Publiczna w Łodzi",
                "type": "library",
                "size": "medium",
                "sector": "kultura",
                "city": "Łódź",
                "created_by_id": 2,
                "created_at": now - timedelta(days=80),
            }
        ],
        "organisation_access": [{"id": 1, "organisation_id": 1, "user_id": 2}],
        "questionnaire_versions": [
            {
                "id": 1,
                "questionnaire_id": questionnaire.id,
                "version": questionnaire.version,
                "content_hash": questionnaire.content_hash or "previous-release",
                "source": source,
                "stored_at": now - timedelta(days=60),
            }
        ],
        "audits": [
            {
                "id": 1,
                "organisation_id": 1,
                "questionnaire_version_id": 1,
                "status": "submitted",
                "created_by_id": 2,
                "started_at": now - timedelta(days=40),
                "submitted_at": submitted_at,
                "result": result_to_dict(result),
                "overall": result.overall,
                "verdict": result.verdict,
            },
            {
                "id": 2,
                "organisation_id": 1,
                "questionnaire_version_id": 1,
                "status": "in_progress",
                "created_by_id": 2,
                "started_at": now - timedelta(days=1),
                "submitted_at": None,
                "result": None,
                "overall": None,
                "verdict": None,
            },
        ],
        "answers": [
            {
                "id": n,
                "audit_id": 1,
                "question_id": question_id,
                "value": value,
                "note": "Ustalone na warsztacie." if n % 7 == 0 else "",
                "evidence": "Protokół z 12.03." if n % 11 == 0 else "",
                "revision": 1 + n % 3,
                "updated_at": submitted_at - timedelta(minutes=n),
                "updated_by_id": 2,
            }
            for n, (question_id, value) in enumerate(answers.items(), start=1)
        ]
        + [
            {
                "id": 1000,
                "audit_id": 2,
                "question_id": "q01_customer_vision",
                "value": "2",
                "note": "",
                "evidence": "",
                "revision": 1,
                "updated_at": now,
                "updated_by_id": 2,
            }
        ],
        "actions": [
            {
                "id": 1,
                "audit_id": 1,
                "recommendation_id": "rec-q01-first",
                "title": "Warsztat wizji z kierownikami",
                "owner": "Dyrektor",
                "due_date": (now + timedelta(days=30)).date(),
                "status": "in_progress",
                "created_at": submitted_at,
                "updated_at": submitted_at,
            }
        ],
        "trail_events": [
            {
                "id": 1,
                "at": now - timedelta(days=40),
                "user_id": 2,
                "action": "start",
                "object_type": "audit",
                "object_id": 1,
                "details": {"questionnaire": "crm-readiness"},
            },
            {
                "id": 2,
                "at": submitted_at,
                "user_id": 2,
                "action": "submit",
                "object_type": "audit",
                "object_id": 1,
                "details": {"overall": result.overall},
            },
        ],
    }


def previous_release_schema() -> MetaData:
    """The tables exactly as the previous release's migration created them."""
    metadata = MetaData()
    metadata.reflect(bind=db.engine)
    return metadata


def comparable(row: dict[str, Any]) -> dict[str, Any]:
    """SQLite gives datetimes back without a zone; compare them as UTC."""
    return {
        key: value.replace(tzinfo=None) if isinstance(value, datetime) else value
        for key, value in row.items()
    }


def test_a_previous_release_database_upgrades_with_its_data_intact(fresh_app):
    now = datetime(2026, 11, 2, 10, 30, tzinfo=UTC)
    with fresh_app.app_context():
        upgrade(revision=PREVIOUS_RELEASE)
        assert current_revision() == PREVIOUS_RELEASE
        rows = realistic_rows(now)
        old = previous_release_schema()
        assert set(rows) <= set(old.tables)
        with db.engine.begin() as conn:
            for name in (
                "users",
                "organisations",
                "organisation_access",
                "questionnaire_versions",
                "audits",
                "answers",
                "actions",
                "trail_events",
            ):
                for row in rows[name]:
                    conn.execute(old.tables[name].insert().values(**row))
            if db.engine.dialect.name == "postgresql":  # ids were given explicitly
                for name in rows:
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                            f"(SELECT max(id) FROM {name}))"
                        )
                    )

        upgrade()
        assert current_revision() == heads()[0]
        new = previous_release_schema()
        with db.engine.connect() as conn:
            for name, inserted in rows.items():
                table = new.tables[name]
                stored = {r["id"]: r for r in conn.execute(select(table)).mappings().all()}
                assert len(stored) == len(inserted), name
                for row in inserted:
                    kept = {key: stored[row["id"]][key] for key in row}
                    assert comparable(kept) == comparable(row), (name, row["id"])

    client = fresh_app.test_client()
    login(client, "con@example.org")
    results = client.get("/audits/1/results")
    assert results.status_code == 200
    assert "Miejska Biblioteka Publiczna w Łodzi" in results.text
    assert client.get("/organisations/1/history").status_code == 200
    assert client.get("/audits/1").status_code == 302  # submitted: straight to results
    page = client.get("/audits/2", follow_redirects=True)  # resumes at the first unanswered
    assert page.status_code == 200
    saved = client.post(
        "/audits/2/answers/q01_customer_vision",
        json={"value": "3", "base_revision": 1},
        headers={"X-CSRFToken": csrf_token(page.text), "Accept": "application/json"},
    )
    assert saved.status_code == 200 and saved.json["revision"] == 2
    first_new = client.post(
        "/audits/2/answers/q04_multi_year_budget",
        json={"value": "1"},
        headers={"X-CSRFToken": csrf_token(page.text), "Accept": "application/json"},
    )
    assert first_new.status_code == 200  # new rows get fresh ids after the old ones

    with fresh_app.app_context():
        db.session.remove()
        downgrade(revision="base")
        assert tables() == set()
