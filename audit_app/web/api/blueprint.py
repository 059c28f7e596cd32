"""The JSON API blueprint: bearer-token authentication, JSON errors, paging, body parsing.

Every endpoint under /api/v1 (but the OpenAPI document) needs `Authorization: Bearer
<token>`; the token acts as its user, with the user's role and organisation access
(services/access.py). Session cookies are never used here, so CSRF does not apply.

Errors are `{"error": message, "code": code, "details": {...} | null}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from flask import Blueprint, current_app, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import Forbidden, HTTPException, MethodNotAllowed, NotFound

from audit_app import errors
from audit_app.extensions import csrf, db
from audit_app.models import Audit, Organisation, User
from audit_app.services import access, api_tokens

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

MAX_ID = 2**31 - 1  # the largest key PostgreSQL's INTEGER holds
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 100_000
OPEN_ENDPOINTS = {"api.openapi", "api.unknown"}
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
}


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        *,
        details: Mapping[str, Any] | None = None,
        message: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.details = dict(details) if details is not None else None
        self.message = message
        self.headers = dict(headers or {})


def fail(
    status: int, code: str, details: Mapping[str, Any] | None = None, message: str | None = None
) -> NoReturn:
    raise ApiError(status, code, details=details, message=message)


def messages() -> dict[str, str]:
    """Human messages of the error codes, in the token user's language."""
    return {
        "bad_request": _("The request could not be read; send a JSON object."),
        "invalid_parameter": _("A query parameter has a value that is not allowed."),
        "unauthorized": _("Send a valid API token: Authorization: Bearer <token>."),
        "missing_token": _("Send a valid API token: Authorization: Bearer <token>."),
        "invalid_token": _("The API token is unknown, revoked or belongs to an inactive account."),
        "forbidden": _("Your role does not allow this."),
        "not_allowed": _("Your role does not allow this."),
        "not_found": _("Not found, or not shared with you."),
        "method_not_allowed": _("This method is not allowed here."),
        "conflict": _("The answer changed since you read it; the stored version is in details."),
        "payload_too_large": _("The request is too large."),
        "unsupported_media_type": _("Send JSON."),
        "validation_failed": _("Some values are not valid; see details."),
        "too_many_requests": _("Too many requests; try again in a minute."),
        "field_required": _("A required field is missing; see details."),
        "wrong_type": _("A field has the wrong type; see details."),
        "too_long": _("A value is too long; see details."),
        "invalid_text": _("Text may not contain NUL characters or unpaired surrogates."),
        "name_required": _("Enter the organisation's name."),
        "unknown_type": _("Choose one of the listed types."),
        "unknown_size": _("Choose one of the listed sizes."),
        "duplicate_name": _(
            "An organisation with this name exists already; send allow_duplicate: true "
            "to create another."
        ),
        "unknown_questionnaire": _("There is no questionnaire with this id."),
        "audit_locked": _("This audit has been submitted; answers can no longer be changed."),
        "already_submitted": _("This audit has already been submitted."),
        "missing_answers": _("Some questions are still unanswered; see details."),
        "not_submitted": _("Reports and frozen results exist for submitted audits only."),
        "unknown_design": _("Choose one of the report designs."),
        "unknown_language": _("Choose Polish (pl) or English (en)."),
        "nothing_to_compare": _(
            "A progress report needs an earlier submitted audit of the same organisation."
        ),
        "bad_comparison": _("Choose a submitted audit of the same organisation to compare with."),
        "report_not_ready": _("The report is not ready; see its status."),
        "report_failed": _("The report could not be rendered; see its status."),
        "internal_error": _("Something went wrong on our side."),
    }


def error_body(
    code: str, details: Mapping[str, Any] | None = None, message: str | None = None
) -> dict[str, Any]:
    text = message or messages().get(code) or code.replace("_", " ")
    return {"error": text, "code": code, "details": dict(details) if details is not None else None}


@bp.errorhandler(ApiError)
def api_error(error: ApiError) -> ResponseReturnValue:
    db.session.rollback()
    response = jsonify(error_body(error.code, error.details, error.message))
    response.status_code = error.status
    for name, value in error.headers.items():
        response.headers[name] = value
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@bp.errorhandler(errors.NotFound)
def not_found(_error: errors.NotFound) -> ResponseReturnValue:
    return http_error(NotFound())


