"""The one base class of the app's forms: how its fields are rendered as valid HTML.

- A page often carries several forms (share, revoke, issue a PDF...); WTForms renders
  each form's CSRF field with id="csrf_token", so the page had the same id several
  times. The CSRF field is hidden and never labelled: it is rendered without an id.
- A required select must start with an empty placeholder option (HTML); a select
  without one always has a value (its first option is chosen), so `required` says
  nothing there and is left out. The server still validates the choice.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm


def _always_has_a_value(field: Any) -> bool:
    if field.type != "SelectField" or field.has_groups():
        return False
    values = [choice[0] for choice in field.iter_choices()]
    return bool(values) and "" not in values and values[0] is not None


class AppForm(FlaskForm):
    class Meta:
        def render_field(self, field: Any, render_kw: dict[str, Any]) -> Any:
            if field.type == "CSRFTokenField":
                render_kw = {**render_kw, "id": False}
            elif _always_has_a_value(field):
                render_kw = {**render_kw, "required": False}
            return super().render_field(field, render_kw)  # type: ignore[misc]
