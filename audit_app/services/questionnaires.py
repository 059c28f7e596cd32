"""The questionnaire catalogue: files on disk, and the exact versions audits keep.

Files are loaded once at start-up; a bad file is reported and skipped. An audit
refers to a stored `QuestionnaireVersion` (the YAML text itself), so editing a
file later never changes what an existing audit was answered with.
"""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from audit_app.domain.loader import LoadError, load_directory, load_questionnaire_text
from audit_app.domain.questionnaire import Questionnaire
from audit_app.extensions import db
from audit_app.models import QuestionnaireVersion

EXTENSION_KEY = "questionnaires"


class Catalogue:
    def __init__(self, questionnaires: dict[str, Questionnaire], errors: list[LoadError]) -> None:
        self.questionnaires = questionnaires
        self.errors = errors

    def get(self, questionnaire_id: str) -> Questionnaire | None:
        return self.questionnaires.get(questionnaire_id)

    def all(self) -> list[Questionnaire]:
        return sorted(self.questionnaires.values(), key=lambda q: q.id)


def init_app(app: Flask) -> None:
    report = load_directory(app.config["QUESTIONNAIRES_DIR"])
    for error in report.errors:
        app.logger.error("Questionnaire not loaded: %s", error)
    app.extensions[EXTENSION_KEY] = Catalogue(report.questionnaires, report.errors)


def catalogue() -> Catalogue:
    return current_app.extensions[EXTENSION_KEY]  # type: ignore[no-any-return]


def store_version(questionnaire: Questionnaire) -> QuestionnaireVersion:
    """The stored row for this exact content, created on first use. Many audits start at
    once when a campaign opens (or after a questionnaire file changed): when another
    request stores the same content first, its row is used."""
    row = _stored_version(questionnaire.content_hash)
    if row is not None:
        return row
    with open(questionnaire.source_path, encoding="utf-8") as handle:
        source = handle.read()
    row = QuestionnaireVersion(
        questionnaire_id=questionnaire.id,
        version=questionnaire.version,
        content_hash=questionnaire.content_hash,
        source=source,
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


def questionnaire_of(version: QuestionnaireVersion) -> Questionnaire:
    """The questionnaire exactly as stored with an audit."""
    return _parse_stored(version.content_hash, version.source, version.questionnaire_id)


@lru_cache(maxsize=64)
def _parse_stored(content_hash: str, source: str, questionnaire_id: str) -> Questionnaire:
    return load_questionnaire_text(source, f"stored:{questionnaire_id}@{content_hash[:12]}")
