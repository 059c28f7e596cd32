"""Templates' `_`, `gettext`, `ngettext`, `| t` and `| date` bound to the page's
language once per render (audit_app/template_i18n.py, issue 19): each request gets its
own language, Jinja's newstyle rules hold (always %-formatted, escaped when
autoescaping), and nothing remembered for one language shows in another."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from flask import render_template_string
from flask_babel import force_locale, format_date, format_time, refresh

from audit_app.domain.questionnaire import Text
from audit_app.i18n import day_label, when_label

PAGE = (
    "{{ _('Note') }}|{{ ngettext('%(num)d answer', '%(num)d answers', 2) }}|"
    "{{ _('%(name)s & co', name='<b>') }}|{{ label | t }}|{{ day | date }}"
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


@pytest.mark.parametrize("language", ["pl", "en"])
def test_date_labels_match_flask_babel(app, language):
    """`|date` and `|datetime` apply patterns parsed once per language (i18n._patterns)
    instead of calling Flask-Babel each time; the labels must stay exactly Flask-Babel's,
    in the installation's time zone, naive datetimes taken as UTC, across a DST change."""
    values = [
        datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # 01:59 in Warsaw, before the change
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # 03:00 after it
        datetime(2026, 10, 24, 22, 30, tzinfo=UTC),  # the next day in Warsaw
        datetime(2026, 12, 6, 23, 15),  # naive: UTC
        datetime(2026, 1, 1, 5, 5, tzinfo=timezone(timedelta(hours=-5))),
    ]
    with app.test_request_context("/"), force_locale(language):
        refresh()
        for value in values:
            expected = f"{format_date(value, 'medium')}, {format_time(value, 'HH:mm')}"
            assert when_label(value) == expected
            assert day_label(value) == format_date(value, "medium")
        assert day_label(date(2026, 5, 1)) == format_date(date(2026, 5, 1), "medium")
        assert when_label(None) == day_label(None) == ""
        assert day_label(values[2]).startswith(("25 ", "Oct 25"))  # Warsaw's day, not UTC's
