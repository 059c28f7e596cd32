"""From a stored outbox row to SMTP: the standard library's `email.message` builds the
message (RFC 2047 encoded headers, UTF-8 text and HTML parts), `smtplib` sends it over
one connection reused for a whole run.

Failures become `DeliveryError`: permanent for a 5xx reply about the message or its
recipient, temporary for everything else (4xx, connection refused or lost, timeouts,
a refused login: fixing the settings should let the message go)."""

from __future__ import annotations

import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from types import TracebackType

from audit_app.models import OutboxMessage
from audit_app.services.mail.settings import SmtpSettings

AUTOMATIC = ("reminder", "digest")  # Auto-Submitted: no out-of-office replies wanted


class DeliveryError(Exception):
    def __init__(self, text: str, *, permanent: bool, connection: bool = False) -> None:
        super().__init__(text)
        self.permanent = permanent
        self.connection = connection  # the server itself is unreachable: stop this run


def build(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = sender
    email["To"] = Address(display_name=message.recipient_name, addr_spec=message.recipient)
    email["Date"] = formatdate(usegmt=True)
    email["Message-ID"] = message.message_id
    if message.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if message.purpose in AUTOMATIC:
        email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body_text, cte="quoted-printable")
    email.add_alternative(message.body_html, subtype="html", cte="quoted-printable")
    email["Content-Language"] = message.language  # after the parts: set_content clears it
    return email


def sender_domain(sender: str) -> str:
    return parseaddr(sender)[1].rpartition("@")[2] or "localhost"


class SmtpConnection:
    """Opened on the first message, closed when the run ends (a context manager)."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpConnection:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        smtp: smtplib.SMTP
        if s.use_ssl:
            smtp = smtplib.SMTP_SSL(
                s.server, s.port, timeout=s.timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(s.server, s.port, timeout=s.timeout)
        try:
            if s.use_tls and not s.use_ssl:
                smtp.starttls(context=ssl.create_default_context())
            if s.username:
                smtp.login(s.username, s.password or "")
        except BaseException:
            smtp.close()  # connected but unusable: do not leak the socket
            raise
        return smtp

    def send(self, message: OutboxMessage) -> None:
        try:
            email = build(message, self.settings.sender)
        except (ValueError, TypeError) as error:  # e.g. an address the headers refuse
            raise DeliveryError(f"unusable message: {error}", permanent=True) from None
        if self._smtp is None:
            try:
                self._smtp = self._open()
            except (smtplib.SMTPException, OSError) as error:  # down, TLS, login refused
                raise DeliveryError(_problem(error), permanent=False, connection=True) from None
        try:
            self._smtp.send_message(email)
        except smtplib.SMTPNotSupportedError as error:  # e.g. a non-ASCII address
            raise DeliveryError(str(error), permanent=True) from None
        except smtplib.SMTPRecipientsRefused as refused:
            code, text = next(iter(refused.recipients.values()))
            raise DeliveryError(_reply(code, text), permanent=code >= 500) from None
        except smtplib.SMTPResponseException as error:
            if error.smtp_code >= 500:
                raise DeliveryError(
                    _reply(error.smtp_code, error.smtp_error), permanent=True
                ) from None
            self.close()
            raise DeliveryError(
                _reply(error.smtp_code, error.smtp_error), permanent=False
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise DeliveryError(_problem(error), permanent=False, connection=True) from None


def _problem(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()
