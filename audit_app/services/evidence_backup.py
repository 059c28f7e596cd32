"""Evidence files in a backup (services/backup.py): their bytes are not in the database,
so the backup carries them after the tables, one line per file:
`{"file": storage key, "sha256": ..., "data": base64}`; the end line counts them
(`"files": N`). A backup without evidence files has no such lines (as before)."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from audit_app.models import EvidenceFile
from audit_app.services.evidence_store import evidence_store


class EvidenceBackupError(Exception):
    pass


def file_records(conn: Connection) -> Iterator[dict[str, Any]]:
    """The files of the evidence rows in the export's snapshot."""
    table = EvidenceFile.__table__
    store = evidence_store()
    query = select(table.c.storage_key, table.c.sha256, table.c.filename).order_by(table.c.id)
    for key, sha256, filename in conn.execute(query):
        try:
            data = store.get(key)
        except (FileNotFoundError, ValueError):
            raise EvidenceBackupError(
                f"The evidence file {filename!r} ({key}) is missing from the evidence folder; "
                "restore it there, or remove it in the application, then export again."
            ) from None
        yield {"file": key, "sha256": sha256, "data": base64.b64encode(data).decode("ascii")}


def is_file_record(record: Any) -> bool:
    return isinstance(record, dict) and "file" in record


def restore(record: dict[str, Any], written: list[str]) -> None:
    """Store one file of a backup (its key noted in `written`, to undo a failed import)."""
    key, expected = record.get("file"), record.get("sha256")
    try:
        data = base64.b64decode(str(record.get("data")), validate=True)
    except (binascii.Error, ValueError):
        raise EvidenceBackupError(f"the evidence file {key} is damaged") from None
    if not isinstance(key, str) or hashlib.sha256(data).hexdigest() != expected:
        raise EvidenceBackupError(f"the evidence file {key} is damaged")
    try:
        evidence_store().put(key, data)
    except ValueError:
        raise EvidenceBackupError(f"{key!r} is not a key of an evidence file") from None
    written.append(key)


def discard(written: list[str]) -> None:
    store = evidence_store()
    for key in written:
        store.delete(key)
