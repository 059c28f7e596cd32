"""`audit-app backup export|import`: every row of every table survives the round trip
(SQLite -> SQLite, and SQLite -> PostgreSQL when TEST_DATABASE_URL is set); a damaged
file, another revision or a non-empty database end with exit 1 and nothing written."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    func,
    make_url,
    select,
)

from audit_app import create_app
from audit_app.commands.demo import ADMIN_EMAIL, DEMO_EMAIL, DEMO_PASSWORD, _demo_value, create_demo
from audit_app.config import TestConfig
from audit_app.extensions import db
from audit_app.models import Audit, IssuedReport, Organisation, Person, User
from audit_app.services import api_tokens, backup, report_requests, respondents, sharing
from audit_app.services import report_archive as archive
from audit_app.services.audits import questionnaire_for
from audit_app.services.register import (
    consents,
    csvparse,
    followups,
    importer,
    stats,
    tags,
    uploads,
)
from tests.conftest import login, make_user
from tests.web.test_register_helpers import log_interaction, make_person

# Every table the fill below puts rows into (a table added later is still compared).
FILLED = {
    "actions",
    "answers",
    "api_tokens",
    "audits",
    "change_log",
    "consents",
    "followups",
    "import_batch_items",
    "import_batches",
    "import_uploads",
    "interaction_participants",
    "interactions",
    "issued_reports",
    "memberships",
    "organisation_access",
    "organisation_profiles",
    "organisation_tags",
    "organisations",
    "people",
    "person_emails",
    "person_phones",
    "person_tags",
    "questionnaire_versions",
    "register_state",
    "report_requests",
    "respondent_answers",
    "respondent_collections",
    "respondent_links",
    "respondents",
    "share_links",
    "tags",
    "trail_events",
    "users",
}
CSV = b"first_name,last_name,email\nJan,Nowak,jan.nowak@example.org\nOla,Lis,ola@example.org\n"


def _config(url):
    return {
        **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
        "SQLALCHEMY_DATABASE_URI": url,
    }


@contextmanager
def other_app(url, instance, *, migrate=True):
    """A second app on its own database (migrated like the suite's)."""
    application = create_app(_config(url))
    application.instance_path = str(instance)
    try:
        if migrate:
            with application.app_context():
                upgrade()
        yield application
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def target(tmp_path):
    with other_app(f"sqlite:///{tmp_path / 'target.sqlite'}", tmp_path / "instance") as app:
        yield app


@pytest.fixture
def postgres_target(tmp_path):
    """An app on a PostgreSQL database of its own, created and dropped here."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("TEST_DATABASE_URL not set")
    import psycopg

    server = make_url(url)
    conninfo = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS backuptest WITH (FORCE)")
        conn.execute("CREATE DATABASE backuptest")
    try:
        backup_url = server.set(database="backuptest").render_as_string(hide_password=False)
        with other_app(backup_url, tmp_path / "instance") as app:
            yield app
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS backuptest WITH (FORCE)")


# --------------------------------------------------------------------------- data


def fill(app):
    """A realistic database: a row in every table, NULLs, JSON null, dates, bytes."""
    with app.app_context():
        create_demo(today=date.today())
        db.session.commit()
    viewer_id = make_user(app, "viewer@example.org", "viewer", language="en")
    with app.app_context():
        admin = db.session.scalar(select(User).filter_by(email=ADMIN_EMAIL))
        consultant = db.session.scalar(select(User).filter_by(email=DEMO_EMAIL))
        viewer = db.session.get(User, viewer_id)
        viewer.active = False
        viewer.failed_logins = 3
        viewer.locked_until = datetime(2031, 5, 17, 8, 30, 15, 123456, tzinfo=UTC)
        submitted = db.session.scalars(
            select(Audit).where(Audit.status == "submitted").order_by(Audit.id)
        ).all()
        open_audit = db.session.scalars(select(Audit).where(Audit.status != "submitted")).first()
        _respondents(open_audit, submitted[0], consultant)
        report = archive.issue(submitted[-1], "brief", "en", user=consultant)
        sharing.create_link(report, 14, consultant)
        secret = api_tokens.create(consultant, "Nightly export")[1]
        report_requests.create(submitted[-1], consultant, design="brief", lang="pl")
        db.session.commit()
        organisation_id = submitted[0].organisation_id
        admin_id = admin.id
    person_id = make_person(
        app,
        admin_id,
        "Zofia",
        "Żółkiewska",
        emails=["zofia@example.org", "z.z@example.org"],
        phones=["+48 600 100 200"],
        organisation_id=organisation_id,
        role="Dyrektorka",
        tags=["VIP", "biblioteki"],
    )
    interaction_id = log_interaction(
        app,
        admin_id,
        [person_id],
        organisation_id=organisation_id,
        when=datetime(2026, 3, 4, 12, 0, 0, 654321, tzinfo=UTC),
        summary="Rozmowa o wdrożeniu — „cudzysłów” i emoji 🙂",
    )
    with app.app_context():
        admin = db.session.get(User, admin_id)
        person = db.session.get(Person, person_id)
        followups.create(
            admin,
            followups.FollowupInput(
                title="Oddzwonić",
                due_on=date(2026, 12, 31),
                person_id=person_id,
                interaction_id=interaction_id,
                assignee_id=admin_id,
            ),
        )
        consents.record(
            admin,
            person,
            consents.ConsentInput(
                purpose="newsletter",
                lawful_basis="consent",
                source="email",
                status="granted",
                review_on=date(2027, 1, 15),
            ),
        )
        tags.set_organisation_tags(organisation_id, ["klient"])
        parsed = csvparse.parse(CSV)
        kind = csvparse.guess_kind(parsed.headers)
        importer.run_import(
            admin,
            parsed,
            csvparse.auto_map(parsed.headers, kind),
            kind,
            "upsert",
            filename="people.csv",
        )
        uploads.store(admin, CSV, "waiting.csv")
        stats.refresh_all()
        db.session.commit()
    return secret


def _respondents(open_audit, submitted, consultant):
    """A personal invitation with answers (one a JSON null), a shared link with an
    anonymous respondent, and a closed collection."""
    questionnaire = questionnaire_for(open_audit)
    role = respondents.role_ids(questionnaire)[0]
    invited = respondents.invite(
        open_audit, role=role, user=consultant, name="Ewa Kowalska", email="ewa@example.org"
    )
    answered = 0
    for index, question in enumerate(questionnaire.questions):
        value = _demo_value(question, index, 1)
        if value is not None and answered < 3:
            respondents.save_answer(invited, question.id, value=value, note="Zdanie ewy")
            answered += 1
        elif value is not None and answered == 3:
            respondents.save_answer(invited, question.id, value="")  # stored as JSON null
            answered += 1
    respondents.finish(invited)
    link = respondents.create_link(open_audit, role=role, user=consultant, department="IT")
    respondents.start_from_link(link)
    respondents.close(submitted, consultant)


def snapshot(app):
    """Every table's rows (all columns, primary-key order), comparable across databases:
    datetimes in UTC, bytes as bytes, JSON with its SQL-NULL flag."""
    tables = {}
    with app.app_context(), db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            columns = list(table.columns)
            json_columns = [c for c in columns if isinstance(c.type, JSON)]
            query = select(*columns, *[c.is_(None) for c in json_columns]).order_by(
                *table.primary_key.columns
            )
            rows = []
            for row in conn.execute(query):
                values, flags = list(row[: len(columns)]), list(row[len(columns) :])
                cells = {}
                for column, value in zip(columns, values, strict=True):
                    if isinstance(column.type, JSON):
                        value = ("sql-null",) if flags.pop(0) else ("json", value)
                    elif isinstance(value, datetime):
                        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value
                        value = value.astimezone(UTC)
                    elif isinstance(column.type, LargeBinary) and value is not None:
                        value = bytes(value)
                    cells[column.name] = value
                rows.append(cells)
            tables[table.name] = rows
    return tables


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _rewrite(source, destination, change):
    """A copy of a backup with its parsed lines passed through `change(lines)`."""
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle]
    with gzip.open(destination, "wt", encoding="utf-8") as out:
        for line in change(lines):
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------- round trips


def _round_trip(app, destination, tmp_path):
    secret = fill(app)
    before = snapshot(app)
    empty = sorted(name for name, rows in before.items() if not rows and name in FILLED)
    assert empty == [], f"the test data misses {empty}"
    assert any(cells["value"] == ("json", None) for cells in before["respondent_answers"]), (
        "no JSON null"
    )

    path = tmp_path / "backup.jsonl.gz"
    exported = app.test_cli_runner().invoke(args=["backup", "export", str(path)])
    assert exported.exit_code == 0, exported.output
    assert "Backup written" in exported.output

    with gzip.open(path, "rt", encoding="utf-8") as handle:
        manifest = json.loads(handle.readline())
    assert manifest["format_version"] == 1
    assert manifest["alembic_revision"]
    assert [t["name"] for t in manifest["tables"]] == [t.name for t in db.metadata.sorted_tables]
    assert {t["name"]: t["rows"] for t in manifest["tables"]} == {
        name: len(rows) for name, rows in before.items()
    }

    imported = destination.test_cli_runner().invoke(args=["backup", "import", str(path)])
    assert imported.exit_code == 0, imported.output
    assert f"Imported {sum(len(r) for r in before.values())} rows" in imported.output

    after = snapshot(destination)
    assert list(after) == list(before)
    for name in before:
        assert after[name] == before[name], name

    with app.app_context():
        original = db.session.scalars(select(IssuedReport.pdf)).one()
    with destination.app_context():
        restored = db.session.scalars(select(IssuedReport)).one()
        assert restored.pdf == original and restored.pdf.startswith(b"%PDF")
        assert hashlib.sha256(restored.pdf).hexdigest() == restored.sha256
        # the passwords, API tokens and share links work in the new database
        assert api_tokens.authenticate(secret) is not None
        link = restored.share_links[0]
        assert sharing.resolve(sharing.token_for(link)).id == link.id
        # new rows get fresh ids (PostgreSQL sequences moved past the imported ones)
        largest = db.session.scalar(select(func.max(Organisation.id)))
        organisation = Organisation(name="After the restore", type="company")
        db.session.add(organisation)
        db.session.commit()
        assert organisation.id == largest + 1
    client = destination.test_client()
    login(client, ADMIN_EMAIL, DEMO_PASSWORD)
    assert client.get("/").status_code == 200


def test_round_trip_keeps_every_row(app, clean_db, target, tmp_path):
    _round_trip(app, target, tmp_path)


def test_round_trip_into_postgresql(app, clean_db, postgres_target, tmp_path):
    _round_trip(app, postgres_target, tmp_path)


# --------------------------------------------------------------------------- refusals


@pytest.fixture
def small_backup(app, clean_db, tmp_path):
    make_user(app, "admin@example.org", "admin")
    make_user(app, "viewer@example.org", "viewer")
    path = tmp_path / "small.jsonl.gz"
    result = app.test_cli_runner().invoke(args=["backup", "export", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_export_does_not_replace_a_file_without_force(app, small_backup):
    runner = app.test_cli_runner()
    before = small_backup.read_bytes()
    refused = runner.invoke(args=["backup", "export", str(small_backup)])
    assert refused.exit_code == 1
    assert "already exists" in refused.output
    assert small_backup.read_bytes() == before
    forced = runner.invoke(args=["backup", "export", str(small_backup), "--force"])
    assert forced.exit_code == 0, forced.output


def test_import_refuses_a_database_that_is_not_empty(app, small_backup, target):
    make_user(target, "someone@example.org", "consultant")
    result = target.test_cli_runner().invoke(args=["backup", "import", str(small_backup)])
    assert result.exit_code == 1
    assert "not empty" in result.output and "users" in result.output
    assert _count(target, User) == 1
    # and into the source itself (full): refused the same way
    again = app.test_cli_runner().invoke(args=["backup", "import", str(small_backup)])
    assert again.exit_code == 1 and "not empty" in again.output
    assert _count(app, User) == 2


def _damaged(tmp_path, small_backup):
    cut = tmp_path / "cut.gz"
    cut.write_bytes(small_backup.read_bytes()[: len(small_backup.read_bytes()) // 2])
    noise = tmp_path / "noise.gz"
    noise.write_bytes(os.urandom(2000))
    not_json = tmp_path / "not-json.gz"
    with gzip.open(not_json, "wt") as out:
        out.write("this is not json\n")
    other = tmp_path / "other.gz"
    with gzip.open(other, "wt") as out:
        out.write('{"format": "something-else"}\n')
    missing_row = tmp_path / "missing-row.gz"
    _rewrite(small_backup, missing_row, lambda lines: [x for x in lines if x != lines[-2]])
    no_end = tmp_path / "no-end.gz"
    _rewrite(small_backup, no_end, lambda lines: lines[:-1])
    bad_value = tmp_path / "bad-value.gz"

    def break_a_date(lines):
        users = lines.index({"table": "users"})
        row = lines[users + 1]
        row[-1] = "yesterday"  # created_at
        return lines

    _rewrite(small_backup, bad_value, break_a_date)
    return {
        "cut": (cut, "not a readable backup"),
        "noise": (noise, "not a readable backup"),
        "not-json": (not_json, "not a readable backup"),
        "other": (other, "not an audit-app backup"),
        "missing-row": (missing_row, "not a readable backup"),
        "no-end": (no_end, "ends too early"),
        "bad-value": (bad_value, "users.created_at"),
        "absent": (tmp_path / "absent.gz", "does not exist"),
    }


def test_import_refuses_a_damaged_file_and_writes_nothing(small_backup, target, tmp_path):
    runner = target.test_cli_runner()
    for name, (path, message) in _damaged(tmp_path, small_backup).items():
        result = runner.invoke(args=["backup", "import", str(path)])
        assert result.exit_code == 1, (name, result.output)
        assert message in result.output, (name, result.output)
        assert "Traceback" not in result.output
        assert _count(target, User) == 0, name
    # the intact file still imports afterwards
    result = runner.invoke(args=["backup", "import", str(small_backup)])
    assert result.exit_code == 0, result.output
    assert _count(target, User) == 2


def test_import_refuses_another_format_version(small_backup, target, tmp_path):
    newer = tmp_path / "newer.gz"

    def bump(lines):
        lines[0]["format_version"] = 2
        return lines

    _rewrite(small_backup, newer, bump)
    result = target.test_cli_runner().invoke(args=["backup", "import", str(newer)])
    assert result.exit_code == 1
    assert "format version 2" in result.output
    assert _count(target, User) == 0


def test_import_refuses_another_revision(small_backup, target, tmp_path):
    older = tmp_path / "older.gz"

    def rewind(lines):
        lines[0]["alembic_revision"] = "0123456789ab"
        return lines

    _rewrite(small_backup, older, rewind)
    result = target.test_cli_runner().invoke(args=["backup", "import", str(older)])
    assert result.exit_code == 1
    assert "0123456789ab" in result.output and "same revision" in result.output
    assert "audit-app db upgrade" in result.output
    assert _count(target, User) == 0


def test_import_into_a_database_without_tables_asks_for_an_upgrade(small_backup, tmp_path):
    url = f"sqlite:///{tmp_path / 'bare.sqlite'}"
    with other_app(url, tmp_path / "bare-instance", migrate=False) as bare:
        result = bare.test_cli_runner().invoke(args=["backup", "import", str(small_backup)])
    assert result.exit_code == 1
    assert "run `audit-app db upgrade` first" in result.output


def test_backup_file_encodes_types_faithfully(app, clean_db, tmp_path):
    user_id = make_user(app, "admin@example.org", "admin")
    with app.app_context():
        user = db.session.get(User, user_id)
        user.locked_until = datetime(2030, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
        user.active = False
        db.session.commit()
    path = tmp_path / "types.gz"
    assert app.test_cli_runner().invoke(args=["backup", "export", str(path)]).exit_code == 0
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle]
    manifest = lines[0]
    users = next(t for t in manifest["tables"] if t["name"] == "users")
    names = [c["name"] for c in users["columns"]]
    row = dict(zip(names, lines[lines.index({"table": "users"}) + 1], strict=True))
    assert row["locked_until"] == "2030-01-02T03:04:05.000006+00:00"
    assert row["active"] is False
    assert row["password_hash"].startswith("$argon2")
    created = datetime.fromisoformat(row["created_at"])
    assert created.tzinfo is not None
    assert abs(created - datetime.now(UTC)) < timedelta(minutes=5)
    total = sum(t["rows"] for t in manifest["tables"])
    assert users["rows"] == 1 and len(lines) == 1 + len(manifest["tables"]) + total + 1
    assert lines[-1] == {"end": True, "tables": len(manifest["tables"]), "rows": total}
    assert datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    assert manifest["app_version"]


def test_rows_referring_to_later_rows_of_their_own_table_are_restored(tmp_path, monkeypatch):
    """No model refers to its own table today; a later one (a tree, a merged-into link)
    is handled too: such foreign keys go in as NULL and are filled in at the end."""
    metadata = MetaData()
    nodes = Table(
        "backup_test_nodes",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("parent_id", ForeignKey("backup_test_nodes.id")),
        Column("name", String(20)),
    )

    class JustTheNodes:
        def __init__(self):
            self.metadata = metadata

        @property
        def engine(self):
            return db.engine

    rows = [
        {"id": 1, "parent_id": 3, "name": "child"},
        {"id": 2, "parent_id": None, "name": "root"},
        {"id": 3, "parent_id": 2, "name": "middle"},
    ]
    path = tmp_path / "nodes.gz"
    source = other_app(f"sqlite:///{tmp_path / 'nodes.sqlite'}", tmp_path / "one")
    with source as app, app.app_context():
        metadata.create_all(db.engine)
        with db.engine.begin() as conn:
            conn.execute(nodes.insert(), rows)
        monkeypatch.setattr(backup, "db", JustTheNodes())
        backup.export_backup(path)
    copy = other_app(f"sqlite:///{tmp_path / 'copy.sqlite'}", tmp_path / "two")
    with copy as app, app.app_context():
        metadata.create_all(db.engine)
        summary = backup.import_backup(path)
        with db.engine.connect() as conn:
            restored = [dict(r._mapping) for r in conn.execute(select(nodes).order_by("id"))]
    assert summary.counts == {"backup_test_nodes": 3}
    assert restored == rows
