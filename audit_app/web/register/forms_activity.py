"""Forms for interactions, follow-ups, the import wizard and merging."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from audit_app.models.register import CHANNELS, DIRECTIONS, PRIORITIES
from audit_app.web.form_base import AppForm
from audit_app.web.register.forms import choices, optional_int


class CheckboxList(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class InteractionForm(AppForm):
    occurred_at = DateTimeLocalField(
        _l("When"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()]
    )
    channel = SelectField(_l("Channel"), choices=choices("channel", CHANNELS))
    direction = SelectField(_l("Direction"), choices=choices("direction", DIRECTIONS))
    duration_minutes = IntegerField(
        _l("Duration (minutes)"), validators=[Optional(), NumberRange(0, 1440)]
    )
    subject = StringField(_l("Subject"), validators=[Optional(), Length(max=300)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=20_000)])
    outcome = TextAreaField(_l("Outcome"), validators=[Optional(), Length(max=5000)])
    organisation_id = SelectField(_l("Organisation"), coerce=optional_int, validate_choice=False)
    participants = CheckboxList(_l("Participants"), coerce=int, validate_choice=False)
    other_participants = StringField(
        _l("Other participants (e-mail addresses)"), validators=[Optional(), Length(max=1000)]
    )
    followup_title = StringField(
        _l("Follow-up (optional): what to do next"), validators=[Optional(), Length(max=300)]
    )
    followup_due = DateField(_l("Follow-up due on"), validators=[Optional()])
    confirm_pressure = BooleanField(_l("Log it anyway"))


class FollowupForm(AppForm):
    title = StringField(_l("What to do"), validators=[DataRequired(), Length(max=300)])
    due_on = DateField(_l("Due on"), validators=[DataRequired()])
    priority = SelectField(
        _l("Priority"), choices=choices("priority", PRIORITIES), default="normal"
    )
    assignee_id = SelectField(_l("Assigned to"), coerce=optional_int)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class UploadForm(AppForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()])
    kind = SelectField(
        _l("What the file contains"),
        choices=[
            SelectChoice("", _l("Find out from the column names")),
            SelectChoice("people", _l("People")),
            SelectChoice("organisations", _l("Organisations")),
        ],
        validate_choice=True,
    )


class ImportOptionsForm(AppForm):
    kind = SelectField(
        _l("What the file contains"), choices=choices("kind", ("people", "organisations"))
    )
    mode = SelectField(_l("Mode"), choices=choices("mode", ("upsert", "create", "update")))
