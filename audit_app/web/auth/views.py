"""First administrator, log in, log out, language switch."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user, logout_user

from audit_app.extensions import db
from audit_app.models import User
from audit_app.services import accounts
from audit_app.web.auth.forms import AccountForm, LanguageForm, LoginForm
from audit_app.web.redirects import safe_next

bp = Blueprint("auth", __name__)

SESSION_VERSION = "session_version"
OPEN_ENDPOINTS = {"auth.setup", "auth.login", "auth.language", "static"}


def init_login(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The session's user while the session is current: the version stored at
        login must still be the user's (logout, a new password, another role,
        deactivation or "log out everywhere" bump it) and the account active."""
        user = db.session.get(User, int(user_id))
        if user is None or not user.active:
            return None
        if session.get(SESSION_VERSION) != user.session_version:
            return None
        return user


def start_session(user: User) -> None:
    session.clear()
    login_user(user)
    keep_session(user)
    session.permanent = True


def keep_session(user: User) -> None:
    """This browser's session follows the user's current session version."""
    session[SESSION_VERSION] = user.session_version


@bp.before_app_request
def require_first_admin() -> ResponseReturnValue | None:
    """An empty install sends every visitor to create the first administrator."""
    if request.endpoint in OPEN_ENDPOINTS or request.endpoint is None:
        return None
    if request.blueprint in ("share", "respond", "api", "health", "mail"):
        return None
    if current_user.is_authenticated:  # someone is signed in: there are users (no query)
        return None
    if not accounts.has_users():
        return redirect(url_for("auth.setup"))
    return None


@bp.route("/setup", methods=["GET", "POST"])
def setup() -> ResponseReturnValue:
    if accounts.has_users():
        return redirect(url_for("auth.login"))
    form = AccountForm()
    if form.validate_on_submit():
        user = accounts.create_user(
            email=form.email.data or "",
            name=form.name.data or "",
            password=form.password.data or "",
            role="admin",
            language=form.language.data or "pl",
        )
        db.session.commit()
        start_session(user)
        flash(_("Welcome! Your administrator account is ready."), "success")
        return redirect(url_for("main.dashboard"))
    return render_template("auth/setup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if not accounts.has_users():
        return redirect(url_for("auth.setup"))
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(
                form.email.data or "",
                form.password.data or "",
                address=request.remote_addr or "",
                per_minute=_attempts_per_minute(),
            )
        except accounts.LoginThrottled:
            db.session.commit()
            flash(_("Too many login attempts. Try again in a minute."), "error")
            return render_template("auth/login.html", form=form), 429
        except accounts.LoginLocked as locked:
            db.session.commit()
            flash(
                _(
                    "Too many failed attempts. The account is locked until %(time)s.",
                    time=format_datetime(locked.until, "short"),
                ),
                "error",
            )
            return render_template("auth/login.html", form=form), 429
        db.session.commit()
        if user is None:
            flash(_("Wrong e-mail or password."), "error")
            return render_template("auth/login.html", form=form), 401
        start_session(user)
        return redirect(safe_next(request.args.get("next"), url_for("main.dashboard")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> ResponseReturnValue:
    """Ends this session and every other one of the user (a copied cookie included)."""
    accounts.end_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def language() -> ResponseReturnValue:
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.language.data
        if current_user.is_authenticated:
            current_user.language = form.language.data
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("main.dashboard")))


def _attempts_per_minute() -> int:
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return 1_000_000
    return int(config["LOGIN_ATTEMPTS_PER_MINUTE"])
