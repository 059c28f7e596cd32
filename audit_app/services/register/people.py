"""People: create and edit (names, several e-mails and phones, tags, owner), with a
duplicate check, and their memberships in organisations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Organisation, Person, PersonEmail, PersonPhone, User
from audit_app.models.base import utcnow
from audit_app.models.register import CHANNELS
from audit_app.services.register import changelog, memberships, tags
from audit_app.services.register.access import is_editor, person_visible
from audit_app.services.register.text import (
    email_key,
    name_key,
    normalise_name,
    phone_key,
    sort_key,
    split_tags,
    valid_email,
    valid_phone,
)

LANGUAGES = ("pl", "en", "de", "uk", "fr", "es", "it", "cs", "ru")
FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "preferred_channel",
    "language",
    "notes",
    "owner_id",
    "stay_in_touch_days",
)


@dataclass
class ContactValue:
    value: str
    primary: bool = False
    opt_out: bool = False


@dataclass
class PersonInput:
    first_name: str = ""
    last_name: str = ""
    job_title: str = ""
    preferred_channel: str = ""
    language: str = ""
    notes: str = ""
    emails: list[ContactValue] = field(default_factory=list)
    phones: list[ContactValue] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    owner_id: int | None = None
    stay_in_touch_days: int | None = None


def _clean_values(values: list[ContactValue], kind: str) -> list[ContactValue]:
    cleaned: list[ContactValue] = []
    seen: set[str] = set()
    for index, item in enumerate(values):
        value = " ".join(item.value.split())
        if not value:
            continue
        ok = valid_email(value) if kind == "emails" else valid_phone(value)
        if not ok:  # named by its row, so the message is shown at that address
            raise UserError(f"invalid_{kind[:-1]}", field=f"{kind}-{index}-value")
        key = email_key(value) if kind == "emails" else phone_key(value)
        if key in seen:
            continue
        seen.add(key)
        cleaned.append(ContactValue(value, item.primary, item.opt_out))
    if cleaned:
        primary = next((i for i, v in enumerate(cleaned) if v.primary), 0)
        for i, item in enumerate(cleaned):
            item.primary = i == primary
        cleaned.sort(key=lambda v: not v.primary)
    return cleaned


def validate(data: PersonInput) -> PersonInput:
    first, last = " ".join(data.first_name.split()), " ".join(data.last_name.split())
    if not first and not last:
        raise UserError("name_required", field="last_name")
    if data.preferred_channel and data.preferred_channel not in CHANNELS:
        raise UserError("unknown_channel", field="preferred_channel")
    language = data.language.strip().lower()
    if language and language not in LANGUAGES:
        raise UserError("unknown_language", field="language")
    if data.stay_in_touch_days is not None and not 1 <= data.stay_in_touch_days <= 3650:
        raise UserError("invalid_cadence", field="stay_in_touch_days")
    if data.owner_id is not None and db.session.get(User, data.owner_id) is None:
        raise UserError("unknown_owner", field="owner_id")
    return PersonInput(
        first_name=first[:100],
        last_name=last[:150],
        job_title=data.job_title.strip()[:200],
        preferred_channel=data.preferred_channel,
        language=language,
        notes=data.notes.strip(),
        emails=_clean_values(data.emails, "emails"),
        phones=_clean_values(data.phones, "phones"),
        tags=split_tags(",".join(data.tags)),
        owner_id=data.owner_id,
        stay_in_touch_days=data.stay_in_touch_days,
    )


def snapshot(person: Person) -> dict[str, Any]:
    """The person's editable values (as the change log records them)."""
    values: dict[str, Any] = {name: getattr(person, name) for name in FIELDS}
    for name in ("job_title", "preferred_channel", "language"):
        values[name] = values[name] or ""
    values["emails"] = [
        {"value": e.email, "primary": e.is_primary, "opt_out": e.opt_out} for e in person.emails
    ]
    values["phones"] = [
        {"value": p.phone, "primary": p.is_primary, "opt_out": p.opt_out} for p in person.phones
    ]
    values["tags"] = tags.names(person.tags)
    return values


