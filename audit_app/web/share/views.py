"""Read-only share links: the issued PDF and a results summary, without an account.

The app lets the `share` blueprint through without login; the signed token is the
only key. Everything shown comes from the archived report (its PDF and the JSON
context it was rendered from), in the report's language.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template
from flask.typing import ResponseReturnValue
from flask_babel import force_locale

from audit_app.extensions import db
from audit_app.models import IssuedReport, ShareLink
from audit_app.services import sharing, signed_links

bp = Blueprint("share", __name__, url_prefix="/share")


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _link(token: str) -> tuple[ShareLink | None, str | None]:
    try:
        return sharing.resolve(token), None
    except signed_links.LinkNotFound:
        abort(404)
    except signed_links.LinkGone as gone:
        return None, gone.reason


def _gone(reason: str) -> Response:
    response = Response(render_template("share/gone.html", reason=reason), status=410)
    return _no_store(response)


@bp.route("/<token>")
def show(token: str) -> ResponseReturnValue:
    link, gone = _link(token)
    if link is None:
        return _gone(gone or "expired")
    report = db.session.get(IssuedReport, link.report_id)
    if report is None:
        abort(404)
    context: dict[str, Any] = report.context or {}
    sharing.record_opened(link)
    db.session.commit()
    with force_locale(str(context.get("lang") or "pl")):
        html = render_template(
            "share/summary.html", report=report, link=link, token=token, r=context
        )
    return _no_store(Response(html))


@bp.route("/<token>/report.pdf")
def pdf(token: str) -> ResponseReturnValue:
    link, gone = _link(token)
    if link is None:
        return _gone(gone or "expired")
    report = db.session.get(IssuedReport, link.report_id)
    if report is None:
        abort(404)
    response = Response(report.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{report.filename}"'
    response.headers["X-Content-SHA256"] = report.sha256
    return _no_store(response)
