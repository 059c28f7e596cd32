from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from audit_app.extensions import db
from audit_app.models.base import utcnow

ROLES = ("admin", "consultant", "viewer")


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="consultant")
    language: Mapped[str] = mapped_column(String(5), default="pl")
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Stored in the session cookie at login and compared on every request: bumping it
    # (logout, password/role change, deactivation, "log out everywhere") ends every
    # session made before, even a copied cookie.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class LoginAttempt(db.Model):  # type: ignore[name-defined,misc]
    """One try at logging in, kept a day: counted in the database so every worker sees
    the same numbers (per address a minute, failures per e-mail address, known or not)."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_created", "email", "created_at"),
        Index("ix_login_attempts_address_created", "address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(10))  # ok, failed, locked, throttled
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
