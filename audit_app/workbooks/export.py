"""An audit as an Excel workbook: a summary sheet, one sheet per area (questions,
answers, scores, notes, evidence), the recommendations and the actions. Built from
plain values (services/audit_export.py gathers them), so this module knows nothing
of the database or of how results are computed."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from audit_app.workbooks.words import word

HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
WRAP = Alignment(wrap_text=True, vertical="top")
Cell = str | int | float | None


@dataclass
class Area:
    title: str
    rows: list[list[Cell]] = field(default_factory=list)  # see AREA_COLUMNS


@dataclass
class AuditSheets:
    title: str
    summary: list[tuple[str, Cell]]
    areas: list[Area]
    recommendations: list[list[Cell]]  # see RECOMMENDATION_COLUMNS
    actions: list[list[Cell]]  # see ACTION_COLUMNS


AREA_COLUMNS = (("number", 5), ("question", 55), ("answer", 30), ("score", 9), ("note", 35),
                ("evidence", 35), ("contact_evidence", 35), ("files", 30))  # fmt: skip
RECOMMENDATION_COLUMNS = (("priority", 9), ("area", 22), ("recommendation", 60),
                          ("first_step", 35), ("impact", 10), ("effort", 10),
                          ("category", 16))  # fmt: skip
ACTION_COLUMNS = (("title", 50), ("owner", 22), ("due", 12), ("status", 14))


def sheet_title(text: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:28] or "-"
    title, n = base, 2
    while title.lower() in taken:
        title, n = f"{base[:25]} ({n})", n + 1
    taken.add(title.lower())
    return title


def _table(sheet: Worksheet, lang: str, columns: Sequence[tuple[str, int]],
           rows: Sequence[Sequence[Any]], first: int = 1) -> None:  # fmt: skip
    for index, (key, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=first, column=index, value=word(lang, key))
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        sheet.column_dimensions[cell.column_letter].width = width
    for offset, values in enumerate(rows, start=1):
        for index, value in enumerate(values, start=1):
            sheet.cell(row=first + offset, column=index, value=value).alignment = WRAP
    sheet.freeze_panes = f"A{first + 1}"


def audit_workbook(data: AuditSheets, lang: str) -> bytes:
    book = Workbook()
    taken: set[str] = set()
    summary = book.active
    assert summary is not None  # a new workbook has one sheet
    summary.title = sheet_title(word(lang, "summary_sheet"), taken)
    summary["A1"] = data.title
    summary["A1"].font = Font(bold=True, size=14)
    _table(summary, lang, (("item", 40), ("value", 50)), data.summary, first=3)
    for area in data.areas:
        sheet = book.create_sheet(sheet_title(area.title, taken))
        _table(sheet, lang, AREA_COLUMNS, area.rows)
    recommendations = book.create_sheet(sheet_title(word(lang, "recommendations_sheet"), taken))
    _table(recommendations, lang, RECOMMENDATION_COLUMNS, data.recommendations)
    actions = book.create_sheet(sheet_title(word(lang, "actions_sheet"), taken))
    _table(actions, lang, ACTION_COLUMNS, data.actions)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
