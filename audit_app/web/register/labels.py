"""Translated labels of the register's codes and messages of its error codes."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

LABELS: dict[str, dict[str, Any]] = {
    "channel": {
        "in_person": _l("In person"),
        "phone": _l("Phone"),
        "email": _l("E-mail"),
        "video": _l("Video call"),
        "chat": _l("Chat"),
        "letter": _l("Letter"),
        "event": _l("Event"),
    },
    "direction": {
        "out": _l("Outbound (we contacted them)"),
        "in": _l("Inbound (they contacted us)"),
    },
    "direction_short": {"out": _l("outbound"), "in": _l("inbound")},
    "segment": {
        "loyal": _l("Loyal"),
        "regular": _l("Regular"),
        "sporadic": _l("Sporadic"),
        "lapsed": _l("Lapsed"),
        "none": _l("No contact yet"),
    },
    "priority": {"low": _l("Low"), "normal": _l("Normal"), "high": _l("High")},
    "status": {"open": _l("Open"), "done": _l("Done"), "cancelled": _l("Cancelled")},
    "consent_status": {
        "granted": _l("Granted"),
        "withdrawn": _l("Withdrawn"),
        "not_asked": _l("Not asked"),
    },
    "basis": {
        "consent": _l("Consent"),
        "contract": _l("Contract"),
        "legal_obligation": _l("Legal obligation"),
        "vital_interest": _l("Vital interest"),
        "public_interest": _l("Public interest"),
        "legitimate_interest": _l("Legitimate interest"),
    },
    "source": {
        "website": _l("Website form"),
        "phone": _l("Phone call"),
        "email": _l("E-mail"),
        "in_person": _l("In person"),
        "paper": _l("Paper form"),
        "event": _l("Event"),
        "third_party": _l("Third party"),
    },
    "purpose": {
        "contact": _l("Contact about our work"),
        "newsletter": _l("Newsletter"),
        "events": _l("Invitations to events"),
        "named_in_report": _l("May be named in audit reports"),
        "research": _l("Research and surveys"),
    },
    "language": {
        "pl": _l("Polish"),
        "en": _l("English"),
        "de": _l("German"),
        "uk": _l("Ukrainian"),
        "fr": _l("French"),
        "es": _l("Spanish"),
        "it": _l("Italian"),
        "cs": _l("Czech"),
        "ru": _l("Russian"),
    },
    "source_kind": {"typed": _l("typed"), "imported": _l("imported")},
    "import_status": {
        "created": _l("created"),
        "updated": _l("updated"),
        "unchanged": _l("unchanged"),
        "rejected": _l("rejected"),
    },
    "action": {
        "create": _l("created"),
        "update": _l("changed"),
        "delete": _l("deleted"),
        "merge": _l("merged"),
        "merged_into": _l("merged into another record"),
        "erase": _l("erased (GDPR)"),
        "membership": _l("membership changed"),
        "consent": _l("consent recorded"),
        "status": _l("status changed"),
    },
    "last_contact": {
        "7": _l("In the last 7 days"),
        "30": _l("In the last 30 days"),
        "90": _l("In the last 90 days"),
        "365": _l("In the last year"),
        "over90": _l("Not for 90 days or more"),
        "over365": _l("Not for a year or more"),
        "never": _l("Never"),
    },
    "flag": {"primary": _l("primary"), "opt_out": _l("opted out")},
    "kind": {
        "people": _l("People"),
        "organisations": _l("Organisations"),
        "interactions": _l("Interactions"),
    },
    "mode": {
        "create": _l("Only add new records"),
        "update": _l("Only update existing records"),
        "upsert": _l("Add new and update existing records"),
    },
    "field": {
        "first_name": _l("First name"),
        "last_name": _l("Last name"),
        "full_name": _l("Full name (first and last)"),
        "email": _l("E-mail"),
        "phone": _l("Phone"),
        "job_title": _l("Job title"),
        "organisation": _l("Organisation"),
        "role": _l("Role in the organisation"),
        "language": _l("Language"),
        "preferred_channel": _l("Preferred channel"),
        "notes": _l("Notes"),
        "tags": _l("Tags"),
        "name": _l("Name"),
        "type": _l("Type"),
        "size": _l("Size"),
        "sector": _l("Sector"),
        "city": _l("City"),
        "domain": _l("Domain"),
        "owner_id": _l("Owner"),
        "stay_in_touch_days": _l("Stay in touch every (days)"),
        "emails": _l("E-mails"),
        "phones": _l("Phones"),
        "occurred_at": _l("Date"),
        "channel": _l("Channel"),
        "direction": _l("Direction"),
        "duration_minutes": _l("Duration (minutes)"),
        "subject": _l("Subject"),
        "summary": _l("Summary"),
        "outcome": _l("Outcome"),
        "organisation_id": _l("Organisation"),
        "participants": _l("Participants"),
        "title": _l("Title"),
        "due_on": _l("Due date"),
        "priority": _l("Priority"),
        "assignee_id": _l("Assigned to"),
        "person_id": _l("Person"),
        "interaction_id": _l("Interaction"),
        "status": _l("Status"),
        "merged_from": _l("Merged from record"),
        "person": _l("Person"),
        "ended_on": _l("Ended on"),
    },
}

ERRORS: dict[str, Any] = {
    "not_allowed": _l("You may not change the register."),
    "name_required": _l("Enter a first or last name."),
    "invalid_email": _l("One of the e-mail addresses is not valid."),
    "invalid_phone": _l("One of the phone numbers is not valid (6 to 15 digits)."),
    "unknown_channel": _l("Choose one of the listed channels."),
    "unknown_language": _l("Choose one of the listed languages."),
    "invalid_cadence": _l("Enter a number of days between 1 and 3650."),
    "unknown_owner": _l("Choose one of the listed users."),
    "organisation_required": _l("Enter the organisation's name."),
    "organisation_not_found": _l("No organisation you can edit has this name; add it first."),
    "organisation_ambiguous": _l("Several organisations have this name; use the search."),
    "ended_before_start": _l("The end date is before the start date."),
    "unknown_direction": _l("Choose a direction."),
    "invalid_duration": _l("Enter a duration between 0 and 1440 minutes."),
    "unknown_participant": _l("One of the people cannot be found."),
    "nobody_contacted": _l("Choose at least one person or an organisation."),
    "title_required": _l("Enter a title."),
    "unknown_priority": _l("Choose a priority."),
    "unknown_interaction": _l("The interaction cannot be found."),
    "unknown_status": _l("Choose one of the listed statuses."),
    "unknown_purpose": _l("Choose a purpose."),
    "unknown_basis": _l("Choose a lawful basis."),
    "unknown_source": _l("Choose a source."),
    "invalid_domain": _l("Enter a domain such as biblioteka.pl."),
    "same_record": _l("Choose two different records."),
    "already_reverted": _l("This import has already been reverted."),
    "already_erased": _l("This person has already been erased."),
    "confirmation_mismatch": _l("The name you typed does not match. Nothing was erased."),
    "unknown_mode": _l("Choose an import mode."),
}


def label(kind: str, code: str | None) -> str:
    if code is None or code == "":
        return ""
    found = LABELS.get(kind, {}).get(code)
    return str(found) if found is not None else str(code)


def error_message(code: str) -> str:
    message = ERRORS.get(code)
    return str(message) if message is not None else str(_l("The data could not be saved."))
