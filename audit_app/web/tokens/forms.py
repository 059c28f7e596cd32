from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from audit_app.services.api_tokens import MAX_NAME


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name (what the token is for, e.g. “reporting script”)"),
        validators=[DataRequired(), Length(max=MAX_NAME)],
    )


class RevokeForm(FlaskForm):
    """Only the CSRF token: revoking needs no other input."""
