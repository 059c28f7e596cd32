"""The messages, each written in its recipient's language (pl or en) as plain text and
HTML from one set of parts: a greeting, paragraphs, one button (the link), optional
lists (the digest), a closing line and a footer saying why the mail came."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from audit_app.models import Audit, Respondent, User
from audit_app.services.mail.outbox import Draft

LANGUAGES = ("pl", "en")


@dataclass
class Parts:
    subject: str
    greeting: str
    paragraphs: list[str]
    action_label: str = ""
    action_url: str = ""
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    closing: str = ""
    footer: list[str] = field(default_factory=list)
    unsubscribe_url: str = ""
    unsubscribe_label: str = ""


def language_of(value: str | None) -> str:
    return value if value in LANGUAGES else "pl"


def draft(purpose: str, recipient: str, name: str, lang: str, parts: Parts) -> Draft:
    """Render the parts (inside the recipient's locale) as text and HTML."""
    return Draft(
        purpose=purpose,
        recipient=recipient,
        recipient_name=name,
        language=lang,
        subject=parts.subject,
        body_text=render_template("mail/message.txt", m=parts),
        body_html=render_template("mail/message.html", m=parts, lang=lang),
        unsubscribe_url=parts.unsubscribe_url,
    )


def hello(name: str) -> str:
    return str(_("Hello %(name)s,", name=name) if name else _("Hello,"))


def _questionnaire_title(audit: Audit, lang: str) -> str:
    from audit_app.services.audits import questionnaire_for

    return questionnaire_for(audit).title.get(lang)


def invitation(
    audit: Audit,
    respondent: Respondent,
    url: str,
    lang: str,
    *,
    reminder: bool = False,
    unsubscribe_url: str = "",
) -> Draft:
    lang = language_of(lang)
    organisation = audit.organisation.name
    with force_locale(lang):
        subject = _(
            "Your view on %(organisation)s: %(title)s",
            organisation=organisation,
            title=_questionnaire_title(audit, lang),
        )
        first = (
            _(
                "a reminder: we would still like to hear how you see %(organisation)s. "
                "What you have answered so far is saved; the link takes you back to where "
                "you stopped.",
                organisation=organisation,
            )
            if reminder
            else _(
                "we are assessing how ready %(organisation)s is for CRM and would like to "
                "hear how you see it. Answering takes about 15 minutes and works on a phone; "
                "your answers are saved as you go.",
                organisation=organisation,
            )
        )
        parts = Parts(
            subject=_("Reminder: %(subject)s", subject=subject) if reminder else subject,
            greeting=hello(respondent.name),
            paragraphs=[
                first,
                _(
                    "The link is yours alone: please do not forward it. It works until %(date)s.",
                    date=format_date(respondent.expires_at, "long"),
                ),
            ],
            action_label=_("Open the questionnaire"),
            action_url=url,
            closing=_("Thank you!"),
            footer=_optional_footer(unsubscribe_url),
            unsubscribe_url=unsubscribe_url,
            unsubscribe_label=_("No more such messages"),
        )
        return draft(
            "reminder" if reminder else "invitation",
            respondent.email,
            respondent.name,
            lang,
            parts,
        )


def _optional_footer(unsubscribe_url: str) -> list[str]:
    if not unsubscribe_url:
        return []
    return [_("You get this message because a consultant invited you to answer a questionnaire.")]


def password_reset(user: User, url: str) -> Draft:
    lang = language_of(user.language)
    with force_locale(lang):
        parts = Parts(
            subject=_("Choose a new password"),
            greeting=hello(user.name),
            paragraphs=[
                _(
                    "someone, hopefully you, asked for a new password for the account "
                    "%(email)s. The link works once, for one hour.",
                    email=user.email,
                ),
                _("If you did not ask for it, ignore this message: your password stays as it is."),
            ],
            action_label=_("Choose a new password"),
            action_url=url,
        )
        return draft("password_reset", user.email, user.name, lang, parts)


def new_user(user: User, login_url: str) -> Draft:
    lang = language_of(user.language)
    with force_locale(lang):
        parts = Parts(
            subject=_("Your account in the readiness audit"),
            greeting=hello(user.name),
            paragraphs=[
                _(
                    "an administrator has created an account for you. You log in with this "
                    "e-mail address, %(email)s.",
                    email=user.email,
                ),
                _(
                    "The administrator tells you the password; or choose one yourself with "
                    "“Forgot your password?” on the log-in page."
                ),
            ],
            action_label=_("Log in"),
            action_url=login_url,
        )
        return draft("new_user", user.email, user.name, lang, parts)


@dataclass
class DigestContent:
    overdue: list[str]
    upcoming: list[str]
    audits: list[str]

    def __bool__(self) -> bool:
        return bool(self.overdue or self.upcoming or self.audits)


def digest(
    user: User, content: DigestContent, dashboard_url: str, unsubscribe_url: str, day: datetime
) -> Draft:
    lang = language_of(user.language)
    with force_locale(lang):
        sections = [
            (_("Overdue follow-ups"), content.overdue),
            (_("Follow-ups due in the next 7 days"), content.upcoming),
            (_("Audits with news since yesterday"), content.audits),
        ]
        parts = Parts(
            subject=_("Your day: follow-ups and audits, %(date)s", date=format_date(day, "long")),
            greeting=hello(user.name),
            paragraphs=[_("here is what needs your attention today.")],
            action_label=_("Open the dashboard"),
            action_url=dashboard_url,
            sections=[(title, lines) for title, lines in sections if lines],
            footer=[_("You get this daily summary because you work with the readiness audit.")],
            unsubscribe_url=unsubscribe_url,
            unsubscribe_label=_("No more summaries"),
        )
        return draft("digest", user.email, user.name, lang, parts)
