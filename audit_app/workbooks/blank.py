"""The answer workbook of a questionnaire, for workshops where people answer in Excel:
one row per question, a drop-down list of the answers (data validation) in the chosen
language, columns for notes and evidence, and hidden the questionnaire's id, version
and fingerprint. Blank, or made for an audit: then with the answers stored so far and
their revisions, so that reading it back can tell answers changed in the app since."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from audit_app.domain.answers import AnswerValue, is_number
from audit_app.domain.questionnaire import Question, Questionnaire
from audit_app.workbooks import layout as L
from audit_app.workbooks.shown import shown_value
from audit_app.workbooks.words import word

HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
WRAP = Alignment(wrap_text=True, vertical="top")


def choice_labels(question: Question, lang: str) -> list[str]:
    """What the drop-down offers: the options' labels, then the special answers."""
    labels = [option.label.get(lang) for option in question.choices]
    if question.type in ("scale", "single", "multiple", "number"):
        if question.dont_know:
            labels.append(word(lang, "dont_know"))
        if question.not_applicable:
            labels.append(word(lang, "na"))
    return labels


def condition_text(questionnaire: Questionnaire, question: Question, lang: str) -> str:
    condition = question.show_if
    if condition is None:
        return ""
    numbers = {q.id: i for i, q in enumerate(questionnaire.questions, start=1)}
    controller = questionnaire.question(condition.question)
    number = numbers.get(condition.question, condition.question)
    if condition.min_score is not None or controller is None:
        return word(lang, "condition_score", number=number, score=f"{condition.min_score:g}")
    labels = {o.value: o.label.get(lang) for o in controller.choices}
    labels |= {"dont_know": word(lang, "dont_know"), "na": word(lang, "na")}
    answers = " / ".join(labels.get(v, v) for v in condition.equals)
    return word(lang, "condition_equals", number=number, answers=answers)


