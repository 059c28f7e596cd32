"""Keyset ("seek") pagination: pages are found by the sort key of the last row
shown, never by OFFSET, and the total is never counted, so page 500 costs what
page 1 does. A cursor is the sort values of one row, in a URL-safe string."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, or_

from audit_app.domain.numbers import parse_id
from audit_app.extensions import db

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None
    prev_cursor: str | None


def encode(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime | date) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def decode(cursor: str | None, parsers: Sequence[Callable[[Any], Any]]) -> list[Any] | None:
    """The values in `cursor`, or None when it is missing or not one of ours."""
    if not cursor or len(cursor) > 1000:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(parsers):
            return None
        parsed = [parse(v) for parse, v in zip(parsers, values, strict=True)]
    except (ValueError, TypeError, OverflowError, RecursionError, binascii.Error):
        return None  # (UnicodeDecodeError is a ValueError)
    # an id no column can hold would make the database driver fail
    if any(isinstance(v, int) and parse_id(v) is None for v in parsed):
        return None
    return parsed


def _after(columns: Sequence[Any], values: Sequence[Any], descending: bool) -> ColumnElement[bool]:
    """Rows strictly after `values` in the order of `columns` (two columns: the sort
    key and the id as a tie-breaker); the extra >= lets the index be used."""
    key, tie = columns
    value, tie_value = values
    if descending:
        return and_(key <= value, or_(key < value, tie < tie_value))
    return and_(key >= value, or_(key > value, tie > tie_value))


def paginate(
    query: Select[Any, Any] | Select[Any],
    columns: Sequence[Any],
    key_of: Callable[[Any], Sequence[Any]],
    parsers: Sequence[Callable[[Any], Any]],
    *,
    after: str | None = None,
    before: str | None = None,
    per_page: int = 25,
    descending: bool = False,
    scalars: bool = True,
) -> Page[Any]:
    """One page of `query` ordered by `columns` (sort key, id), after or before a cursor."""
    after_values = decode(after, parsers)
    before_values = decode(before, parsers) if after_values is None else None
    backwards = before_values is not None
    if after_values is not None:
        query = query.where(_after(columns, after_values, descending))
    elif before_values is not None:
        query = query.where(_after(columns, before_values, not descending))
    reverse = descending != backwards
    order = [c.desc() if reverse else c.asc() for c in columns]
    query = query.order_by(*order).limit(per_page + 1)
    result = db.session.scalars(query) if scalars else db.session.execute(query)
    rows = list(result.unique() if scalars else result)
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    if not rows:
        return Page([], None, None)
    first, last = encode(key_of(rows[0])), encode(key_of(rows[-1]))
    if backwards:
        return Page(rows, last, first if more else None)
    return Page(rows, last if more else None, first if after_values is not None else None)
