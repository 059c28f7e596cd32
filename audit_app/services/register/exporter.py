"""CSV export of any filtered list (people, organisations, interactions): UTF-8 with
a BOM so Excel shows Polish letters, comma or semicolon separated, headers that the
importer maps back, streamed page by page (keyset) so memory stays flat."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from flask_babel import gettext as _

from audit_app.models import Interaction, User
from audit_app.services.register import search, tags
from audit_app.services.register.search import Filters
from audit_app.services.register.stats import as_utc

KINDS = ("people", "organisations", "interactions")
CHUNK = 500
_NUMBERISH = re.compile(r"^[+\-]?[\d\s().\-/]+$")


def safe_cell(value: Any) -> str:
    """Text for one cell; a leading = + - @ that would make a spreadsheet formula is
    neutralised with an apostrophe (phone numbers like +48 ... are left as they are)."""
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if text[:1] in ("=", "@", "\t", "\r") or (
        text[:1] in "+-" and text[:1] and not _NUMBERISH.match(text)
    ):
        return "'" + text
    return text


def _lines(header: Sequence[str], rows: Iterator[Sequence[Any]], delimiter: str) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def _pages(fetch: Callable[[str | None], Any]) -> Iterator[Any]:
    cursor: str | None = None
    while True:
        page = fetch(cursor)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def _people_rows(user: User, filters: Filters) -> Iterator[list[Any]]:
    for person in _pages(lambda c: search.people_page(user, filters, after=c, per_page=CHUNK)):
        current = [m for m in person.memberships if m.ended_on is None]
        yield [
            person.id,
            person.first_name,
            person.last_name,
            ", ".join(e.email for e in person.emails),
            ", ".join(p.phone for p in person.phones),
            ", ".join(
                [e.email for e in person.emails if e.opt_out]
                + [p.phone for p in person.phones if p.opt_out]
            ),
            person.job_title,
            current[0].organisation.name if current else "",
            current[0].role if current else "",
            person.language,
            person.preferred_channel,
            ", ".join(tags.names(person.tags)),
            person.segment,
            as_utc(person.last_contacted_at),
            person.notes,
        ]


def _organisation_rows(user: User, filters: Filters) -> Iterator[list[Any]]:
    cursor: str | None = None
    while True:
        page = search.organisations_page(user, filters, after=cursor, per_page=CHUNK)
        tag_map = tags.organisation_tags_of([row[0].id for row in page.items])
        for organisation, profile in page.items:
            yield [
                organisation.id,
                organisation.name,
                organisation.type,
                organisation.size,
                organisation.sector,
                organisation.city,
                profile.domain,
                ", ".join(tag_map.get(organisation.id, [])),
                profile.segment,
                as_utc(profile.last_contacted_at),
            ]
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def _interaction_rows(user: User, filters: Filters) -> Iterator[list[Any]]:
    def fetch(cursor: str | None) -> Any:
        return search.interactions_page(user, filters, after=cursor, per_page=CHUNK)

    for item in _pages(fetch):
        interaction: Interaction = item
        yield [
            interaction.id,
            as_utc(interaction.occurred_at),
            interaction.channel,
            interaction.direction,
            interaction.duration_minutes,
            interaction.subject,
            interaction.summary,
            interaction.outcome,
            interaction.organisation.name if interaction.organisation else "",
            ", ".join(p.display_name for p in interaction.participants),
            interaction.logged_by.name if interaction.logged_by else "",
            interaction.source,
        ]


def headers(kind: str) -> list[str]:
    if kind == "people":
        return [
            "ID",
            _("First name"),
            _("Last name"),
            _("E-mail"),
            _("Phone"),
            _("Opted out"),
            _("Job title"),
            _("Organisation"),
            _("Role"),
            _("Language"),
            _("Preferred channel"),
            _("Tags"),
            _("Segment"),
            _("Last contacted"),
            _("Notes"),
        ]
    if kind == "organisations":
        return [
            "ID",
            _("Name"),
            _("Type"),
            _("Size"),
            _("Sector"),
            _("City"),
            _("Domain"),
            _("Tags"),
            _("Segment"),
            _("Last contacted"),
        ]
    return [
        "ID",
        _("Date"),
        _("Channel"),
        _("Direction"),
        _("Duration (minutes)"),
        _("Subject"),
        _("Summary"),
        _("Outcome"),
        _("Organisation"),
        _("Participants"),
        _("Logged by"),
        _("Source"),
    ]


def export(user: User, kind: str, filters: Filters, delimiter: str = ",") -> Iterator[str]:
    """The CSV text, in chunks (the first one starts with the BOM)."""
    if delimiter not in (",", ";"):
        delimiter = ","
    rows = {
        "people": _people_rows,
        "organisations": _organisation_rows,
        "interactions": _interaction_rows,
    }[kind](user, filters)
    return _lines(headers(kind), rows, delimiter)
