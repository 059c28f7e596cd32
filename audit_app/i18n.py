"""Language choice: the user's setting, else the session, else the browser."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache

from babel import Locale
from babel.dates import DateTimePattern, parse_pattern
from babel.dates import get_timezone as get_babel_zone
from flask import Flask, current_app, request, session
from flask_babel import format_decimal, get_locale, get_timezone
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context

from audit_app import template_i18n
from audit_app.domain.answer_text import verdict_label
from audit_app.domain.scoring_text import fmt_percent
from audit_app.wording import translator


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return str(current_user.language)
    if session.get("lang") in languages:
        return str(session["lang"])
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def current_language() -> str:
    return str(get_locale() or "pl")


@dataclass(frozen=True)
class DateLabels:
    """The interface's date formats in one language and time zone, patterns parsed once:
    Flask-Babel's format_date/format_time find the locale, the time zone and the pattern
    on every call (~0.1 ms; a history page has 60 labels), a parsed pattern costs a tenth.
    Datetimes are shown in the installation's time zone (naive ones are UTC, as
    Flask-Babel's rebase takes them)."""

    locale: Locale
    date_pattern: DateTimePattern
    time_pattern: DateTimePattern
    zone: tzinfo
    # Labels already made: the same days and times recur on every page view.
    _made: dict[tuple[str, date | datetime], str] = field(default_factory=dict, compare=False)

    def _local(self, value: date | datetime) -> date | datetime:
        if not isinstance(value, datetime):
            return value
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(self.zone)

    def day(self, value: date | datetime | None) -> str:
        """'6 gru 2026' / 'Dec 6, 2026'."""
        if value is None:
            return ""
        found = self._made.get(("day", value))
        if found is None:
            found = str(self.date_pattern.apply(self._local(value), self.locale))
            self._remember(("day", value), found)
        return found

    def when(self, value: datetime | None) -> str:
        """'6 gru 2026, 10:00' / 'Dec 6, 2026, 10:00'."""
        if value is None:
            return ""
        found = self._made.get(("when", value))
        if found is None:
            local = self._local(value)
            day = self.date_pattern.apply(local, self.locale)
            found = f"{day}, {self.time_pattern.apply(local, self.locale)}"
            self._remember(("when", value), found)
        return found

    def _remember(self, key: tuple[str, date | datetime], label: str) -> None:
        if len(self._made) >= 8192:  # bounded: a long-running worker sees many dates
            self._made.clear()
        self._made[key] = label


@lru_cache(maxsize=16)
def date_labels(language: str, zone: str) -> DateLabels:
    locale = Locale.parse(language)
    return DateLabels(
        locale, locale.date_formats["medium"], parse_pattern("HH:mm"), get_babel_zone(zone)
    )


def page_date_labels() -> DateLabels:
    """The request's language, the installation's time zone (TIMEZONE)."""
    return date_labels(current_language(), str(get_timezone()))


def when_label(value: datetime | None) -> str:
    """The one date-and-time format of the interface (DateLabels.when). Templates: |datetime."""
    return page_date_labels().when(value)


def day_label(value: date | datetime | None) -> str:
    """The one date format of the interface (DateLabels.day). Templates: |date."""
    return page_date_labels().day(value)


def _page_labels(context: Context) -> DateLabels:
    """The rendered page's DateLabels, found once per template (`template_i18n`)."""
    found = context.get(template_i18n.DATES_KEY)
    return found if isinstance(found, DateLabels) else page_date_labels()


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        current_language=current_language,
        verdict_label=lambda verdict: verdict_label(verdict, translator(current_language())),
        format_decimal=format_decimal,
    )

    template_i18n.init_app(app, current_language, page_date_labels)

    @app.template_filter("t")
    @pass_context
    def translate_text(context: Context, text: object) -> str:
        """Pick the user's language from a domain `Text` (or a {"pl","en"} dict); the
        page's language is found once per template (`template_i18n`)."""
        if text is None:
            return ""
        lang = context.get(template_i18n.LANG_KEY) or current_language()
        if isinstance(text, dict):
            return str(text.get(lang) or text.get("pl") or "")
        return str(text.get(lang))  # type: ignore[attr-defined]

    @app.template_filter("datetime")
    @pass_context
    def datetime_filter(context: Context, value: datetime | None) -> str:
        return _page_labels(context).when(value)

    @app.template_filter("date")
    @pass_context
    def date_filter(context: Context, value: date | datetime | None) -> str:
        return _page_labels(context).day(value)

    @app.template_filter("machine_time")
    def machine_time(value: date | datetime) -> str:
        """A <time datetime> value: whole seconds (HTML allows at most milliseconds)."""
        if isinstance(value, datetime):
            return value.isoformat(timespec="seconds")
        return value.isoformat()

    @app.template_filter("pct")
    def percent(value: float | None) -> str:
        """The one rounding of the product (half up, one decimal): `scoring_text.fmt`."""
        return fmt_percent(value, current_language())