@bp.errorhandler(errors.Forbidden)
def forbidden(_error: errors.Forbidden) -> ResponseReturnValue:
    return http_error(Forbidden())


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> ResponseReturnValue:
    db.session.rollback()
    status = error.code or 500
    response = jsonify(error_body(HTTP_CODES.get(status, "error")))
    response.status_code = status
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@bp.errorhandler(Exception)
def server_error(error: Exception) -> ResponseReturnValue:
    db.session.rollback()
    current_app.logger.exception("Unhandled API error: %s", error)
    return jsonify(error_body("internal_error")), 500


# --------------------------------------------------------------------------- authentication


@bp.before_request
def authenticate() -> None:
    # Flask-Login reads `g._login_user` before the session: setting it first means a
    # session cookie never authenticates an API call (and current_user is the token's).
    g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
    if request.endpoint in OPEN_ENDPOINTS:
        return
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        fail(401, "missing_token")
    found = api_tokens.authenticate(secret.strip())
    if found is None:
        db.session.rollback()
        fail(401, "invalid_token")
    user, token = found
    db.session.commit()  # last_used_at
    g.api_user = user
    g.api_token_id = token.id
    g._login_user = user


def api_user() -> User:
    user: User = g.api_user
    return user


# --------------------------------------------------------------------------- lookups


def check_id(value: int) -> int:
    if not 0 < value <= MAX_ID:
        raise NotFound()
    return value


def organisation_for(organisation_id: int, *, edit: bool = False) -> Organisation:
    return access.organisation_or_404(api_user(), check_id(organisation_id), edit=edit)


def audit_for(audit_id: int, *, edit: bool = False) -> Audit:
    return access.audit_or_404(api_user(), check_id(audit_id), edit=edit)


# --------------------------------------------------------------------------- query and body


def int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 12) or not low <= int(raw) <= high:
        fail(400, "invalid_parameter", {"parameter": name, "minimum": low, "maximum": high})
    return int(raw)


def text_arg(name: str, max_length: int = 200) -> str:
    raw = request.args.get(name, "")
    if len(raw) > max_length or not _clean_text(raw):
        fail(400, "invalid_parameter", {"parameter": name})
    return raw.strip()


def paging() -> tuple[int, int]:
    """`limit` (1-100, default 20) and `offset` (0-100000) from the query string."""
    return int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT), int_arg("offset", 0, 0, MAX_OFFSET)


def page(items: list[Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    """The list envelope; `next` is the link to the following page (null on the last)."""
    following = offset + limit
    next_url = None
    if following < total and following <= MAX_OFFSET:
        values: dict[str, Any] = {
            **request.args.to_dict(),
            **(request.view_args or {}),
            "limit": limit,
            "offset": following,
        }
        next_url = url_for(request.endpoint or "", **values)
    return {"items": items, "total": total, "limit": limit, "offset": offset, "next": next_url}


def _clean_text(value: str) -> bool:
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(value: Any, field: str) -> None:
    """422 for text a database cannot store: NUL characters, unpaired surrogates."""
    texts = value if isinstance(value, list) else [value]
    if any(isinstance(t, str) and not _clean_text(t) for t in texts):
        fail(422, "invalid_text", {"field": field})


def json_body() -> dict[str, Any]:
    """The request body as a JSON object (400 otherwise); unknown fields are ignored."""
    data = request.get_json(force=True, silent=True)
    if not isinstance(data, dict):
        fail(400, "bad_request", {"expected": "a JSON object"})
    return data


def text_field(
    data: Mapping[str, Any], name: str, *, required: bool = False, max_length: int | None = None
) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            fail(422, "field_required", {"field": name})
        return None
    if not isinstance(value, str):
        fail(422, "wrong_type", {"field": name, "expected": "string"})
    check_text(value, name)
    if max_length is not None and len(value) > max_length:
        fail(422, "too_long", {"field": name, "max_length": max_length})
    return value


def int_field(data: Mapping[str, Any], name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        fail(422, "wrong_type", {"field": name, "expected": "integer"})
    return value


def bool_field(data: Mapping[str, Any], name: str) -> bool:
    value = data.get(name, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        fail(422, "wrong_type", {"field": name, "expected": "boolean"})
    return value


# --------------------------------------------------------------------------- unknown paths


@bp.route("/", defaults={"path": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@bp.route("/<path:path>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(path: str) -> ResponseReturnValue:
    """JSON 404 (or 405 with Allow) for paths and methods the API does not have."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        try:
            endpoint, _args = adapter.match(request.path, method=method)
        except HTTPException:
            continue
        if endpoint != "api.unknown":
            allowed.append(method)
    if allowed:
        raise ApiError(405, "method_not_allowed", headers={"Allow": ", ".join(allowed)})
    raise ApiError(404, "not_found")
