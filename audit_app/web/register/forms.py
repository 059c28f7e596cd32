"""Forms of the contact register (people, memberships, consents, profiles)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from audit_app.domain.numbers import parse_id
from audit_app.models.register import (
    CHANNELS,
    CONSENT_PURPOSES,
    CONSENT_SOURCES,
    CONSENT_STATUSES,
    LAWFUL_BASES,
)
from audit_app.services.register.people import LANGUAGES
from audit_app.web.form_base import AppForm
from audit_app.web.register.labels import LABELS

EMAIL_ROWS = 3
PHONE_ROWS = 2


def choices(kind: str, codes: Iterable[str], empty: Any = None) -> list[SelectChoice]:
    found = [SelectChoice(code, LABELS[kind].get(code, code)) for code in codes]
    return [SelectChoice("", empty), *found] if empty is not None else found


def optional_int(value: Any) -> int | None:
    return parse_id(str(value)) if value is not None else None


class ContactValueForm(Form):
    """One e-mail or phone with its flags (a sub-form: the outer form has the CSRF token)."""

    value = StringField(_l("Value"), validators=[Optional(), Length(max=254)])
    primary = BooleanField(_l("Primary"))
    opt_out = BooleanField(_l("Opted out"))


class PersonForm(AppForm):
    first_name = StringField(_l("First name"), validators=[Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[Length(max=150)])
    job_title = StringField(_l("Job title"), validators=[Optional(), Length(max=200)])
    emails = FieldList(FormField(ContactValueForm), min_entries=EMAIL_ROWS)
    phones = FieldList(FormField(ContactValueForm), min_entries=PHONE_ROWS)
    preferred_channel = SelectField(
        _l("Preferred channel"), choices=choices("channel", CHANNELS, _l("No preference"))
    )
    language = SelectField(
        _l("Language"), choices=choices("language", LANGUAGES, _l("Not specified"))
    )
    tags = StringField(_l("Tags (separated by commas)"), validators=[Length(max=500)])
    owner_id = SelectField(_l("Owner"), coerce=optional_int)
    stay_in_touch_days = IntegerField(
        _l("Stay in touch every … days"), validators=[Optional(), NumberRange(1, 3650)]
    )
    notes = TextAreaField(_l("Notes"), validators=[Length(max=10_000)])


class NewPersonForm(PersonForm):
    organisation = StringField(
        _l("Organisation (optional)"), validators=[Optional(), Length(max=300)]
    )
    role = StringField(_l("Role in the organisation"), validators=[Optional(), Length(max=200)])
    create_anyway = BooleanField(_l("Add anyway: this is a different person"))


class MembershipForm(AppForm):
    organisation = StringField(_l("Organisation"), validators=[DataRequired(), Length(max=300)])
    role = StringField(_l("Role"), validators=[Optional(), Length(max=200)])
    started_on = DateField(_l("Since"), validators=[Optional()])


class EndMembershipForm(AppForm):
    ended_on = DateField(_l("Left on"), validators=[DataRequired()])


class ConsentForm(AppForm):
    purpose = SelectField(_l("Purpose"), choices=choices("purpose", CONSENT_PURPOSES))
    channel = SelectField(_l("Channel"), choices=choices("channel", CHANNELS, _l("Any channel")))
    status = SelectField(_l("Decision"), choices=choices("consent_status", CONSENT_STATUSES))
    lawful_basis = SelectField(_l("Lawful basis"), choices=choices("basis", LAWFUL_BASES))
    source = SelectField(_l("How we obtained it"), choices=choices("source", CONSENT_SOURCES))
    review_on = DateField(_l("Review on"), validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class ProfileForm(AppForm):
    domain = StringField(
        _l("Domain (e.g. biblioteka.pl)"), validators=[Optional(), Length(max=253)]
    )
    tags = StringField(_l("Tags (separated by commas)"), validators=[Length(max=500)])
    owner_id = SelectField(_l("Owner"), coerce=optional_int)
    stay_in_touch_days = IntegerField(
        _l("Stay in touch every … days"), validators=[Optional(), NumberRange(1, 3650)]
    )


class EraseForm(AppForm):
    confirm_name = StringField(
        _l("Type the person's full name to confirm"), validators=[DataRequired(), Length(max=300)]
    )
