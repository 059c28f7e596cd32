"""Numbers read from URLs, forms and cursors: what a database column can hold.

`str.isdigit()` accepts "²" and "١٢", and `int()` accepts spaces and underscores, while
every id column is a 32-bit INTEGER; a value outside it makes the database driver fail
(a server error). These helpers give None for anything else, so callers treat it like
a missing or unknown value.
"""

from __future__ import annotations

from typing import Any

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER, the type of every id column


def parse_int(value: Any, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """An int from ASCII digits (or an int) within [low, high], else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        number = int(value)
    else:
        return None
    return number if low <= number <= high else None


def parse_id(value: Any) -> int | None:
    """A database id (1 .. MAX_ID) or None."""
    return parse_int(value, low=1)
