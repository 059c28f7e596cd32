"""Reading an answer workbook back: every filled cell is checked against the
questionnaire and every problem is reported at once, with its row and column.

The answer column takes an option's label in either language or its value, a number
(12, 12.5 or 12,5), "Don't know" / "Not applicable" in either language, several
labels separated by ';' for questions with several answers, or any text for text
questions."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from audit_app.domain.answers import AnswerValue, validate_answer
from audit_app.domain.questionnaire import DONT_KNOW, NOT_APPLICABLE, Question, Questionnaire
from audit_app.workbooks import layout as L
from audit_app.workbooks.words import WORDS

MAX_TEXT = 20_000  # as services/answering.MAX_TEXT
# An answer workbook unpacks to well under 1 MB; far more is not one (or a zip bomb).
MAX_UNPACKED = 50 * 1024 * 1024
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


@dataclass(frozen=True)
class CellProblem:
    """One problem: row and column of the answers sheet (0 / "" when not tied to a
    cell), a code of workbooks/words.MESSAGES and its parameters."""

    row: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RowAnswer:
    row: int
    question_id: str
    value: AnswerValue
    note: str | None
    evidence: str | None
    base_revision: int


@dataclass
class ReadWorkbook:
    meta: dict[str, str] = field(default_factory=dict)
    answers: list[RowAnswer] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[CellProblem] = field(default_factory=list)


def read_answers(data: bytes, questionnaire: Questionnaire) -> ReadWorkbook:
    """The answers in the workbook, checked against `questionnaire` (the audit's)."""
    result = ReadWorkbook()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED:
            result.problems.append(CellProblem(0, "", "workbook_too_large"))
            return result
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        result.problems.append(CellProblem(0, "", "not_a_workbook"))
        return result
    if L.META_SHEET not in book.sheetnames:
        result.problems.append(CellProblem(0, "", "not_an_answer_workbook"))
        return result
    meta = book[L.META_SHEET]
    result.meta = {str(r[0]): str(r[1] or "") for r in meta.iter_rows(values_only=True) if r[0]}
    if result.meta.get("format") != L.FORMAT:
        result.problems.append(CellProblem(0, "", "not_an_answer_workbook"))
        return result
    if result.meta.get("questionnaire_id") != questionnaire.id:
        params = {"workbook": result.meta.get("questionnaire_id"), "audit": questionnaire.id}
        result.problems.append(CellProblem(0, "", "other_questionnaire", params))
        return result
    if result.meta.get("content_hash") != questionnaire.content_hash:
        params = {"workbook": result.meta.get("version"), "audit": questionnaire.version}
        result.warnings.append(CellProblem(0, "", "other_version", params))
    sheet = book[book.sheetnames[0]]
    seen: dict[str, int] = {}
    for row in range(L.FIRST_ROW, sheet.max_row + 1):
        _read_row(result, questionnaire, seen, row, lambda c, r=row: sheet[f"{c}{r}"].value)
    return result


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_row(
    result: ReadWorkbook, questionnaire: Questionnaire, seen: dict[str, int], row: int, cell: Any
) -> None:
    question_id = _text(cell(L.ID))
    raw, note, evidence = cell(L.ANSWER), _text(cell(L.NOTE)), _text(cell(L.EVIDENCE))
    if not question_id:
        return
    question = questionnaire.question(question_id)
    if question is None:
        if raw is not None or note or evidence:
            result.problems.append(
                CellProblem(row, L.ID, "unknown_question", {"value": question_id})
            )
        return
    if question_id in seen:
        params = {"question": question_id, "other": seen[question_id]}
        result.problems.append(CellProblem(row, L.ID, "duplicate_question", params))
        return
    seen[question_id] = row
    for column, text in ((L.NOTE, note), (L.EVIDENCE, evidence)):
        if len(text) > MAX_TEXT:
            result.problems.append(CellProblem(row, column, "too_long", {"limit": MAX_TEXT}))
    value, problem = parse_answer(question, raw)
    if problem is not None:
        result.problems.append(CellProblem(row, L.ANSWER, problem[0], problem[1]))
        return
    if value is None and not note and not evidence:
        return
    revision = cell(L.REVISION)
    base = int(revision) if isinstance(revision, int | float) else 0
    result.answers.append(RowAnswer(row, question_id, value, note or None, evidence or None, base))


def _specials(text: str) -> str | None:
    lowered = text.casefold()
    for lang in WORDS.values():
        if lowered in (lang["dont_know"].casefold(), DONT_KNOW):
            return DONT_KNOW
        if lowered in (lang["na"].casefold(), NOT_APPLICABLE):
            return NOT_APPLICABLE
    return None


def _option_value(question: Question, text: str) -> str | None:
    lowered = text.casefold()
    for option in question.choices:
        if lowered in (
            option.value.casefold(),
            option.label.pl.casefold(),
            option.label.en.casefold(),
        ):
            return option.value
    return _specials(text)


def parse_answer(
    question: Question, raw: Any
) -> tuple[AnswerValue, tuple[str, dict[str, Any]] | None]:
    """The answer a cell holds, or a problem (code, parameters)."""
    text = _text(raw)
    if not text:
        return None, None
    if question.type == "text":
        if len(text) > MAX_TEXT:
            return None, ("too_long", {"limit": MAX_TEXT})
        return text, None
    value: AnswerValue
    if question.type in ("scale", "single"):
        value = _option_value(question, text)
        if value is None:
            return None, ("unknown_option", {"value": text, "allowed": _allowed(question)})
    elif question.type == "multiple":
        special = _specials(text)
        if special is not None:
            value = special
        else:
            chosen = [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]
            values = [_option_value(question, part) for part in chosen]
            unknown = [part for part, v in zip(chosen, values, strict=True) if v is None]
            if unknown:
                return None, (
                    "unknown_option",
                    {"value": unknown[0], "allowed": _allowed(question)},
                )
            value = [v for v in values if v is not None]
    else:  # number
        special = _specials(text)
        if special is not None:
            value = special
        elif isinstance(raw, int | float) and not isinstance(raw, bool):
            value = raw
        elif _NUMBER.match(text.replace(" ", "")):
            number = float(text.replace(" ", "").replace(",", "."))
            value = int(number) if number.is_integer() else number
        else:
            return None, ("not_a_number", {"value": text})
    code = validate_answer(question, value)
    if code is not None:
        return None, (code, {"value": text, "allowed": _allowed(question)})
    return value, None


def _allowed(question: Question) -> dict[str, str]:
    """The options' labels in each language (the message picks its own)."""
    return {lang: "; ".join(o.label.get(lang) for o in question.choices) for lang in WORDS}
