"""WSGI apps the web benchmarks serve with gunicorn (`--pythonpath benchmarks`):

* `_apps:audit_app()`: the real application from `create_app()`, configured from the
  environment exactly as `make serve` runs it, except that the login rate limit is off
  (100 load clients log in from one address); `_apps:audit_app(untuned=True)`: the same
  without the SQLite settings of audit_app/db_sqlite.py (the "before" of
  docs/reliability.md);
  It also serves `/_bench/layout`: a signed-in page with nothing but the layout
  (`base.html`, empty content), the floor every signed-in page of the app stands on;
* `_apps:bare_app()`: bare Flask with a "hello" route and a page rendering a 40-field
  form from a dict with Jinja: the ceiling the real pages are compared with.
"""

from __future__ import annotations

from flask import Flask, render_template
from jinja2 import DictLoader

FORM_FIELDS = 40

# A question-like block per field: legend, help text, five labelled radios, a note.
FORM_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="stylesheet" href="/static/app.css"></head>
<body><main><h1>{{ title }}</h1>
<form method="post" action="/form">
<input type="hidden" name="csrf_token" value="{{ token }}">
{% for field in fields %}
<fieldset id="q-{{ field.id }}"><legend>{{ loop.index }}. {{ field.label }}</legend>
<p class="help">{{ field.help }}</p>
{% for option in field.options %}
<label><input type="radio" name="{{ field.id }}" value="{{ option.value }}"
{% if field.value == option.value %} checked{% endif %}> {{ option.label }}</label>
{% endfor %}
<label for="{{ field.id }}-note">Note</label>
<textarea id="{{ field.id }}-note" name="{{ field.id }}-note">{{ field.note }}</textarea>
</fieldset>
{% endfor %}
<button type="submit">Save</button></form></main></body></html>
"""


def _fields() -> list[dict[str, object]]:
    return [
        {
            "id": f"q{n:02d}",
            "label": f"Question {n}: is there a written, shared practice for this area?",
            "help": "Level 3 means written rules apply across the whole organisation.",
            "value": str(n % 5),
            "note": "",
            "options": [
                {"value": str(v), "label": f"{v} - level {v} of the maturity scale"}
                for v in range(5)
            ],
        }
        for n in range(1, FORM_FIELDS + 1)
    ]


def bare_app() -> Flask:
    app = Flask(__name__)
    app.jinja_loader = DictLoader({"form.html": FORM_TEMPLATE})
    fields = _fields()

    @app.get("/hello")
    def hello() -> str:
        return "Hello, world!"

    @app.get("/form")
    def form() -> str:
        return render_template("form.html", title="Form", token="x" * 40, fields=fields)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def audit_app(untuned: bool = False) -> Flask:
    """`untuned=True` (SQLite only, for before/after comparisons): the application as it
    was before audit_app/db_sqlite.py: pysqlite's 5 s busy timeout, no FOR UPDATE lock.
    (The journal mode is a property of the file: load_autosave.py --untuned leaves the
    file in the rollback journal.)"""
    from audit_app import create_app

    if not untuned:
        return with_layout_floor(create_app({"RATELIMIT_ENABLED": False}))
    app = create_app({"RATELIMIT_ENABLED": False, "SQLITE_BUSY_TIMEOUT": 5.0})
    untune(app)
    return app


def with_layout_floor(app: Flask) -> Flask:
    """Add `/_bench/layout` (benchmarks only): signed in, the layout and nothing else."""
    from flask_login import login_required

    empty = app.jinja_env.from_string('{% extends "base.html" %}{% block content %}{% endblock %}')

    @app.get("/_bench/layout")
    @login_required
    def layout_floor() -> str:
        return render_template(empty)

    return app


def untune(app: Flask) -> None:
    from sqlalchemy import event

    from audit_app import db_sqlite
    from audit_app.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            if event.contains(engine, "connect", db_sqlite._on_connect):
                event.remove(engine, "connect", db_sqlite._on_connect)
                event.remove(engine, "before_cursor_execute", db_sqlite._lock_for_update)
