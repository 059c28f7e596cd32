"""Forms of the campaign pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from audit_app.web.form_base import AppForm


class CampaignForm(AppForm):
    name = StringField(_l("Campaign name"), validators=[DataRequired(), Length(max=300)])
    questionnaire_id = SelectField(_l("Questionnaire"), validators=[DataRequired()])
    starts_on = DateField(_l("Starts on"), validators=[DataRequired()])
    ends_on = DateField(_l("Ends on"), validators=[DataRequired()])
    terms = TextAreaField(
        _l("Terms shown to members (what the organiser may see)"),
        validators=[Optional(), Length(max=10_000)],
    )
    terms_include_benchmarks = BooleanField(
        _l("Joining includes taking part in anonymous peer benchmarks")
    )
    # Only administrators get choices (and see the field).
    organiser_id = SelectField(_l("Organiser"), coerce=int, validate_choice=False)


class AddMemberForm(AppForm):
    organisation_id = HiddenField(validators=[DataRequired()])


class MembersCsvForm(AppForm):
    file = FileField(_l("CSV file with a name (or id) column"), validators=[FileRequired()])


class SharingForm(AppForm):
    shares_results = BooleanField(
        _l("The organiser may see our individual results of this campaign")
    )
