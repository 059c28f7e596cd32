"""Words in one language, chosen per call and independent of the interface language:
the result model, the reports and anything else built outside a request's locale.

Strings are English msgids marked like everywhere else; the Polish comes from the one
catalogue the web uses too (`translations/pl/LC_MESSAGES/messages.po`, made from the
fragments by scripts/translations.py), read once per process and per change. Two
languages can be used side by side (nothing global is switched).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po

from audit_app.config import INSTALLATION_TIMEZONE, PACKAGE_DIR

REPORT_LANGUAGES = ("pl", "en")
CATALOGUE = PACKAGE_DIR / "translations" / "pl" / "LC_MESSAGES" / "messages.po"
TIMEZONE = ZoneInfo(INSTALLATION_TIMEZONE)


@dataclass(frozen=True)
class _Messages:
    singular: dict[str, str]
    plural: dict[str, tuple[str, ...]]  # singular msgid -> msgstr[0..2]


@lru_cache(maxsize=4)
def _catalogue(path: Path, mtime: float) -> _Messages:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="pl")
    singular: dict[str, str] = {}
    plural: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, str):
            if message.string:
                singular[message.id] = str(message.string)
        elif isinstance(message.string, tuple | list) and all(message.string):
            plural[str(message.id[0])] = tuple(str(s) for s in message.string)
    return _Messages(singular, plural)


def polish_messages() -> _Messages:
    try:
        mtime = CATALOGUE.stat().st_mtime
    except OSError:
        return _Messages({}, {})
    return _catalogue(CATALOGUE, mtime)


@dataclass(frozen=True)
class Translator:
    """gettext for one report language; `_("Score %(x)s", x=1)` formats like Flask-Babel."""

    lang: str
    messages: _Messages = _Messages({}, {})

    def gettext(self, message: str, **variables: object) -> str:
        text = self.messages.singular.get(message, message)
        return text % variables if variables else text

    __call__ = gettext

    def ngettext(self, singular: str, plural: str, n: int, **variables: object) -> str:
        variables.setdefault("num", n)
        if self.lang == "pl":
            # Polish plural forms (msgstr[0..2]): 1; 2-4 except 12-14; the rest.
            forms = self.messages.plural.get(singular, ())
            if len(forms) == 3:
                if n == 1:
                    text = forms[0]
                elif n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
                    text = forms[1]
                else:
                    text = forms[2]
                return text % variables
        return (singular if n == 1 else plural) % variables

    def date(self, value: date | datetime | None, fmt: str = "long") -> str:
        if value is None:
            return "—"
        if isinstance(value, datetime):
            value = value.astimezone(TIMEZONE).date() if value.tzinfo else value.date()
        return str(format_date(value, format=fmt, locale=self.lang))

    def datetime(self, value: datetime | None, fmt: str = "medium") -> str:
        if value is None:
            return "—"
        return str(format_datetime(value, format=fmt, tzinfo=TIMEZONE, locale=self.lang))


def translator(lang: str) -> Translator:
    if lang not in REPORT_LANGUAGES:
        raise ValueError(f"unknown report language {lang!r}")
    return Translator(lang, polish_messages() if lang == "pl" else _Messages({}, {}))
