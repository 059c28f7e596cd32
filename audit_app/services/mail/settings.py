"""Mail settings from the app's config (entered from the environment in config.py)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app


def enabled() -> bool:
    """Mail is on when an SMTP server is configured; otherwise links are copied by hand."""
    return bool(current_app.config.get("MAIL_SERVER"))


@dataclass(frozen=True)
class SmtpSettings:
    server: str
    port: int
    use_tls: bool
    use_ssl: bool
    username: str | None
    password: str | None
    sender: str
    timeout: float


class MailOff(Exception):
    """Sending was asked for while MAIL_SERVER is unset."""


def smtp_settings() -> SmtpSettings:
    config = current_app.config
    if not enabled():
        raise MailOff()
    server = str(config["MAIL_SERVER"])
    return SmtpSettings(
        server=server,
        port=int(config.get("MAIL_PORT") or 25),
        use_tls=bool(config.get("MAIL_USE_TLS")),
        use_ssl=bool(config.get("MAIL_USE_SSL")),
        username=config.get("MAIL_USERNAME"),
        password=config.get("MAIL_PASSWORD"),
        sender=config.get("MAIL_DEFAULT_SENDER") or f"audit@{server}",
        timeout=float(config.get("MAIL_TIMEOUT") or 30),
    )
