"""Questionnaires managed in the browser by administrators: upload and check a file,
keep it as a draft to preview and compare, publish it for new audits, withdraw or
offer again a questionnaire.

A draft is the uploaded file itself, kept under its content hash in
`<uploads>/drafts/` (a subfolder, so the catalogue does not read it). Publishing copies
it to `<uploads>/<id>.yaml`, where the catalogue picks it up (services/questionnaires).
Withdrawn ids are listed in `<uploads>/withdrawn.txt`. Audits already started keep
the exact version they started with (QuestionnaireVersion), whatever happens here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from audit_app.domain.load_errors import LoadError, QuestionnaireInvalid
from audit_app.domain.loader import load_questionnaire_bytes, version_key
from audit_app.domain.questionnaire import Questionnaire
from audit_app.domain.questionnaire_diff import QuestionnaireChanges, compare_questionnaires
from audit_app.errors import UserError
from audit_app.models import User
from audit_app.services import trail
from audit_app.services.files import write_whole
from audit_app.services.questionnaires import WITHDRAWN_FILE, catalogue, uploads_dir

CONTEXT_LINES = 2
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class ProblemInFile:
    """One problem of an uploaded file, with the lines around it (number, text)."""

    line: int
    message: str
    context: list[tuple[int, str]]


class UploadInvalid(Exception):
    def __init__(self, problems: list[ProblemInFile]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _problems(data: bytes, errors: list[LoadError]) -> list[ProblemInFile]:
    lines = data.decode("utf-8", errors="replace").splitlines()
    problems = []
    for error in errors:
        first = max(1, error.line - CONTEXT_LINES)
        last = min(len(lines), error.line + CONTEXT_LINES)
        context = [(n, lines[n - 1]) for n in range(first, last + 1)] if error.line > 0 else []
        problems.append(ProblemInFile(error.line, error.message, context))
    return problems


def _drafts() -> Path:
    folder = uploads_dir(current_app) / "drafts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def upload(data: bytes, filename: str) -> str:
    """Check an uploaded file; keep it as a draft and return its id (the content hash).
    Raises UploadInvalid with every problem and the lines around each."""
    try:
        load_questionnaire_bytes(data, filename)
    except QuestionnaireInvalid as invalid:
        raise UploadInvalid(_problems(data, invalid.errors)) from None
    digest = hashlib.sha256(data).hexdigest()
    write_whole(_drafts() / f"{digest}.yaml", data)
    return digest


def draft(digest: str) -> Questionnaire | None:
    """The draft with this id, or None."""
    if not _DIGEST.match(digest):
        return None
    path = _drafts() / f"{digest}.yaml"
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return load_questionnaire_bytes(data, str(path))


def in_use(questionnaire_id: str) -> Questionnaire | None:
    """The version new audits get today (withdrawn or not)."""
    return catalogue().questionnaires.get(questionnaire_id)


def changes_of(new: Questionnaire) -> QuestionnaireChanges | None:
    """The changes from the version in use; None for a questionnaire not yet in use."""
    current = in_use(new.id)
    return compare_questionnaires(current, new) if current is not None else None


def publish(digest: str, user: User) -> Questionnaire:
    """Offer the draft for new audits. Its version must be higher than the one in use
    (a file with the same id and an equal or lower version would not be used)."""
    new = draft(digest)
    if new is None:
        raise UserError("draft_not_found")
    current = in_use(new.id)
    if current is not None and current.content_hash == new.content_hash:
        raise UserError("already_published")
    if current is not None and version_key(new.version) <= version_key(current.version):
        raise UserError("version_not_higher")
    uploads = uploads_dir(current_app)
    write_whole(uploads / f"{new.id}.yaml", (_drafts() / f"{digest}.yaml").read_bytes())
    _set_withdrawn(new.id, False)
    trail.record(
        user.id,
        "questionnaire_published",
        "questionnaire",
        None,
        id=new.id,
        version=new.version,
        content_hash=new.content_hash,
    )
    catalogue().refresh(force=True)
    return new


def withdraw(questionnaire_id: str, user: User, *, withdrawn: bool = True) -> None:
    """Stop (or, with withdrawn=False, resume) offering a questionnaire for new audits."""
    if in_use(questionnaire_id) is None:
        raise UserError("questionnaire_not_found")
    _set_withdrawn(questionnaire_id, withdrawn)
    action = "questionnaire_withdrawn" if withdrawn else "questionnaire_offered"
    trail.record(user.id, action, "questionnaire", None, id=questionnaire_id)
    catalogue().refresh(force=True)


def _set_withdrawn(questionnaire_id: str, withdrawn: bool) -> None:
    path = uploads_dir(current_app) / WITHDRAWN_FILE
    ids = set(catalogue().withdrawn)
    if withdrawn == (questionnaire_id in ids):
        return
    ids = ids | {questionnaire_id} if withdrawn else ids - {questionnaire_id}
    write_whole(path, "".join(f"{i}\n" for i in sorted(ids)).encode("utf-8"))
