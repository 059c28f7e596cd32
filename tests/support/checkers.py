"""The Nu HTML checker (vnu-jar) and axe-core, installed from the npm registry into
tests/tools by `npm ci` (.ci/run does it before `make test`; Java from Debian's packages)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

TOOLS = Path(__file__).resolve().parent.parent / "tools"
VNU_JAR = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = TOOLS / "node_modules" / "axe-core" / "axe.min.js"


def require_tools() -> None:
    """Fail (not skip) with the command that installs what is missing."""
    missing = [str(p) for p in (VNU_JAR, AXE_JS) if not p.exists()]
    assert not missing, f"run `npm ci` in {TOOLS} (missing {missing})"
    assert shutil.which("java"), "install Java (Debian: default-jre-headless)"


def html_errors(files: list[Path]) -> list[dict[str, object]]:
    """Every error the Nu HTML checker finds in `files`, checked in one JVM start."""
    require_tools()
    completed = subprocess.run(  # noqa: S603 - fixed command, our own files
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(completed.stderr or completed.stdout)
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
