"""Lists of people, organisations and interactions: search, filters and keyset
pages (see keyset.py). The same queries feed the CSV export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import selectinload

from audit_app.domain.numbers import parse_int
from audit_app.extensions import db
from audit_app.models import (
    Interaction,
    Membership,
    Organisation,
    OrganisationAccess,
    OrganisationProfile,
    Person,
    Tag,
    User,
)
from audit_app.models.organisations import ORGANISATION_TYPES
from audit_app.models.register import (
    CHANNELS,
    DIRECTIONS,
    SEGMENTS,
    interaction_participants,
    organisation_tags,
    person_tags,
)
from audit_app.services import textsearch
from audit_app.services.register import keyset, profiles
from audit_app.services.register.access import (
    interaction_visible,
    organisation_visible,
    people_query,
)
from audit_app.services.register.list_sorting import INTERACTION_SORTS
from audit_app.services.register.text import normalise_name, phone_key, tag_key

PER_PAGE = 25
LAST_CONTACT = ("7", "30", "90", "365", "over90", "over365", "never")


@dataclass
class Filters:
    q: str = ""
    tag: str = ""
    segment: str = ""  # a segment, or "none" (never contacted)
    owner_id: int | None = None
    org_type: str = ""
    organisation_id: int | None = None
    person_id: int | None = None
    last_contact: str = ""
    channel: str = ""
    direction: str = ""

    def active(self) -> bool:
        return any(v not in ("", None) for v in vars(self).values())


MAX_DAYS = 36_500  # "last contact within N days": a century is plenty


def _last_contact(column: Any, value: str, today: date) -> ColumnElement[bool] | None:
    if value == "never":
        return column.is_(None)  # type: ignore[no-any-return]
    over = value.startswith("over")
    days = parse_int(value[4:] if over else value, high=MAX_DAYS)
    if days is None:
        return None
    since = datetime.combine(today - timedelta(days=days), datetime.min.time(), UTC)
    if over:
        return or_(column.is_(None), column < since)
    return column >= since  # type: ignore[no-any-return]


def _segment(column: Any, value: str) -> ColumnElement[bool] | None:
    if value == "none":
        return column.is_(None)  # type: ignore[no-any-return,unused-ignore]
    return column == value if value in SEGMENTS else None  # type: ignore[no-any-return,unused-ignore]


def _tokens(q: str) -> list[str]:
    return normalise_name(q).split()[:6]


def people(user: User, filters: Filters, today: date | None = None) -> Select[Any]:
    today = today or date.today()
    query = people_query(user)
    q = filters.q.strip()
    if q:
        tokens, raw = _tokens(q), q.casefold()
        matches = [Person.search_text.contains(raw, autoescape=True)]
        if tokens:
            matches.append(and_(*(Person.search_text.contains(t, autoescape=True) for t in tokens)))
            org_ids = select(OrganisationProfile.organisation_id).where(
                OrganisationProfile.name_key.contains(" ".join(tokens), autoescape=True)
            )
            matches.append(
                Person.id.in_(
                    select(Membership.person_id).where(Membership.organisation_id.in_(org_ids))
                )
            )
        digits = phone_key(q)
        if len(digits) >= 3 and len(digits) * 2 >= len(q.replace(" ", "")):
            matches.append(Person.search_text.contains(digits, autoescape=True))
        query = query.where(or_(*matches))
    if filters.tag:
        query = query.where(
            Person.id.in_(
                select(person_tags.c.person_id)
                .join(Tag, Tag.id == person_tags.c.tag_id)
                .where(Tag.key == tag_key(filters.tag))
            )
        )
    condition = _segment(Person.segment, filters.segment)
    if condition is not None:
        query = query.where(condition)
    if filters.owner_id is not None:
        query = query.where(Person.owner_id == filters.owner_id)
    if filters.org_type in ORGANISATION_TYPES or filters.organisation_id is not None:
        members = select(Membership.person_id).join(
            Organisation, Organisation.id == Membership.organisation_id
        )
        if filters.org_type in ORGANISATION_TYPES:
            members = members.where(Organisation.type == filters.org_type)
        if filters.organisation_id is not None:
            members = members.where(Organisation.id == filters.organisation_id)
        query = query.where(Person.id.in_(members))
    condition = _last_contact(Person.last_contacted_at, filters.last_contact, today)
    if condition is not None:
        query = query.where(condition)
    return query


def people_page(
    user: User,
    filters: Filters,
    *,
    after: str | None = None,
    before: str | None = None,
    per_page: int = PER_PAGE,
    descending: bool = False,
) -> keyset.Page[Person]:
    query = people(user, filters).options(
        selectinload(Person.emails),
        selectinload(Person.phones),
        selectinload(Person.tags),
        selectinload(Person.memberships).selectinload(Membership.organisation),
    )
    # Unfiltered, the name index gives the first rows at once. Filtered, SQLite (with
    # no statistics) would still walk that index and read all 50,000 rows in name
    # order to find a few matches; sorting by `sort_key || ''` makes it scan the table
    # once and sort only the matches: 4-5 times faster (docs/benchmarks.md).
    return keyset.paginate(
        query,
        [people_sort_key(filters), Person.id],
        lambda p: [p.sort_key, p.id],
        [str, int],
        after=after,
        before=before,
        per_page=per_page,
        descending=descending,
    )


def people_sort_key(filters: Filters) -> Any:
    return Person.sort_key + "" if filters.active() else Person.sort_key


def organisations(
    user: User, filters: Filters, today: date | None = None
) -> Select[Organisation, OrganisationProfile]:
    today = today or date.today()
    profiles.sync()
    query = (
        select(Organisation, OrganisationProfile)
        .join(OrganisationProfile, OrganisationProfile.organisation_id == Organisation.id)
        .where(organisation_visible(user))
    )
    tokens = _tokens(filters.q)
    if tokens:
        needle = " ".join(tokens)
        query = query.where(
            or_(
                OrganisationProfile.name_key.contains(needle, autoescape=True),
                OrganisationProfile.domain.contains(filters.q.strip().casefold(), autoescape=True),
            )
        )
    if filters.org_type in ORGANISATION_TYPES:
        query = query.where(Organisation.type == filters.org_type)
    if filters.tag:
        query = query.where(
            Organisation.id.in_(
                select(organisation_tags.c.organisation_id)
                .join(Tag, Tag.id == organisation_tags.c.tag_id)
                .where(Tag.key == tag_key(filters.tag))
            )
        )
    condition = _segment(OrganisationProfile.segment, filters.segment)
    if condition is not None:
        query = query.where(condition)
    if filters.owner_id is not None:
        query = query.where(OrganisationProfile.owner_id == filters.owner_id)
    condition = _last_contact(OrganisationProfile.last_contacted_at, filters.last_contact, today)
    if condition is not None:
        query = query.where(condition)
    return query


def organisations_page(
    user: User,
    filters: Filters,
    *,
    after: str | None = None,
    before: str | None = None,
    per_page: int = PER_PAGE,
    descending: bool = False,
) -> keyset.Page[Any]:
    query = organisations(user, filters)
    p = OrganisationProfile
    return keyset.paginate(
        query,
        [p.name_key, p.organisation_id],
        lambda row: [row[1].name_key, row[1].organisation_id],
        [str, int],
        after=after,
        before=before,
        per_page=per_page,
        descending=descending,
        scalars=False,
    )


def interactions(user: User, filters: Filters) -> Select[Any]:
    query = select(Interaction).where(interaction_visible(user))
    if filters.channel in CHANNELS:
        query = query.where(Interaction.channel == filters.channel)
    if filters.direction in DIRECTIONS:
        query = query.where(Interaction.direction == filters.direction)
    if filters.organisation_id is not None:
        query = query.where(Interaction.organisation_id == filters.organisation_id)
    if filters.person_id is not None:
        query = query.where(
            Interaction.id.in_(
                select(interaction_participants.c.interaction_id).where(
                    interaction_participants.c.person_id == filters.person_id
                )
            )
        )
    q = filters.q.strip()
    if q:
        matches = textsearch.contains(q, Interaction.subject, Interaction.summary)
        if matches is not None:
            query = query.where(matches)
    return query


def interactions_page(
    user: User,
    filters: Filters,
    *,
    after: str | None = None,
    before: str | None = None,
    per_page: int = PER_PAGE,
    sort: str = "date",
    descending: bool = True,
) -> keyset.Page[Interaction]:
    query = interactions(user, filters).options(
        selectinload(Interaction.participants),
        selectinload(Interaction.organisation),
        selectinload(Interaction.logged_by),
    )
    key = INTERACTION_SORTS.get(sort, INTERACTION_SORTS["date"])
    return keyset.paginate(
        query,
        [key.column, Interaction.id],
        lambda i: [key.value_of(i), i.id],
        [key.parse, int],
        after=after,
        before=before,
        per_page=per_page,
        descending=descending,
    )


def owners(user: User, keep: int | None = None) -> list[User]:
    """Users who can own contacts (administrators and consultants) that `user` may
    know of: everyone for an administrator; for anyone else themself and the users
    assigned to, or creators of, an organisation they see (`keep`: the current owner
    of the record being edited, already shown on it)."""
    query = select(User).where(User.role.in_(("admin", "consultant")), User.active.is_(True))
    if not user.is_admin:
        mine = select(Organisation.id).where(organisation_visible(user))
        colleagues = select(OrganisationAccess.user_id).where(
            OrganisationAccess.organisation_id.in_(mine)
        )
        creators = select(Organisation.created_by_id).where(Organisation.id.in_(mine))
        query = query.where(
            or_(
                User.id == user.id,
                User.id == keep,
                User.id.in_(colleagues),
                User.id.in_(creators),
            )
        )
    return list(db.session.scalars(query.order_by(User.name)))
