"""Templates' `_`, `gettext`, `ngettext`, `| t` and `format_date` bound to the page's
language once per render (audit_app/template_i18n.py, issue 19): each request gets its
own language, Jinja's newstyle rules hold (always %-formatted, escaped when
autoescaping), and nothing remembered for one language shows in another."""

from __future__ import annotations

from datetime import date

from flask import render_template_string
from flask_babel import force_locale, refresh

from audit_app.domain.questionnaire import Text

PAGE = (
    "{{ _('Note') }}|{{ ngettext('%(num)d answer', '%(num)d answers', 2) }}|"
    "{{ _('%(name)s & co', name='<b>') }}|{{ label | t }}|{{ format_date(day) }}"
)


def render(app, language: str) -> str:
    with app.test_request_context("/"), force_locale(language):
        refresh()
        return render_template_string(PAGE, label=Text(pl="Obszar", en="Area"),
                                      day=date(2026, 12, 6))  # fmt: skip


def test_each_render_uses_its_own_language(app):
    polish = render(app, "pl")
    english = render(app, "en")
    assert polish.startswith("Notatka|") and english.startswith("Note|")
    assert "|Obszar|" in polish and "|Area|" in english
    assert "|2 answers|" in english
    assert "|&lt;b&gt; & co|" in english  # the variable escaped, the text not: as Jinja does
    assert english.endswith("|Dec 6, 2026") and polish.endswith("|6 gru 2026")
    assert render(app, "pl") == polish and render(app, "en") == english  # nothing leaks
