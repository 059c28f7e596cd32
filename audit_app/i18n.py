"""Language choice: the user's setting, else the session, else the browser."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, request, session
from flask_babel import format_date, format_datetime, format_decimal, format_time, get_locale
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


def when_label(value: datetime | None) -> str:
    """The one date-and-time format of the interface, per language, in the installation's
    time zone (TIMEZONE): '6 gru 2026, 10:00' / 'Dec 6, 2026, 10:00'. Templates: |datetime."""
    if value is None:
        return ""
    return f"{format_date(value, 'medium')}, {format_time(value, 'HH:mm')}"


def day_label(value: date | datetime | None) -> str:
    """The one date format of the interface, per language (a datetime's day in the
    installation's time zone). Templates: |date."""
    if value is None:
        return ""
    return str(format_date(value, "medium"))


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        current_language=current_language,
        verdict_label=lambda verdict: verdict_label(verdict, translator(current_language())),
        format_date=format_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
    )

    template_i18n.init_app(app, current_language)

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

    app.add_template_filter(when_label, "datetime")
    app.add_template_filter(day_label, "date")

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
