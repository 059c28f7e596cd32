"""Forms of the respondents management pages (choices are set by the views)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from audit_app.i18n import current_language
from audit_app.services.mail.respondent_mail import REMINDER_DAYS
from audit_app.services.respondents import DEFAULT_DAYS, LINK_DAYS
from audit_app.web.form_base import AppForm


def days_choices() -> list[SelectChoice]:
    return [SelectChoice(str(d), _l("%(days)s days", days=d)) for d in LINK_DAYS]


class InviteForm(AppForm):
    role = SelectField(
        _l("Role"), choices=[], validators=[InputRequired(message=_l("Choose a role."))]
    )
    department = StringField(_l("Department (optional)"), validators=[Optional(), Length(max=200)])
    name = StringField(_l("Name (optional)"), validators=[Optional(), Length(max=200)])
    email = EmailField(
        _l("E-mail (optional; needed to send the invitation by e-mail)"),
        validators=[
            Optional(),
            Email(message=_l("Enter a valid e-mail address.")),
            Length(max=254),
        ],
    )
    days = SelectField(_l("Link valid for"), choices=[], default=str(DEFAULT_DAYS))
    # Shown when mail is on (MAIL_SERVER set).
    send_mail = BooleanField(_l("Send the invitation by e-mail"), default=True)
    language = SelectField(
        _l("Language of the e-mail"),
        choices=[SelectChoice("pl", "Polski"), SelectChoice("en", "English")],
        default="pl",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.days.choices = days_choices()
        if not self.is_submitted():
            self.language.data = current_language()  # the consultant's, until changed


class ReminderDaysForm(AppForm):
    reminder_days = SelectField(_l("Automatic reminder"), choices=[])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.reminder_days.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(d), _l("%(days)s days after the invitation", days=d))
            for d in REMINDER_DAYS
        ]


class LinkForm(AppForm):
    role = SelectField(
        _l("Role"), choices=[], validators=[InputRequired(message=_l("Choose a role."))]
    )
    department = StringField(_l("Department (optional)"), validators=[Optional(), Length(max=200)])
    days = SelectField(_l("Link valid for"), choices=[], default=str(DEFAULT_DAYS))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.days.choices = days_choices()


class ConsultantRoleForm(AppForm):
    role = SelectField(_l("Your own answers count as"), choices=[])


class ExcludeForm(AppForm):
    reason = TextAreaField(
        _l("Reason for excluding this response"),
        validators=[
            DataRequired(message=_l("Give a reason; it is kept in the audit trail.")),
            Length(max=1000),
        ],
    )


class ConfirmForm(AppForm):
    """A button with a CSRF token (close, reopen, include, revoke)."""
