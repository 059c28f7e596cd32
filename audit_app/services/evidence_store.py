"""Where the bytes of evidence files are kept, behind one small interface so that an
S3-compatible store can be added later without touching the callers: implement
`EvidenceStore` and choose it in `evidence_store()` from the configuration.

Keys look like `<audit id>/<random hex>`: never derived from a file name, so nothing
a user types ends up in a path.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app

from audit_app.services.files import write_whole

_KEY = re.compile(r"^[0-9]+/[0-9a-f]{32}$")


class EvidenceStore(Protocol):
    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes: ...  # FileNotFoundError when missing
    def delete(self, key: str) -> None: ...  # no error when missing
    def keys(self) -> list[str]: ...


def new_key(audit_id: int) -> str:
    return f"{audit_id}/{secrets.token_hex(16)}"


class LocalEvidenceStore:
    """Files in a folder (EVIDENCE_DIR, by default instance/evidence), one subfolder
    per audit; each file is written whole."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError(f"not an evidence key: {key!r}")
        return self.root / key

    def put(self, key: str, data: bytes) -> None:
        write_whole(self._path(key), data)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self) -> list[str]:
        if not self.root.is_dir():
            return []
        found = (p.relative_to(self.root).as_posix() for p in self.root.glob("*/*"))
        return sorted(key for key in found if _KEY.match(key))


def evidence_dir(app: Flask) -> Path:
    configured = app.config.get("EVIDENCE_DIR")
    return Path(configured) if configured else Path(app.instance_path) / "evidence"


def evidence_store() -> EvidenceStore:
    return LocalEvidenceStore(evidence_dir(current_app))
