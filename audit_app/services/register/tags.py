"""Tags on people and organisations (free text, matched case- and accent-blind)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, select

from audit_app.extensions import db
from audit_app.models import Person, Tag
from audit_app.models.register import organisation_tags
from audit_app.services.register.text import split_tags, tag_key


def get_or_create(names: Iterable[str]) -> list[Tag]:
    tags: list[Tag] = []
    for name in split_tags(",".join(names)):
        key = tag_key(name)
        tag = db.session.scalar(select(Tag).where(Tag.key == key))
        if tag is None:
            tag = Tag(name=name, key=key)
            db.session.add(tag)
            db.session.flush()
        tags.append(tag)
    return tags


def names(tags: Iterable[Tag]) -> list[str]:
    return [tag.name for tag in tags]


def set_person_tags(person: Person, wanted: Iterable[str]) -> None:
    person.tags = get_or_create(wanted)


def organisation_tag_names(organisation_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(Tag.name)
            .join(organisation_tags, organisation_tags.c.tag_id == Tag.id)
            .where(organisation_tags.c.organisation_id == organisation_id)
            .order_by(Tag.key)
        )
    )


def organisation_tags_of(organisation_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {i: [] for i in organisation_ids}
    if organisation_ids:
        for org_id, name in db.session.execute(
            select(organisation_tags.c.organisation_id, Tag.name)
            .join(Tag, organisation_tags.c.tag_id == Tag.id)
            .where(organisation_tags.c.organisation_id.in_(organisation_ids))
            .order_by(Tag.key)
        ):
            found[org_id].append(name)
    return found


def set_organisation_tags(organisation_id: int, wanted: Iterable[str]) -> None:
    tags = get_or_create(wanted)
    db.session.execute(
        delete(organisation_tags).where(organisation_tags.c.organisation_id == organisation_id)
    )
    if tags:
        db.session.execute(
            insert(organisation_tags),
            [{"organisation_id": organisation_id, "tag_id": tag.id} for tag in tags],
        )


def all_tags(limit: int = 500) -> list[Tag]:
    return list(db.session.scalars(select(Tag).order_by(Tag.key).limit(limit)))


def find(key: str) -> Tag | None:
    return db.session.scalar(select(Tag).where(Tag.key == tag_key(key))) if key else None
