"""THROWAWAY (delete before finishing): pytest plugin for local runs only.
Adds the audits/results endpoints others are writing, when they do not exist yet,
and loads a catalogue compiled from translations/fragments into a temp dir.
Use: .venv/bin/pytest -p tests.web._stub_routes tests/web/test_organisations.py"""

from __future__ import annotations

import glob
import subprocess
import tempfile
from pathlib import Path

import pytest

STUBS = {
    "audits.answer": "/audits/<int:audit_id>",
    "audits.start": "/organisations/<int:organisation_id>/audits/new",
    "results.show": "/audits/<int:audit_id>/results",
    "results.history": "/organisations/<int:organisation_id>/history",
}


@pytest.fixture(autouse=True)
def _stubs(app):
    if not app._got_first_request:
        for endpoint, rule in STUBS.items():
            if endpoint not in app.view_functions:
                app.add_url_rule(rule, endpoint=endpoint, view_func=lambda **kw: "stub")
        tmp = Path(tempfile.mkdtemp())
        po = tmp / "pl" / "LC_MESSAGES" / "messages.po"
        po.parent.mkdir(parents=True)
        header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        body = "\n".join(Path(p).read_text() for p in glob.glob("audit_app/translations/fragments/*.po"))
        po.write_text(header + body)
        subprocess.run([".venv/bin/pybabel", "compile", "-d", str(tmp), "-l", "pl"], check=True,
                       capture_output=True)
        cfg = app.extensions["babel"]
        cfg.translation_directories = [str(tmp), *cfg.translation_directories]
        with app.app_context():
            app.extensions["babel"].instance.domain_instance.cache.clear()
    yield
