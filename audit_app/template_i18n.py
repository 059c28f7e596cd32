"""Translations in templates at the cost of a dictionary look-up.

Flask-Babel's template `_`, `gettext` and `ngettext` find the request's locale and
its translations on every call (through Flask's context proxies), and the filter `t`
finds the locale for every `Text`: a questionnaire page makes ~100 such calls. Here a
context processor does that once per rendered template and hands the template
functions bound to that language's catalogue; they keep Jinja's "newstyle" gettext
rules (the result is always a %-format string, Markup when autoescaping) so every
template reads exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from flask import Flask
from flask_babel import format_date, get_locale, get_timezone, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

# The context variable holding the rendered page's language (read by the `t` filter).
LANG_KEY = "_page_language"
DATES_KEY = "_page_date_labels"

_bound: dict[int, tuple[object, dict[str, Callable[..., str]]]] = {}


def _functions(translations: Any) -> dict[str, Callable[..., str]]:
    """`_`, `gettext` and `ngettext` of one catalogue (made once per catalogue)."""
    found = _bound.get(id(translations))
    if found is not None and found[0] is translations:
        return found[1]
    ugettext = translations.ugettext
    ungettext = translations.ungettext

    @pass_context
    def gettext(context: Context, string: str, **variables: Any) -> str:
        text: Any = ugettext(string)
        if context.eval_ctx.autoescape:  # as Jinja does: our own catalogue, not user input
            text = Markup(text)  # noqa: S704  # nosec B704
        return text % variables  # type: ignore[no-any-return]

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        text: Any = ungettext(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704  # nosec B704
        return text % variables  # type: ignore[no-any-return]

    functions: dict[str, Callable[..., str]] = {
        "_": gettext,
        "gettext": gettext,
        "ngettext": ngettext,
    }
    if len(_bound) >= 64:  # outside a request Flask-Babel hands out a new empty catalogue
        _bound.clear()
    _bound[id(translations)] = (translations, functions)
    return functions


_date_formatters: dict[tuple[str, str], Callable[..., str]] = {}


def _date_formatter(locale: str, timezone: str) -> Callable[..., str]:
    """Flask-Babel's `format_date` remembered per language and time zone: the same days
    (an audit's start, an action's due date) are shown on every page view."""
    found = _date_formatters.get((locale, timezone))
    if found is not None:
        return found
    remembered = lru_cache(maxsize=4096)(format_date)

    def formatter(*args: Any, **kwargs: Any) -> str:
        """Flask-Babel's signature: format_date(date=None, format=None, rebase=True)."""
        value = args[0] if args else kwargs.get("date")
        if value is None:  # today: never remembered
            return str(format_date(*args, **kwargs))
        return str(remembered(*args, **kwargs))

    _date_formatters[(locale, timezone)] = formatter
    return formatter


def init_app(
    app: Flask, current_language: Callable[[], str], date_labels: Callable[[], object]
) -> None:
    @app.context_processor
    def bound_translations() -> dict[str, Any]:
        return {
            **_functions(get_translations()),
            LANG_KEY: current_language(),
            DATES_KEY: date_labels(),
            "format_date": _date_formatter(str(get_locale()), str(get_timezone())),
        }
