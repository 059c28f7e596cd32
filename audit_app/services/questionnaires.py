"""The questionnaire catalogue: files on disk, and the exact versions audits keep.

The catalogue reads the shipped folder, the folders listed in QUESTIONNAIRES_DIR and
the folder of questionnaires published in the browser (`uploads_dir`). A bad file is
reported and skipped. When a file is added, changed or removed, the catalogue reloads
on the next request that looks at it (the folders are looked at no more often than
every QUESTIONNAIRES_RECHECK_SECONDS), so no restart is needed.

An audit refers to a stored `QuestionnaireVersion` (the YAML text itself), so editing a
file later never changes what an existing audit was answered with. A withdrawn
questionnaire is not offered for new audits; audits already started keep it.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from audit_app.domain.loader import (
    LoadError,
    load_folders,
    load_questionnaire_bytes,
    load_questionnaire_text,
)
from audit_app.domain.questionnaire import Questionnaire
from audit_app.extensions import db
from audit_app.models import QuestionnaireVersion

EXTENSION_KEY = "questionnaires"
WITHDRAWN_FILE = "withdrawn.txt"  # ids not offered for new audits, one a line

Signature = tuple[tuple[str, int, int], ...]


class Catalogue:
    def __init__(self, folders: list[Path], uploads: Path, recheck_seconds: float) -> None:
        self.folders = folders
        self.uploads = uploads
        self.recheck_seconds = recheck_seconds
        self.questionnaires: dict[str, Questionnaire] = {}
        self.errors: list[LoadError] = []
        self.warnings: list[LoadError] = []
        self.withdrawn: frozenset[str] = frozenset()
        self._signature: Signature | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def get(self, questionnaire_id: str) -> Questionnaire | None:
        """A questionnaire offered for new audits (not withdrawn)."""
        if questionnaire_id in self.withdrawn:
            return None
        return self.questionnaires.get(questionnaire_id)

    def all(self) -> list[Questionnaire]:
        """The questionnaires offered for new audits, by id."""
        return [q for q in self.everything() if q.id not in self.withdrawn]

    def everything(self) -> list[Questionnaire]:
        """Offered and withdrawn, by id (for administrators)."""
        return sorted(self.questionnaires.values(), key=lambda q: q.id)

    def refresh(self, *, force: bool = False) -> None:
        """Reload when a file in the folders changed (checked at most every few seconds)."""
        now = time.monotonic()
        if not force and now - self._checked_at < self.recheck_seconds:
            return
        with self._lock:
            self._checked_at = now
            signature = _signature([*self.folders, self.uploads])
            if signature == self._signature and not force:
                return
            report = load_folders([*self.folders, self.uploads])
            self.questionnaires, self.errors, self.warnings = (
                report.questionnaires,
                report.errors,
                report.warnings,
            )
            self.withdrawn = _read_withdrawn(self.uploads / WITHDRAWN_FILE)
            self._signature = signature
        log = current_app.logger
        for error in report.errors:
            log.error("Questionnaire not loaded: %s", error)
        for warning in report.warnings:
            log.warning("Questionnaire set aside: %s", warning)


def _signature(folders: list[Path]) -> Signature:
    """Name, modification time and size of every file in the folders: cheap to take,
    and different after any save, copy, rename or removal."""
    entries: list[tuple[str, int, int]] = []
    for folder in folders:
        try:
            with os.scandir(folder) as found:
                for entry in found:
                    stat = entry.stat()
                    entries.append((entry.path, stat.st_mtime_ns, stat.st_size))
        except OSError:
            entries.append((str(folder), -1, -1))
    return tuple(sorted(entries))


def _read_withdrawn(path: Path) -> frozenset[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return frozenset()
    return frozenset(line.strip() for line in lines if line.strip())


def folders_of(app: Flask) -> list[Path]:
    """The shipped folder first, then the ones listed in QUESTIONNAIRES_DIR."""
    extra = app.config.get("QUESTIONNAIRES_DIR") or []
    if isinstance(extra, str | os.PathLike):
        extra = [extra]
    return [Path(app.config["SHIPPED_QUESTIONNAIRES_DIR"]), *(Path(p) for p in extra)]


def uploads_dir(app: Flask) -> Path:
    """Where questionnaires published in the browser are kept (instance/questionnaires)."""
    configured = app.config.get("UPLOADED_QUESTIONNAIRES_DIR")
    return Path(configured) if configured else Path(app.instance_path) / "questionnaires"


def init_app(app: Flask) -> None:
    uploads = uploads_dir(app)
    uploads.mkdir(parents=True, exist_ok=True)
    cat = Catalogue(folders_of(app), uploads, float(app.config["QUESTIONNAIRES_RECHECK_SECONDS"]))
    app.extensions[EXTENSION_KEY] = cat
    with app.app_context():
        cat.refresh(force=True)


def catalogue() -> Catalogue:
    cat: Catalogue = current_app.extensions[EXTENSION_KEY]
    cat.refresh()
    return cat


def store_version(questionnaire: Questionnaire) -> QuestionnaireVersion:
    """The stored row for this exact content, created on first use. Many audits start at
    once when a campaign opens (or after a questionnaire file changed): when another
    request stores the same content first, its row is used."""
    row = _stored_version(questionnaire.content_hash)
    if row is not None:
        return row
    data = Path(questionnaire.source_path).read_bytes()
    if hashlib.sha256(data).hexdigest() != questionnaire.content_hash:
        # The file changed since the catalogue read it: store what is there now.
        questionnaire = load_questionnaire_bytes(data, questionnaire.source_path)
        row = _stored_version(questionnaire.content_hash)
        if row is not None:
            return row
    row = QuestionnaireVersion(
        questionnaire_id=questionnaire.id,
        version=questionnaire.version,
        content_hash=questionnaire.content_hash,
        source=data.decode("utf-8"),
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # the unique content hash: someone else's insert won
        stored = _stored_version(questionnaire.content_hash)
        if stored is None:
            raise
        return stored
    return row


def _stored_version(content_hash: str) -> QuestionnaireVersion | None:
    return db.session.scalar(select(QuestionnaireVersion).filter_by(content_hash=content_hash))


_stored: dict[tuple[str, str], Questionnaire] = {}
_stored_lock = threading.Lock()


def questionnaire_of(version: QuestionnaireVersion) -> Questionnaire:
    """The questionnaire exactly as stored with an audit. A version's content hash names
    its text (unique), so a version parsed once is found by it without reading the text
    (`source` is a deferred column: up to 134 KB a request otherwise)."""
    key = (version.content_hash, version.questionnaire_id)
    found = _stored.get(key)
    if found is None:
        found = load_questionnaire_text(
            version.source, f"stored:{version.questionnaire_id}@{version.content_hash[:12]}"
        )
        with _stored_lock:
            if len(_stored) >= 64:
                _stored.clear()
            _stored[key] = found
    return found
