"""Form errors in sight: a service's UserError shown on the form that was submitted (each
blueprint keeps its own translated messages), and the summary of every failed field at
the top of the page, linked to the fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, before_render_template, flash
from wtforms.fields import (
    Field,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectMultipleField,
)
from wtforms.form import BaseForm
from wtforms.widgets import Select

from audit_app.errors import UserError


def _named_field(form: BaseForm, name: str) -> Field | None:
    """A field by name, also inside a list ("emails-2-value": the third e-mail's value)."""
    if name in form:
        return form[name]
    head, _sep, rest = name.partition("-")
    index, _sep, inner = rest.partition("-")
    if head in form and isinstance(form[head], FieldList) and index.isdigit() and inner:
        entries = form[head].entries
        if int(index) < len(entries) and isinstance(entries[int(index)], FormField):
            sub = entries[int(index)].form
            return sub._fields.get(inner)
    return None


def show_error(form: BaseForm, error: UserError, message: str) -> None:
    """The message goes under the field the error names; an error of no field is flashed."""
    field = _named_field(form, error.field) if error.field else None
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        flash(message, "error")


# -- the error summary at the top of every page with a failed form (issue 15, item 3) ----


@dataclass(frozen=True)
class FieldError:
    anchor: str  # the id of the element the summary links to ("" for a hidden field)
    label: str
    message: str


def _messages(errors: Any) -> list[str]:
    """A field's errors, flattened (a FieldList or FormField nests lists and dicts); a
    message may be a lazy string (lazy_gettext), so anything else is a message."""
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in _messages(value)]
    if isinstance(errors, list | tuple):
        return [m for value in errors for m in _messages(value)]
    return [str(errors)] if errors else []


def _field_errors(field: Field) -> list[FieldError]:
    if isinstance(field, FieldList | FormField):
        # Looked into even without errors of their own: show_error may have put one on
        # a field inside (the third e-mail address) after validation.
        inner = [e for sub in field for e in _field_errors(sub)]
        own = (  # a FormField's errors are its inner fields' (a dict): only a list's own
            [str(m) for m in field.errors or [] if not isinstance(m, list | dict)]
            if isinstance(field, FieldList)
            else []
        )
        # Rows have no label of their own worth repeating: the message says it.
        return [FieldError(field.id, "", m) for m in own] + [
            FieldError(e.anchor, "", e.message) for e in inner
        ]
    if not field.errors:
        return []
    if isinstance(field, HiddenField):  # the CSRF token too: nothing to link to
        anchor = ""
    elif isinstance(field, RadioField) or (
        isinstance(field, SelectMultipleField) and not isinstance(field.widget, Select)
    ):  # radio buttons and check-box groups have ids per option: link to the first
        anchor = f"{field.id}-0"
    else:
        anchor = field.id
    return [FieldError(anchor, str(field.label.text), m) for m in _messages(field.errors)]


def _forms_in(value: Any, depth: int = 0) -> list[BaseForm]:
    if isinstance(value, BaseForm):
        return [value]
    if depth < 2 and isinstance(value, list | tuple):
        return [f for item in value for f in _forms_in(item, depth + 1)]
    if depth < 2 and isinstance(value, dict):
        return [f for item in value.values() for f in _forms_in(item, depth + 1)]
    return []


def collect_field_errors(context: dict[str, Any]) -> list[FieldError]:
    """Every field in error of every form a page is given, each form once."""
    seen: set[int] = set()
    found: list[FieldError] = []
    for form in (f for value in context.values() for f in _forms_in(value)):
        if id(form) in seen:
            continue
        seen.add(id(form))
        for field in form:
            found.extend(_field_errors(field))
    return found


def _add_summary(_app: Flask, template: Any, context: dict[str, Any], **_extra: Any) -> None:
    if "field_errors" not in context:
        context["field_errors"] = collect_field_errors(context)


def init_app(app: Flask) -> None:
    """base.html shows `field_errors` at the top of the page: no form needs to ask."""
    before_render_template.connect(_add_summary, app)
