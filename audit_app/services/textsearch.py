"""One search behaviour everywhere: case, accents, punctuation and spacing ignored, so
"lodz" finds "Łódź" and "zabka" finds "Żabka", on SQLite and on PostgreSQL alike.

`normalise_name` folds text in Python (stored keys such as the register's `name_key`
are made with it); `folded` folds a column the same way inside the database, for
columns that have no stored key; `contains` puts the two together."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import ColumnElement, func, or_

from audit_app.extensions import db

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Letters that Unicode does not decompose into a base letter plus a mark.
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})


def normalise_name(name: str) -> str:
    """A name reduced for search and duplicate detection: case, accents, punctuation and
    spacing ignored ("Biblioteka  Łódź-Północ" == "biblioteka lodz polnoc")."""
    folded = name.casefold().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", folded)
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", without_marks).split())


def _single_letter_folds() -> tuple[str, str]:
    """Latin letters with marks and what they fold to, one letter each (for PostgreSQL's
    translate(), which needs no extension, unlike unaccent)."""
    accented, plain = [], []
    for code in range(0xC0, 0x250):
        letter = chr(code).lower()
        base = normalise_name(letter)
        if len(letter) == 1 and len(base) == 1 and base != letter and letter not in accented:
            accented.append(letter)
            plain.append(base)
    return "".join(accented), "".join(plain)


_ACCENTED, _PLAIN = _single_letter_folds()


def folded(column: Any) -> ColumnElement[str]:
    """`column` folded inside the database as `normalise_name` folds in Python (on
    PostgreSQL the few letters that fold to two, such as "ß", stay as they are)."""
    if db.session.get_bind().dialect.name == "sqlite":
        raw = db.session.connection().connection.driver_connection
        raw.create_function(  # type: ignore[union-attr]
            "audit_fold",
            1,
            lambda value: normalise_name(value) if isinstance(value, str) else value,
            deterministic=True,
        )
        return func.audit_fold(column)
    lowered = func.translate(func.lower(func.coalesce(column, "")), _ACCENTED, _PLAIN)
    return func.btrim(func.regexp_replace(lowered, r"[\W_]+", " ", "g"))


def contains(q: str, *columns: Any) -> ColumnElement[bool] | None:
    """Rows where any of `columns` contains the folded search text; None for an empty one.
    A search of punctuation only ("%") is kept as typed, so it finds nothing rather than all."""
    needle = normalise_name(q) or q.strip().casefold()
    if not needle:
        return None
    return or_(*(folded(column).contains(needle, autoescape=True) for column in columns))
