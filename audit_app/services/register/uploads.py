"""Uploaded CSV files waiting between the upload and the import (kept in the
database so any worker can continue the wizard; removed after a day)."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from audit_app.extensions import db
from audit_app.models import ImportUpload, User
from audit_app.models.base import utcnow
from audit_app.services.register.csvparse import MAX_BYTES, MAX_ROWS, ParsedCsv, decode, parse

KEEP = timedelta(days=1)


def safe_filename(name: str | None) -> str:
    """A display-only version of the uploaded name: the last path part, harmless
    characters only. It is never used to open or write a file."""
    base = re.split(r"[\\/]", name or "")[-1]
    cleaned = re.sub(r"[^\w.\- ]+", "_", base, flags=re.UNICODE).strip(" .")
    return cleaned[:120] or "upload.csv"


def store(
    user: User,
    data: bytes,
    filename: str | None,
    *,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> tuple[ImportUpload, ParsedCsv]:
    """Check and keep an upload; raises CsvFileError when the file is unusable."""
    parsed = parse(data, max_bytes=max_bytes, max_rows=max_rows)
    db.session.execute(delete(ImportUpload).where(ImportUpload.created_at < utcnow() - KEEP))
    upload = ImportUpload(
        token=secrets.token_urlsafe(24),
        user_id=user.id,
        filename=safe_filename(filename),
        content=decode(data),
    )
    db.session.add(upload)
    db.session.flush()
    return upload, parsed


def load(user: User, token: str) -> ImportUpload | None:
    return db.session.scalar(
        select(ImportUpload).where(ImportUpload.token == token, ImportUpload.user_id == user.id)
    )


def parsed(upload: ImportUpload) -> ParsedCsv:
    return parse(upload.content.encode("utf-8"))


def discard(upload: ImportUpload) -> None:
    db.session.delete(upload)
