from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from audit_app.services.api_tokens import MAX_NAME
from audit_app.web.form_base import AppForm


class TokenForm(AppForm):
    name = StringField(
        _l("Name (what the token is for, e.g. “reporting script”)"),
        validators=[DataRequired(), Length(max=MAX_NAME)],
    )


class RevokeForm(AppForm):
    """Only the CSRF token: revoking needs no other input."""
