"""Start-up does no work that only some requests need: WeasyPrint (PDFs), openpyxl
(workbooks) and fontTools (report glyphs) are imported when they are first used, not by
`create_app()` (docs/benchmarks.md: start-up)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
from audit_app import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x" * 32})
heavy = ("weasyprint", "openpyxl", "fontTools")
print(json.dumps({"loaded": [m for m in heavy if m in sys.modules],
                  "questionnaires": len(app.extensions["questionnaires"].questionnaires)}))
"""


def test_create_app_imports_neither_weasyprint_nor_openpyxl(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["loaded"] == []
    assert found["questionnaires"] == 3  # the catalogue is still read at start-up
