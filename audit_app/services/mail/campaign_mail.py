"""Reminders from a campaign's organiser to the members that have not submitted (not
started or in progress), through the outbox.

A member's address is its contact in the register: among the people with a current
membership of the organisation (not ended, not erased), the first one added whose
primary (else first) e-mail address is not opted out, in the register or by
unsubscribing. The mail goes in that person's language when the register holds it
(pl or en), else in Polish. Members without such a contact are "not reachable": the
confirmation page names them and they get nothing. Each member reminded gets
`last_reminded_at`, shown in participation; the sending is recorded in the audit trail.
Services flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Campaign, CampaignMember, Membership, Person, User
from audit_app.services import trail
from audit_app.services.mail import compose, optouts, outbox, settings
from audit_app.services.mail.links import external_url
from audit_app.services.mail.respondent_mail import unsubscribe_url

PURPOSE = "campaign_reminder"


@dataclass(frozen=True)
class Recipient:
    member: CampaignMember
    state: str  # not_started or in_progress
    email: str | None  # None: not reachable
    name: str  # the contact's name ("" when not reachable)
    language: str  # pl or en


def _contacts(organisation_ids: list[int]) -> dict[int, tuple[str, str, str]]:
    """Organisation id -> (address, name, language) of its register contact."""
    found: dict[int, tuple[str, str, str]] = {}
    if not organisation_ids:
        return found
    memberships = db.session.scalars(
        select(Membership)
        .join(Person, Membership.person_id == Person.id)
        .options(selectinload(Membership.person).selectinload(Person.emails))
        .where(
            Membership.organisation_id.in_(organisation_ids),
            Membership.ended_on.is_(None),
            Person.erased_at.is_(None),
        )
        .order_by(Membership.id)
    )
    for membership in memberships:
        if membership.organisation_id in found:
            continue
        person = membership.person
        # Primary first (the relationship's order), then the others.
        for address in person.emails:
            if address.email and not optouts.opted_out(address.email):
                name = f"{person.first_name} {person.last_name}".strip()
                found[membership.organisation_id] = (
                    address.email,
                    name,
                    compose.language_of(person.language),
                )
                break
    return found


def recipients(campaign: Campaign) -> list[Recipient]:
    """Every member that has not submitted, with its address or none, by name."""
    from audit_app.services.campaign_results import campaign_audits

    audits = campaign_audits(campaign)
    members = db.session.scalars(
        select(CampaignMember)
        .options(selectinload(CampaignMember.organisation))
        .where(CampaignMember.campaign_id == campaign.id)
    )
    waiting = []
    for member in members:
        submitted, open_ = audits.get(member.organisation_id, (None, None))
        if submitted is None:
            waiting.append((member, "in_progress" if open_ else "not_started"))
    contacts = _contacts([m.organisation_id for m, _state in waiting])
    found = []
    for member, state in waiting:
        email, name, lang = contacts.get(member.organisation_id, (None, "", "pl"))
        found.append(Recipient(member, state, email, name, lang))
    return sorted(found, key=lambda r: (r.member.organisation.name.casefold(), r.member.id))


def reminder(campaign: Campaign, recipient: Recipient, organiser: User) -> outbox.Draft:
    assert recipient.email is not None
    lang = recipient.language
    organisation = recipient.member.organisation.name
    with force_locale(lang):
        first = (
            _(
                "%(organisation)s has started the audit of the campaign %(campaign)s but has "
                "not submitted it yet.",
                organisation=organisation,
                campaign=campaign.name,
            )
            if recipient.state == "in_progress"
            else _(
                "%(organisation)s takes part in the campaign %(campaign)s and has not "
                "started its audit yet.",
                organisation=organisation,
                campaign=campaign.name,
            )
        )
        unsubscribe = unsubscribe_url(recipient.email)
        parts = compose.Parts(
            subject=_("Reminder: the campaign %(campaign)s", campaign=campaign.name),
            greeting=compose.hello(recipient.name),
            paragraphs=[
                first,
                _(
                    "The campaign ends on %(date)s. The campaign's page shows its terms and "
                    "leads to the audit.",
                    date=format_date(campaign.ends_on, "long"),
                ),
            ],
            action_label=_("Open the campaign"),
            action_url=external_url("campaigns.membership", member_id=recipient.member.id),
            closing=_("Regards, %(name)s", name=organiser.name),
            footer=[
                _(
                    "You get this message because your organisation is a member of the "
                    "campaign and the register names you as its contact."
                )
            ],
            unsubscribe_url=unsubscribe,
            unsubscribe_label=_("No more such messages"),
        )
        return compose.draft(PURPOSE, recipient.email, recipient.name, lang, parts)


def send_reminders(user: User, campaign: Campaign) -> list[Recipient]:
    """Queues a reminder to every reachable member that has not submitted; returns them."""
    if not settings.enabled():
        raise UserError("mail_off")
    now = datetime.now(UTC)
    sent = []
    for recipient in recipients(campaign):
        if recipient.email is None:
            continue
        outbox.queue(reminder(campaign, recipient, user))
        recipient.member.last_reminded_at = now
        sent.append(recipient)
    if not sent:
        raise UserError("nobody_to_remind")
    trail.record(
        user.id,
        "campaign_reminders_sent",
        "campaign",
        campaign.id,
        organisation_ids=[r.member.organisation_id for r in sent],
    )
    db.session.flush()
    return sent
