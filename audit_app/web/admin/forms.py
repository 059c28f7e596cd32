from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from audit_app.web.auth.forms import LANGUAGE_CHOICES, MIN_PASSWORD, AccountForm
from audit_app.web.form_base import AppForm

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "consultant": _l("Consultant"),
    "viewer": _l("Viewer"),
}
ROLE_CHOICES = [SelectChoice(code, label) for code, label in ROLE_LABELS.items()]


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes instead of a multi-select box."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NewUserForm(AccountForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default="consultant")


class EditUserForm(AppForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    active = BooleanField(_l("Active (may log in)"))
    password = PasswordField(
        _l("New password (leave empty to keep the current one)"),
        validators=[
            Optional(),
            Length(
                min=MIN_PASSWORD,
                message=_l("Use at least %(n)d characters.", n=MIN_PASSWORD),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("password", message=_l("Passwords do not match."))],
    )
    organisations = MultiCheckboxField(_l("Organisations this user can access"), coerce=int)
