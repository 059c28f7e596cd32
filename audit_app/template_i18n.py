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
from typing import Any

from flask import Flask
from flask_babel import get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

# The context variables holding the rendered page's language (read by the `t` filter)
# and its date labels (i18n.DateLabels, read by the `date` and `datetime` filters).
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


def init_app(
    app: Flask, current_language: Callable[[], str], date_labels: Callable[[], object]
) -> None:
    @app.context_processor
    def bound_translations() -> dict[str, Any]:
        return {
            **_functions(get_translations()),
            LANG_KEY: current_language(),
            DATES_KEY: date_labels(),
        }
