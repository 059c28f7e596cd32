"""What an import run shares: outcomes, the result, rejections and the run's state
(the batch, the cache of organisations, recording batch items)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from audit_app.extensions import db
from audit_app.models import ImportBatch, ImportBatchItem, User
from audit_app.services.register import changelog

MODES = ("create", "update", "upsert")


@dataclass
class Outcome:
    line: int
    status: str  # created | updated | unchanged | rejected
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    object_id: int | None = None
    label: str = ""


@dataclass
class ImportResult:
    kind: str
    mode: str
    dry_run: bool
    outcomes: list[Outcome]
    batch_id: int | None

    @property
    def counts(self) -> dict[str, int]:
        counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        for outcome in self.outcomes:
            counts[outcome.status] += 1
        return counts


class Reject(Exception):
    """A row that cannot be applied (`code` names the reason)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


class RunBase:
    def __init__(self, user: User, kind: str, mode: str, batch: ImportBatch) -> None:
        self.user, self.kind, self.mode, self.batch = user, kind, mode, batch
        self.note = f"import #{batch.id}"
        self.orgs: dict[str, int] = {}

    def item(
        self,
        object_type: str,
        object_id: int,
        action: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        db.session.add(
            ImportBatchItem(
                batch_id=self.batch.id,
                object_type=object_type,
                object_id=object_id,
                action=action,
                before=changelog.plain(before or {}),
                after=changelog.plain(after or {}),
            )
        )

    def decide(self, found: Any) -> None:
        if found is not None and self.mode == "create":
            raise Reject("exists", id=getattr(found, "id", None))
        if found is None and self.mode == "update":
            raise Reject("not_found")
