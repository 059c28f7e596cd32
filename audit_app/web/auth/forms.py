from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from audit_app.web.form_base import AppForm

LANGUAGE_CHOICES = [SelectChoice("pl", "Polski"), SelectChoice("en", "English")]
MIN_PASSWORD = 10


class LoginForm(AppForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class AccountForm(AppForm):
    """Creating the first administrator or any later user."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD,
                message=_l("Use at least %(n)d characters.", n=MIN_PASSWORD),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", message=_l("Passwords do not match."))],
    )
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="pl")


class LanguageForm(AppForm):
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
