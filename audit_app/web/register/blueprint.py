"""The `register` blueprint, its template globals and helpers shared by its views."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, current_app, flash, request
from flask.blueprints import BlueprintSetupState
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from wtforms.form import BaseForm

from audit_app.domain.numbers import parse_id
from audit_app.domain.segments import PressureLimit, thresholds_from_mapping
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Organisation, User
from audit_app.services.register import followups, search, stats, timeline
from audit_app.services.register.access import is_editor
from audit_app.web import form_errors
from audit_app.web.register.labels import error_message, label

bp = Blueprint("register", __name__, url_prefix="/register")


@bp.record_once
def _check_settings(state: BlueprintSetupState) -> None:
    """Wrong segment thresholds or contact-pressure limits stop the app at start."""
    thresholds_from_mapping(state.app.config.get("REGISTER_SEGMENTS"))
    PressureLimit(**(state.app.config.get("REGISTER_CONTACT_PRESSURE") or {}))


def me() -> User:
    user: User = current_user._get_current_object()  # noqa: SLF001 - the real User row
    return user


@bp.app_template_global()
def register_label(kind: str, code: str | None) -> str:
    """A translated label of a register code (channel, segment, status...)."""
    return label(kind, code)


@bp.app_template_global()
def register_followups_due() -> followups.FollowupsDue | None:
    """For the dashboard partial: the signed-in user's due and overdue follow-ups."""
    if not current_user.is_authenticated:
        return None
    return followups.followups_due(me())


@bp.app_template_global()
def register_organisation_panel(organisation: Organisation) -> dict[str, Any]:
    """For the organisation page partial: people, timeline and open follow-ups."""
    user = me()
    return {
        "memberships": timeline.people_of(organisation),
        "timeline": timeline.for_organisation(organisation, limit=15),
        "followups": followups.open_for(organisation_id=organisation.id, user=user),
        "can_edit": is_editor(user),
        "today": date.today(),
    }


@bp.app_template_filter("register_value")
def register_value(value: Any) -> str:
    """A change-log value as text (lists joined, contact values with their flags)."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(register_value(v) for v in value)
    if isinstance(value, dict):
        text = str(value.get("value", ""))
        flags = [
            label("flag", "primary") if value.get("primary") else "",
            label("flag", "opt_out") if value.get("opt_out") else "",
        ]
        extra = ", ".join(f for f in flags if f)
        return f"{text} ({extra})" if extra else text
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


@bp.app_template_filter("tel_href")
def tel_href(phone: str) -> str:
    """A tel: URL as typed numbers are dialled: '+48 42 123-45-67' -> 'tel:+48421234567'
    (a tel: URL may not contain spaces)."""
    return "tel:" + "".join(c for c in phone if c.isdigit() or c == "+")


@bp.app_template_filter("register_overdue")
def register_overdue(followup: Any) -> bool:
    return followups.is_overdue(followup)


@bp.before_request
def _fresh_segments() -> None:
    """Segments depend on today's date: the first register page of a day refreshes them."""
    if current_user.is_authenticated and request.method == "GET":
        try:
            if stats.ensure_fresh():
                db.session.commit()
        except SQLAlchemyError:  # e.g. two workers starting the day at once: retry later
            db.session.rollback()
            current_app.logger.warning("segment refresh skipped", exc_info=True)


def show_error(form: BaseForm, error: UserError) -> None:
    """Put a service error on its form field, or flash it."""
    form_errors.show_error(form, error, error_message(error.message))


def save_edit(form: BaseForm, update: Callable[[], object]) -> bool:
    """Run an edit form's service update (it returns the changes) and commit it, saying
    whether anything changed; a UserError is rolled back and shown on the form instead.
    True when saved (the view then redirects)."""
    try:
        changes = update()
    except UserError as error:
        db.session.rollback()
        show_error(form, error)
        return False
    db.session.commit()
    flash(
        _("The changes were saved.") if changes else _("Nothing was changed."),
        "success" if changes else "info",
    )
    return True


def int_arg(name: str) -> int | None:
    """An id from the query string, or None (see domain/numbers.py)."""
    return parse_id(request.args.get(name))


def filters_from_request() -> search.Filters:
    args = request.args
    owner = args.get("owner", "")
    owner_id = current_user.id if owner == "me" else parse_id(owner)
    return search.Filters(
        q=args.get("q", "")[:200],
        tag=args.get("tag", "")[:60],
        segment=args.get("segment", ""),
        owner_id=owner_id,
        org_type=args.get("type", ""),
        organisation_id=int_arg("organisation"),
        person_id=int_arg("person"),
        last_contact=args.get("last_contact", ""),
        channel=args.get("channel", ""),
        direction=args.get("direction", ""),
    )


def filter_args() -> dict[str, str]:
    """The current filters as query arguments (for pagination and export links)."""
    keep = (
        "sort",
        "dir",
        "q",
        "tag",
        "segment",
        "owner",
        "type",
        "organisation",
        "person",
        "last_contact",
        "channel",
        "direction",
    )
    return {k: v for k in keep if (v := request.args.get(k, ""))}


def _zone() -> tzinfo:
    zone = get_timezone()
    try:
        return ZoneInfo(str(zone)) if zone is not None else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_to_utc(value: datetime) -> datetime:
    """A naive date and time typed in the user's time zone, as UTC."""
    return value.replace(tzinfo=_zone()).astimezone(UTC)


def utc_to_local(value: datetime) -> datetime:
    aware = stats.as_utc(value) or value
    return aware.astimezone(_zone()).replace(tzinfo=None)
