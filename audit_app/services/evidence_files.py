"""Files attached to audit answers as evidence: attach, list, read, remove.

A file is accepted when it is not larger than EVIDENCE_MAX_MB and its content (not
its name) is a PDF, an image (PNG, JPEG, GIF, WebP) or an office document (Word,
Excel, PowerPoint, OpenDocument, RTF). Its bytes go to the evidence store at once;
should the request then fail, they are removed again when the transaction rolls
back, and the bytes of deleted rows (one file, or all of a deleted audit's) are
removed once the deletion is committed. Files never change a score, so they may be
added and removed also after submission. Every change is in the audit trail.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

import filetype
from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit, EvidenceFile, Respondent, User
from audit_app.services import audits as audit_service
from audit_app.services import trail
from audit_app.services.evidence_store import evidence_store, new_key

# Types found from the content -> (extension, name shown to people).
ALLOWED = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/rtf": "rtf",
}
WRITTEN, DELETED = "evidence_files_written", "evidence_files_deleted"


def max_bytes() -> int:
    return int(float(current_app.config["EVIDENCE_MAX_MB"]) * 1024 * 1024)


def safe_filename(name: str, extension: str) -> str:
    """The uploaded name without folders or control characters, with the extension of
    the type found in the content (a 'report.html' that is a PDF becomes
    'report.html.pdf'), at most 120 characters."""
    base = unicodedata.normalize("NFC", re.split(r"[\\/]", name or "")[-1])
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(" .")
    stem = base[: -len(extension) - 1] if base.lower().endswith(f".{extension}") else base
    stem = stem[:100] or "evidence"
    return f"{stem}.{extension}"


def attach(
    audit: Audit,
    question_id: str,
    filename: str,
    data: bytes,
    *,
    user: User | None = None,
    respondent: Respondent | None = None,
) -> EvidenceFile:
    if audit_service.questionnaire_for(audit).question(question_id) is None:
        raise UserError("unknown_question", field="file")
    if not data:
        raise UserError("file_empty", field="file")
    if len(data) > max_bytes():
        raise UserError("file_too_large", field="file")
    kind = filetype.guess(data)
    extension = ALLOWED.get(kind.mime) if kind is not None else None
    if kind is None or extension is None:
        raise UserError("file_type_not_allowed", field="file")
    key = new_key(audit.id)
    evidence_store().put(key, data)
    db.session.info.setdefault(WRITTEN, set()).add(key)
    row = EvidenceFile(
        audit_id=audit.id,
        question_id=question_id,
        filename=safe_filename(filename, extension),
        content_type=kind.mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=key,
        uploaded_by_id=user.id if user else None,
        respondent_id=respondent.id if respondent else None,
    )
    db.session.add(row)
    db.session.flush()
    who = user.id if user else None
    trail.record(who, "evidence_file_attached", "audit", audit.id, file_id=row.id,
                 question_id=question_id, filename=row.filename, sha256=row.sha256)  # fmt: skip
    return row


def files_of(audit: Audit, respondent: Respondent | None = None) -> dict[str, list[EvidenceFile]]:
    """The audit's files by question id, oldest first (only `respondent`'s if given)."""
    query = select(EvidenceFile).filter_by(audit_id=audit.id).order_by(EvidenceFile.id)
    if respondent is not None:
        query = query.filter_by(respondent_id=respondent.id)
    found: dict[str, list[EvidenceFile]] = {}
    for row in db.session.scalars(query):
        found.setdefault(row.question_id, []).append(row)
    return found


def evidence_files_of(audit: Audit) -> list[dict[str, Any]]:
    """Plain values of every file of the audit, in questionnaire order: for the PDF's
    evidence annex (and anything else that lists them without the web)."""
    order = {q.id: i for i, q in enumerate(audit_service.questionnaire_for(audit).questions)}
    rows = [row for rows in files_of(audit).values() for row in rows]
    rows.sort(key=lambda r: (order.get(r.question_id, len(order)), r.id))
    return [
        {
            "id": row.id,
            "question_id": row.question_id,
            "filename": row.filename,
            "content_type": row.content_type,
            "size": row.size,
            "sha256": row.sha256,
            "uploaded_at": row.uploaded_at,
            "uploaded_by": row.uploaded_by.name if row.uploaded_by else None,
            "from_respondent": row.respondent_id is not None,
        }
        for row in rows
    ]


def file_of(audit: Audit, file_id: int) -> EvidenceFile:
    row = db.session.get(EvidenceFile, file_id)
    if row is None or row.audit_id != audit.id:
        raise UserError("file_not_found")
    return row


def content(row: EvidenceFile) -> bytes:
    try:
        return evidence_store().get(row.storage_key)
    except FileNotFoundError:
        raise UserError("file_missing") from None


def remove(audit: Audit, file_id: int, user: User | None) -> None:
    row = file_of(audit, file_id)
    db.session.delete(row)
    db.session.flush()
    trail.record(user.id if user else None, "evidence_file_removed", "audit", audit.id,
                 file_id=file_id, filename=row.filename)  # fmt: skip


# -- the stored bytes follow the transaction ------------------------------------------


@event.listens_for(Session, "after_flush")
def _note_deleted(session: Session, _context: Any) -> None:
    for row in session.deleted:
        if isinstance(row, EvidenceFile):
            session.info.setdefault(DELETED, set()).add(row.storage_key)


@event.listens_for(Session, "after_commit")
def _purge_deleted(session: Session) -> None:
    session.info.pop(WRITTEN, None)
    keys = session.info.pop(DELETED, set())
    if keys and has_app_context():
        store = evidence_store()
        for key in keys:
            store.delete(key)


@event.listens_for(Session, "after_soft_rollback")
def _forget_written(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is not None:
        return  # a savepoint: the outer transaction may still commit
    session.info.pop(DELETED, None)
    keys = session.info.pop(WRITTEN, set())
    if keys and has_app_context():
        store = evidence_store()
        for key in keys:
            store.delete(key)
