from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from audit_app.services.dashboard import dashboard_for

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def dashboard() -> ResponseReturnValue:
    return render_template("main/dashboard.html", dashboard=dashboard_for(current_user))
