"""Last contact, interaction counts and loyalty segments, stored on people and
organisation profiles so lists can filter and sort on them with an index.

They change when an interaction is logged, edited or merged (refreshed at once for
the records concerned) and when days pass (all records are refreshed the first time
a register list is opened on a new day, or by `audit-app contacts stay-in-touch`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import case, func, select, update
from sqlalchemy.orm.util import identity_key

from audit_app.domain.segments import (
    DEFAULT_THRESHOLDS,
    PressureLimit,
    Thresholds,
    segment_for,
    thresholds_from_mapping,
)
from audit_app.extensions import db
from audit_app.models import Interaction, OrganisationProfile, Person, RegisterState
from audit_app.models.register import interaction_participants

STATE_KEY = "segments"


def thresholds() -> Thresholds:
    configured = current_app.config.get("REGISTER_SEGMENTS")
    return thresholds_from_mapping(configured) if configured else DEFAULT_THRESHOLDS


def pressure_limit() -> PressureLimit:
    configured = current_app.config.get("REGISTER_CONTACT_PRESSURE") or {}
    return PressureLimit(**configured)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they are UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _stats(
    key: Any, ids: Iterable[int] | None, today: date, limit: Thresholds, joined: bool
) -> dict[int, tuple[datetime | None, int]]:
    window_start = start_of(today - timedelta(days=limit.window_days))
    until = start_of(today + timedelta(days=1))
    query = select(
        key,
        func.max(Interaction.occurred_at),
        func.sum(case((Interaction.occurred_at >= window_start, 1), else_=0)),
    ).where(Interaction.occurred_at < until)
    if joined:
        query = query.join(Interaction, Interaction.id == interaction_participants.c.interaction_id)
    if ids is not None:
        query = query.where(key.in_(list(ids)))
    return {
        row_id: (as_utc(last), int(count or 0))
        for row_id, last, count in db.session.execute(query.group_by(key))
        if row_id is not None
    }


def _apply(
    model: Any,
    pk: Any,
    rows: list[Any],
    stats: dict[int, tuple[datetime | None, int]],
    today: date,
    limit: Thresholds,
) -> int:
    changed = []
    for row_id, last, count, segment in rows:
        new_last, new_count = stats.get(row_id, (None, 0))
        new_segment = segment_for(new_last.date() if new_last else None, new_count, today, limit)
        value = new_segment.value if new_segment else None
        if (as_utc(last), count, segment) != (new_last, new_count, value):
            changed.append(
                {
                    pk.key: row_id,
                    "last_contacted_at": new_last,
                    "interaction_count": new_count,
                    "segment": value,
                }
            )
    if changed:
        db.session.execute(update(model), changed)
        for values in changed:  # objects already loaded must see the new values
            loaded = db.session.identity_map.get(identity_key(model, values[pk.key]))
            if loaded is not None:
                db.session.expire(loaded, ["last_contacted_at", "interaction_count", "segment"])
    return len(changed)


def refresh_people(ids: Iterable[int] | None = None, today: date | None = None) -> int:
    today, limit = today or date.today(), thresholds()
    ids = None if ids is None else sorted(set(ids))
    if ids == []:
        return 0
    stats = _stats(interaction_participants.c.person_id, ids, today, limit, joined=True)
    query = select(Person.id, Person.last_contacted_at, Person.interaction_count, Person.segment)
    if ids is not None:
        query = query.where(Person.id.in_(ids))
    return _apply(Person, Person.id, list(db.session.execute(query)), stats, today, limit)


def refresh_organisations(
    ids: Iterable[int | None] | None = None, today: date | None = None
) -> int:
    from audit_app.services.register import profiles

    profiles.sync()
    today, limit = today or date.today(), thresholds()
    clean = None if ids is None else sorted({i for i in ids if i is not None})
    if clean == []:
        return 0
    stats = _stats(Interaction.organisation_id, clean, today, limit, joined=False)
    p = OrganisationProfile
    query = select(p.organisation_id, p.last_contacted_at, p.interaction_count, p.segment)
    if clean is not None:
        query = query.where(p.organisation_id.in_(clean))
    return _apply(p, p.organisation_id, list(db.session.execute(query)), stats, today, limit)


def _state() -> RegisterState:
    state = db.session.get(RegisterState, STATE_KEY)
    if state is None:
        state = RegisterState(key=STATE_KEY, value="")
        db.session.add(state)
    return state


def refresh_all(today: date | None = None) -> int:
    today = today or date.today()
    changed = refresh_people(None, today) + refresh_organisations(None, today)
    _state().value = f"{today.isoformat()}|{thresholds().fingerprint()}"
    db.session.flush()
    return changed


def _moved(since: date, today: date, limit: Thresholds) -> tuple[set[int], set[int]]:
    """People and organisations whose segment may have changed between two days:
    their last contact crossed a recency threshold, or an interaction left the
    window (or a future-dated one arrived). Found through the date indexes."""
    people: set[int] = set()
    organisations: set[int] = set()
    for days in (limit.loyal_max_days, limit.regular_max_days, limit.lapsed_after_days):
        low, high = start_of(since - timedelta(days=days)), start_of(today - timedelta(days=days))
        people |= set(
            db.session.scalars(
                select(Person.id).where(
                    Person.last_contacted_at >= low, Person.last_contacted_at < high
                )
            )
        )
        organisations |= set(
            db.session.scalars(
                select(OrganisationProfile.organisation_id).where(
                    OrganisationProfile.last_contacted_at >= low,
                    OrganisationProfile.last_contacted_at < high,
                )
            )
        )
    window = timedelta(days=limit.window_days)
    ranges = (
        (start_of(since - window), start_of(today - window)),
        (start_of(since + timedelta(days=1)), start_of(today + timedelta(days=1))),
    )
    for low, high in ranges:
        in_range = (Interaction.occurred_at >= low, Interaction.occurred_at < high)
        people |= set(
            db.session.scalars(
                select(interaction_participants.c.person_id)
                .join(Interaction, Interaction.id == interaction_participants.c.interaction_id)
                .where(*in_range)
            )
        )
        organisations |= {
            i
            for i in db.session.scalars(select(Interaction.organisation_id).where(*in_range))
            if i is not None
        }
    return people, organisations


def ensure_fresh(today: date | None = None) -> bool:
    """Bring segments up to today once a day; True if anything was recomputed. After
    a day or a few, only the records whose segment may have moved are recomputed;
    after a long gap or a change of thresholds, everything is."""
    today = today or date.today()
    fingerprint = thresholds().fingerprint()
    state = db.session.get(RegisterState, STATE_KEY)
    value = state.value if state is not None else ""
    if value == f"{today.isoformat()}|{fingerprint}":
        return False
    day, _, known = value.partition("|")
    try:
        since = date.fromisoformat(day)
    except ValueError:
        since = None
    if since is None or known != fingerprint or not 0 < (today - since).days <= 90:
        refresh_all(today)
        return True
    people, organisations = _moved(since, today, thresholds())
    refresh_people(people, today)
    refresh_organisations(organisations, today)
    _state().value = f"{today.isoformat()}|{fingerprint}"
    db.session.flush()
    return True
