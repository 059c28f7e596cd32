from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from audit_app.web.form_base import AppForm

# Labels of the codes in models/organisations.py (ORGANISATION_TYPES, SIZES).
TYPE_LABELS = {
    "library": _l("Library"),
    "company": _l("Company"),
    "public": _l("Public institution"),
    "ngo": _l("NGO"),
    "other": _l("Other"),
}
SIZE_LABELS = {
    "micro": _l("Micro (up to 9 people)"),
    "small": _l("Small (10–49 people)"),
    "medium": _l("Medium (50–249 people)"),
    "large": _l("Large (250 people or more)"),
}


class OrganisationForm(AppForm):
    name = StringField(_l("Organisation name"), validators=[DataRequired(), Length(max=300)])
    type = SelectField(
        _l("Type"),
        choices=[SelectChoice(code, label) for code, label in TYPE_LABELS.items()],
        default="library",
    )
    size = SelectField(
        _l("Size"),
        choices=[
            SelectChoice("", _l("Not specified")),
            *(SelectChoice(code, label) for code, label in SIZE_LABELS.items()),
        ],
        default="",
    )
    sector = StringField(_l("Sector"), validators=[Optional(), Length(max=200)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=200)])
    benchmark_consent = BooleanField(
        _l("May join anonymous benchmarks"),
        description=_l(
            "The organisation's latest submitted audit counts, anonymously, in the comparison "
            "other organisations of its kind see (shown only with at least 5 of them; nobody "
            "sees its name or its own figures)."
        ),
    )


class NewOrganisationForm(OrganisationForm):
    create_anyway = BooleanField(_l("Create it anyway: this is a different organisation"))