def input_from_snapshot(values: dict[str, Any]) -> PersonInput:
    """The input that gives a person the values of an earlier `snapshot`."""

    def contact(items: list[dict[str, Any]]) -> list[ContactValue]:
        return [ContactValue(i["value"], bool(i["primary"]), bool(i["opt_out"])) for i in items]

    return PersonInput(
        first_name=values["first_name"],
        last_name=values["last_name"],
        job_title=values["job_title"] or "",
        preferred_channel=values["preferred_channel"] or "",
        language=values["language"] or "",
        notes=values["notes"] or "",
        emails=contact(values["emails"]),
        phones=contact(values["phones"]),
        tags=list(values["tags"]),
        owner_id=values["owner_id"],
        stay_in_touch_days=values["stay_in_touch_days"],
    )


def refresh_keys(person: Person) -> None:
    person.sort_key = sort_key(person.first_name, person.last_name)[:300]
    person.name_key = name_key(person.first_name, person.last_name)[:300]
    parts = [normalise_name(f"{person.first_name} {person.last_name}")]
    parts += [e.email.casefold() for e in person.emails]
    parts += [phone_key(p.phone) for p in person.phones]
    person.search_text = " ".join(p for p in parts if p)


def _apply_values(
    current: list[Any], wanted: list[ContactValue], kind: str, batch_id: int | None
) -> list[Any]:
    key_of = email_key if kind == "emails" else phone_key
    attr = "email" if kind == "emails" else "phone"
    by_key = {key_of(getattr(item, attr)): item for item in current}
    result = []
    for value in wanted:
        key = key_of(value.value)
        item = by_key.get(key)
        if item is None:
            item = PersonEmail(email_key=key) if kind == "emails" else PersonPhone(phone_key=key)
            item.import_batch_id = batch_id
        setattr(item, attr, value.value)
        item.is_primary, item.opt_out = value.primary, value.opt_out
        result.append(item)
    return result


def apply(person: Person, data: PersonInput, batch_id: int | None = None) -> None:
    for name in FIELDS:
        value = getattr(data, name)
        setattr(
            person,
            name,
            value if value != "" or name in ("first_name", "last_name", "notes") else None,
        )
    person.emails = _apply_values(list(person.emails), data.emails, "emails", batch_id)
    person.phones = _apply_values(list(person.phones), data.phones, "phones", batch_id)
    tags.set_person_tags(person, data.tags)
    person.updated_at = utcnow()
    refresh_keys(person)


def create(
    user: User,
    data: PersonInput,
    *,
    organisation: Organisation | None = None,
    role: str = "",
    batch_id: int | None = None,
    note: str = "",
) -> Person:
    if not is_editor(user):
        raise UserError("not_allowed")
    clean = validate(data)
    person = Person(created_by_id=user.id, import_batch_id=batch_id, interaction_count=0)
    db.session.add(person)
    apply(person, clean, batch_id)
    db.session.flush()
    changelog.created(user.id, "person", person.id, snapshot(person), note)
    if organisation is not None:
        memberships.add_membership(user, person, organisation, role=role, batch_id=batch_id)
    return person


def update(
    user: User, person: Person, data: PersonInput, *, batch_id: int | None = None, note: str = ""
) -> dict[str, list[Any]]:
    clean = validate(data)
    before = snapshot(person)
    apply(person, clean, batch_id)
    db.session.flush()
    changes = changelog.diff(before, snapshot(person))
    if changes:
        changelog.record(user.id, "person", person.id, "update", changes, note)
    return changes


def duplicates_for(data: PersonInput, *, exclude_id: int | None = None) -> list[Person]:
    """Existing people (visible or not) with one of the e-mails or the same name."""
    keys = [email_key(e.value) for e in data.emails if e.value.strip()]
    conditions: list[Any] = []
    if keys:
        conditions.append(
            Person.id.in_(select(PersonEmail.person_id).where(PersonEmail.email_key.in_(keys)))
        )
    wanted_name = name_key(data.first_name, data.last_name)
    if wanted_name:
        conditions.append(Person.name_key == wanted_name)
    if not conditions:
        return []
    query = select(Person).where(or_(*conditions), Person.erased_at.is_(None))
    if exclude_id is not None:
        query = query.where(Person.id != exclude_id)
    return list(db.session.scalars(query.order_by(Person.id).limit(20)))


def visible_ids(user: User, people: list[Person]) -> set[int]:
    ids = [p.id for p in people]
    if not ids:
        return set()
    return set(
        db.session.scalars(select(Person.id).where(Person.id.in_(ids), person_visible(user)))
    )
