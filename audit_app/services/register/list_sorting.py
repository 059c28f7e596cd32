"""The columns the register's interaction and follow-up lists may be sorted by (?sort=).

Both lists page by keyset (services/register/keyset.py), so each column comes with
what the cursor needs: the SQL column, its value on a row and the parser of its value
in a cursor. The id is always the tie-breaker, the same way round as the column."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from audit_app.models import Followup, Interaction


@dataclass(frozen=True)
class SortKey:
    column: Any
    value_of: Callable[[Any], Any]
    parse: Callable[[Any], Any]


INTERACTION_SORTS: dict[str, SortKey] = {
    "date": SortKey(Interaction.occurred_at, lambda i: i.occurred_at, datetime.fromisoformat),
    "subject": SortKey(Interaction.subject, lambda i: i.subject, str),
    "channel": SortKey(Interaction.channel, lambda i: i.channel, str),
}

FOLLOWUP_SORTS: dict[str, SortKey] = {
    "due": SortKey(Followup.due_on, lambda f: f.due_on, date.fromisoformat),
    "title": SortKey(Followup.title, lambda f: f.title, str),
}
