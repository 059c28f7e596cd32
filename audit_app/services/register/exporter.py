"""CSV export of any filtered list (people, organisations, interactions): UTF-8 with
a BOM so Excel shows Polish letters, comma or semicolon separated, headers that the
importer maps back, streamed page by page (keyset) so memory stays flat."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from typing import Any

from flask_babel import gettext as _

from audit_app.models import User
from audit_app.services.register import export_rows
from audit_app.services.register.search import Filters

KINDS = ("people", "organisations", "interactions")
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
        "people": export_rows.people_rows,
        "organisations": export_rows.organisation_rows,
        "interactions": export_rows.interaction_rows,
    }[kind](user, filters)
    return _lines(headers(kind), rows, delimiter)
