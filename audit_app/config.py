"""Configuration. Values from the environment enter here and only here."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent


def _resource_dir(name: str) -> Path:
    """`questionnaires/`, `reports/`, `templates/` beside the package in a checkout,
    or inside it (`_data/`) when installed from the wheel."""
    checkout = PACKAGE_DIR.parent / name
    return checkout if checkout.is_dir() else PACKAGE_DIR / "_data" / name


def _engine_options() -> dict[str, Any]:
    """SQLAlchemy engine options; the connection pool is sized from the environment
    (DATABASE_POOL_SIZE, DATABASE_MAX_OVERFLOW, DATABASE_POOL_RECYCLE seconds,
    DATABASE_POOL_TIMEOUT seconds), e.g. for PostgreSQL behind several gunicorn workers."""
    options: dict[str, Any] = {"pool_pre_ping": True}
    names = {
        "pool_size": "DATABASE_POOL_SIZE",
        "max_overflow": "DATABASE_MAX_OVERFLOW",
        "pool_recycle": "DATABASE_POOL_RECYCLE",
        "pool_timeout": "DATABASE_POOL_TIMEOUT",
    }
    for option, variable in names.items():
        value = os.environ.get(variable, "").strip()
        if value:
            options[option] = int(value)
    return options


def _flag(name: str) -> bool:
    return (os.environ.get(name) or "").strip().lower() in ("1", "true", "yes", "on")


class Config:
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI: str | None = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = _engine_options()
    # SQLite only: seconds a request waits for another worker's write lock (audit_app/db_sqlite.py).
    SQLITE_BUSY_TIMEOUT = float(os.environ.get("SQLITE_BUSY_TIMEOUT") or 15)
    REDIS_URL: str | None = os.environ.get("REDIS_URL")
    # Report PDFs requested through the API: rendered by an RQ worker when REDIS_URL is set.
    REPORT_QUEUE = os.environ.get("REPORT_QUEUE") or "reports"
    REPORT_JOB_TIMEOUT = int(os.environ.get("REPORT_JOB_TIMEOUT") or 300)
    SHIPPED_QUESTIONNAIRES_DIR = _resource_dir("questionnaires")
    # More folders of questionnaires, added to the shipped ones (separated by ':').
    QUESTIONNAIRES_DIR: list[Path] = [
        Path(p) for p in (os.environ.get("QUESTIONNAIRES_DIR") or "").split(os.pathsep) if p
    ]
    # Questionnaires published in the browser; default: instance/questionnaires.
    UPLOADED_QUESTIONNAIRES_DIR: str | None = os.environ.get("UPLOADED_QUESTIONNAIRES_DIR")
    # How often (seconds) the folders are looked at for added, changed or removed files.
    QUESTIONNAIRES_RECHECK_SECONDS = float(os.environ.get("QUESTIONNAIRES_RECHECK_SECONDS") or 5)
    REPORTS_DIR = Path(os.environ.get("REPORTS_DIR") or _resource_dir("reports"))
    TEMPLATES_DIR = _resource_dir("templates")

    BABEL_DEFAULT_LOCALE = "pl"
    LANGUAGES = ("pl", "en")
    BABEL_DEFAULT_TIMEZONE = "Europe/Warsaw"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 8
    WTF_CSRF_TIME_LIMIT = None  # a long audit session must not lose its CSRF token

    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    # Login attempts from one address a minute, counted in the database (all workers);
    # RATELIMIT_ENABLED=False lifts it (browser tests, benchmarks).
    LOGIN_ATTEMPTS_PER_MINUTE = 10
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    # Contact-register evidence linked to an audit answer is flagged as stale when the
    # interaction is older than this many days at submission (services/evidence.py).
    EVIDENCE_STALE_DAYS = int(os.environ.get("EVIDENCE_STALE_DAYS") or 365)
    # Evidence files attached to answers: where they are kept (default instance/evidence),
    # the largest accepted (MB; keep below MAX_CONTENT_LENGTH), and whether invited
    # respondents may attach files to their own answers.
    EVIDENCE_DIR: str | None = os.environ.get("EVIDENCE_DIR")
    EVIDENCE_MAX_MB = float(os.environ.get("EVIDENCE_MAX_MB") or 4)
    EVIDENCE_FROM_RESPONDENTS = os.environ.get("EVIDENCE_FROM_RESPONDENTS", "1") == "1"
    # Peer benchmarks (docs/benchmarks-and-campaigns.md): a group is shown only with this
    # many consenting peers; values below 5 count as 5 (domain/benchmark.py).
    BENCHMARK_MIN_PEERS = max(5, int(os.environ.get("BENCHMARK_MIN_PEERS") or 5))
    # PDF branding; unset means the built-in defaults (audit_app/services/report_context.py).
    REPORT_BRAND_NAME = os.environ.get("REPORT_BRAND_NAME")
    REPORT_BRAND_LOGO = os.environ.get("REPORT_BRAND_LOGO")
    REPORT_ACCENT_COLOR = os.environ.get("REPORT_ACCENT_COLOR")
    # E-mail (docs/mail.md): off while MAIL_SERVER is unset (links are copied by hand).
    MAIL_SERVER: str | None = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT") or 25)
    MAIL_USE_TLS = _flag("MAIL_USE_TLS")  # STARTTLS after connecting
    MAIL_USE_SSL = _flag("MAIL_USE_SSL")  # TLS from the first byte (usually port 465)
    MAIL_USERNAME: str | None = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD: str | None = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER: str | None = os.environ.get("MAIL_DEFAULT_SENDER") or None
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT") or 30)
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS") or 10)
    MAIL_QUEUE = os.environ.get("MAIL_QUEUE") or "mail"
    # The daily digest goes with the first `audit-app mail send` from this hour (local time).
    MAIL_DIGEST_HOUR = int(os.environ.get("MAIL_DIGEST_HOUR") or 6)
    # The app's address as recipients reach it (links in mail queued outside a web
    # request: the command line, cron), e.g. https://audit.example.org
    APP_URL: str | None = os.environ.get("APP_URL") or None


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105 - test only
    WTF_CSRF_ENABLED = True
    RATELIMIT_ENABLED = True
    QUESTIONNAIRES_RECHECK_SECONDS = 0.0  # tests change folders and look at once
