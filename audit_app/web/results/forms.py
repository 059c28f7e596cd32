"""Forms of the results pages: an action (create / update) and the pick-two-audits form.

One results page holds many action forms, so each is built with a `prefix`
("new-<recommendation id>" or "action-<action id>") to keep field names and ids unique.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from audit_app.services.actions import OWNER_MAX, TITLE_MAX
from audit_app.web.form_base import AppForm


def status_choices() -> list[tuple[str, str]]:
    return [
        ("todo", _l("To do")),
        ("in_progress", _l("In progress")),
        ("done", _l("Done")),
        ("dropped", _l("Dropped")),
    ]


class ActionForm(AppForm):
    title = StringField(_l("Action"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    owner = StringField(_l("Owner"), validators=[Optional(), Length(max=OWNER_MAX)])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=status_choices, default="todo")


class CompareForm(AppForm):
    """A GET form: no CSRF token, reads the query string."""

    class Meta:
        csrf = False

    a = SelectField(_l("First audit"), coerce=int)
    b = SelectField(_l("Second audit"), coerce=int)
