"""Readiness audit: CRM implementation-readiness audits.

`create_app` reads like a table of contents: config, extensions, blueprints,
error handlers, commands.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from audit_app.config import PACKAGE_DIR, Config


def create_app(config: type[Config] | dict[str, Any] | None = None) -> Flask:
    from audit_app.web.converters import IdConverter
    from audit_app.web.json_body import BoundedJSONProvider
    from audit_app.web.query_args import drop_nul_characters

    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(Config.TEMPLATES_DIR),
        static_folder=str(PACKAGE_DIR / "static"),
    )
    app.json = BoundedJSONProvider(app)
    app.url_map.converters["int"] = IdConverter
    app.before_request(drop_nul_characters)
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    _default_paths(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_security_headers(app)
    return app


def _default_paths(app: Flask) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        db_file = Path(app.instance_path) / "audit.sqlite"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_file}"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")


def _instance_secret(path: Path) -> str:
    """A per-install secret kept in the instance folder, created on first start."""
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def register_extensions(app: Flask) -> None:
    from audit_app import db_sqlite, i18n
    from audit_app.extensions import babel, csrf, db, limiter, login_manager, migrate
    from audit_app.services import questionnaires

    db_sqlite.configure(app)  # SQLite: busy timeout (before the engine exists)
    db.init_app(app)
    db_sqlite.init_app(app)  # SQLite: WAL, BEGIN IMMEDIATE for writing requests
    migrate.init_app(app, db, directory=str(PACKAGE_DIR / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    from audit_app.web.auth.views import init_login

    init_login(app, login_manager)
    questionnaires.init_app(app)


def register_blueprints(app: Flask) -> None:
    from audit_app.web import blueprints

    for blueprint in blueprints():
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from audit_app import errors
    from audit_app.web import form_errors, get_after_post

    errors.init_app(app)
    get_after_post.init_app(app)
    form_errors.init_app(app)


def register_commands(app: Flask) -> None:
    from audit_app.cli import register

    register(app)


def register_security_headers(app: Flask) -> None:
    from audit_app.web.security import add_security_headers

    app.after_request(add_security_headers)