def blank_workbook(
    questionnaire: Questionnaire,
    lang: str,
    *,
    audit_id: int | None = None,
    stored: Mapping[str, StoredAnswer] | None = None,
) -> bytes:
    """The workbook as .xlsx bytes. `stored`: an audit's answers so far by question id,
    written into the rows with their revisions, so that reading the workbook back can
    tell an answer changed in the app since (the autosave rule); without them, every
    stored answer counts as newer than the workbook."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = word(lang, "answers_sheet")
    lists = book.create_sheet(L.LISTS_SHEET)
    lists.sheet_state = "hidden"
    _write_meta(book, questionnaire, lang, audit_id)
    _write_head(sheet, questionnaire, lang)
    numbers = {q.id: i for i, q in enumerate(questionnaire.questions, start=1)}
    row = L.FIRST_ROW
    for section in questionnaire.sections:
        for question in section.questions:
            _write_question(sheet, lists, row, questionnaire, question, lang, numbers[question.id])
            sheet[f"{L.SECTION}{row}"] = section.title.get(lang)
            _prefill(sheet, row, question, lang, (stored or {}).get(question.id))
            row += 1
    sheet.freeze_panes = f"{L.QUESTION}{L.FIRST_ROW}"
    sheet.protection.sheet = False
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class StoredAnswer:
    value: AnswerValue
    note: str
    evidence: str
    revision: int


def _prefill(
    sheet: Worksheet, row: int, question: Question, lang: str, stored: StoredAnswer | None
) -> None:
    sheet[f"{L.REVISION}{row}"] = stored.revision if stored else 0
    if stored is None:
        return
    value = stored.value
    if is_number(value):
        sheet[f"{L.ANSWER}{row}"] = value  # a number cell, read back as it is
    elif value is not None:
        sheet[f"{L.ANSWER}{row}"] = shown_value(question, value)[lang]
    sheet[f"{L.NOTE}{row}"] = stored.note or None
    sheet[f"{L.EVIDENCE}{row}"] = stored.evidence or None


def _write_meta(book: Workbook, questionnaire: Questionnaire, lang: str, audit: int | None) -> None:
    meta = book.create_sheet(L.META_SHEET)
    meta.sheet_state = "veryHidden"  # not even listed by Excel's "Unhide"
    values = {
        "format": L.FORMAT,
        "questionnaire_id": questionnaire.id,
        "version": questionnaire.version,
        "content_hash": questionnaire.content_hash,
        "lang": lang,
        "audit_id": audit if audit is not None else "",
    }
    for index, key in enumerate(L.META_KEYS, start=1):
        meta.cell(row=index, column=1, value=key)
        meta.cell(row=index, column=2, value=values[key])


def _write_head(sheet: Worksheet, questionnaire: Questionnaire, lang: str) -> None:
    sheet["A1"] = questionnaire.title.get(lang)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = word(lang, "version", id=questionnaire.id, version=questionnaire.version)
    sheet["A3"] = word(lang, "instructions")
    headers = {
        L.ID: "id", L.NUMBER: word(lang, "number"), L.SECTION: word(lang, "section"),
        L.QUESTION: word(lang, "question"), L.HOW: word(lang, "how"),
        L.ANSWER: word(lang, "answer"), L.NOTE: word(lang, "note"),
        L.EVIDENCE: word(lang, "evidence"), L.SHOWN_WHEN: word(lang, "shown_when"),
        L.REVISION: "revision",
    }  # fmt: skip
    for column, text in headers.items():
        cell = sheet[f"{column}{L.HEADER_ROW}"]
        cell.value = text
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[column].width = L.WIDTHS[column]
    for hidden in (L.ID, L.REVISION):
        sheet.column_dimensions[hidden].hidden = True


def _write_question(
    sheet: Worksheet,
    lists: Worksheet,
    row: int,
    questionnaire: Questionnaire,
    question: Question,
    lang: str,
    number: int,
) -> None:
    text = question.text.get(lang)
    if question.critical:
        text += f" ({word(lang, 'critical')})"
    sheet[f"{L.ID}{row}"] = question.id
    sheet[f"{L.NUMBER}{row}"] = number
    sheet[f"{L.QUESTION}{row}"] = text
    sheet[f"{L.SHOWN_WHEN}{row}"] = condition_text(questionnaire, question, lang)
    for column in (L.SECTION, L.QUESTION, L.HOW, L.SHOWN_WHEN, L.NOTE, L.EVIDENCE):
        sheet[f"{column}{row}"].alignment = WRAP
    for column in L.INPUT_COLUMNS:
        sheet[f"{column}{row}"].fill = INPUT_FILL
        sheet[f"{column}{row}"].protection = Protection(locked=False)
    answer = f"{L.ANSWER}{row}"
    labels = choice_labels(question, lang)
    if question.type in ("scale", "single"):
        sheet[f"{L.HOW}{row}"] = word(lang, "choose")
        list_column = lists.max_column + 1 if lists["A1"].value is not None else 1
        for index, label in enumerate(labels, start=1):
            lists.cell(row=index, column=list_column, value=label)
        letter = get_column_letter(list_column)
        reference = f"{quote_sheetname(L.LISTS_SHEET)}!${letter}$1:${letter}${len(labels)}"
        _validate(sheet, answer, DataValidation(type="list", formula1=reference))
    elif question.type == "multiple":
        sheet[f"{L.HOW}{row}"] = word(lang, "several", options="; ".join(labels))
    elif question.type == "number":
        unit = f" ({question.unit.get(lang)})" if question.unit else ""
        specials = [label for label in labels]
        sheet[f"{L.HOW}{row}"] = (
            word(lang, "a_number") + unit + (f"; {' / '.join(specials)}" if specials else "")
        )
        _validate(sheet, answer, DataValidation(type="decimal", operator="between",
                  formula1="-1E+307", formula2="1E+307", errorStyle="warning"))  # fmt: skip
    else:
        sheet[f"{L.HOW}{row}"] = word(lang, "free_text")
    sheet[f"{L.HOW}{row}"].alignment = WRAP


def _validate(sheet: Worksheet, cell: str, validation: DataValidation) -> None:
    validation.showDropDown = False  # (sic) False shows the in-cell arrow
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)
    validation.add(cell)
