"""Forms of the audit pages.

Starting, submitting and reopening use Flask-WTF forms. The answer form is built
from the questionnaire, so it is read and written by hand here: one
`QuestionState` per question holds exactly what the user sees (stored answer or
what they typed), so a form with errors is re-rendered without losing anything.

Field names of the answer form, per question id `<q>`:
  a-<q>     the answer: radio value (scale/single), checkbox values (multiple),
            number text (number) or text (text)
  s-<q>     "dont_know" / "na" checkbox of number and multiple questions
  note-<q>, evidence-<q>
  rev-<q>   revision of the stored answer the page was based on (0: none)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from audit_app.domain.answer_text import answer_words
from audit_app.domain.answers import AnswerValue, is_number
from audit_app.domain.questionnaire import DONT_KNOW, NOT_APPLICABLE, Question
from audit_app.i18n import current_language
from audit_app.models import Answer, RespondentAnswer
from audit_app.web.form_base import AppForm
from audit_app.wording import translator

SPECIALS = (DONT_KNOW, NOT_APPLICABLE)


class StartForm(AppForm):
    questionnaire = RadioField(
        _l("Questionnaire"),
        choices=[],
        validators=[InputRequired(message=_l("Choose a questionnaire."))],
    )


class SubmitForm(AppForm):
    confirm = BooleanField(
        _l("I have checked the answers. I understand they cannot be changed after submitting."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class ReopenForm(AppForm):
    reason = TextAreaField(
        _l("Reason for reopening"),
        validators=[
            DataRequired(message=_l("Give a reason; it is kept in the audit trail.")),
            Length(max=1000),
        ],
    )


# --------------------------------------------------------------------------- answers


@dataclass
class QuestionState:
    """What one question of the answer form shows."""

    choice: str | None = None  # scale/single: the checked radio (option or special)
    chosen: list[str] = field(default_factory=list)  # multiple: checked options
    special: str | None = None  # number/multiple: the checked special checkbox
    text: str = ""  # number: the typed text; text: the answer
    note: str = ""
    evidence: str = ""
    revision: int = 0
    error: str | None = None  # translated message
    conflict: Answer | None = None  # the stored answer that changed meanwhile

    @property
    def answered(self) -> bool:
        return bool(self.choice or self.chosen or self.special or self.text.strip())

    @property
    def number_input_type(self) -> str:
        """The input type: "text" when the typed text is not a number, so that the
        browser shows it again instead of silently dropping it; else "number"."""
        typed = self.text.strip()
        return "text" if typed and parse_number(typed) is None else "number"

    @property
    def number_input_value(self) -> str:
        """The typed number as a number input accepts it ("12,5" -> "12.5")."""
        number = parse_number(self.text) if self.text.strip() else None
        return self.text if number is None else format_number(number)


def state_from_answer(question: Question, answer: Answer | None) -> QuestionState:
    if answer is None:
        return QuestionState()
    state = QuestionState(
        note=answer.note or "", evidence=answer.evidence or "", revision=answer.revision
    )
    value = answer.value
    if question.type in ("scale", "single"):
        state.choice = value if isinstance(value, str) else None
    elif question.type == "multiple":
        if isinstance(value, list):
            state.chosen = [str(v) for v in value]
        elif value in SPECIALS:
            state.special = str(value)
    elif question.type == "number":
        if value in SPECIALS:
            state.special = str(value)
        elif is_number(value):
            state.text = format_number(value)
    elif isinstance(value, str):
        state.text = value
    return state


def format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def posted_question_ids(form: MultiDict[str, str]) -> list[str]:
    """Questions present in a posted section form (hidden ones are disabled, so absent)."""
    return [key[4:] for key in form if key.startswith("rev-")]


def state_from_form(question: Question, form: MultiDict[str, str]) -> QuestionState:
    qid = question.id
    try:
        revision = max(0, int(form.get(f"rev-{qid}", "0")))
    except ValueError:
        revision = 0
    state = QuestionState(
        note=_lf(form.get(f"note-{qid}", "")),
        evidence=_lf(form.get(f"evidence-{qid}", "")),
        revision=revision,
    )
    if question.type in ("scale", "single"):
        state.choice = form.get(f"a-{qid}") or None
    elif question.type == "multiple":
        state.chosen = [v for v in form.getlist(f"a-{qid}") if v]
        state.special = _one_special(form.getlist(f"s-{qid}"))
    elif question.type == "number":
        state.text = form.get(f"a-{qid}", "")
        state.special = _one_special(form.getlist(f"s-{qid}"))
    else:
        state.text = _lf(form.get(f"a-{qid}", ""))
    return state


def _lf(text: str) -> str:
    """Browsers post textarea line breaks as CRLF; store them as the JSON path does."""
    return text.replace("\r\n", "\n")


def _one_special(values: list[str]) -> str | None:
    chosen = [v for v in values if v]
    if not chosen:
        return None
    return chosen[0] if len(chosen) == 1 else "both_specials"


def value_of(question: Question, state: QuestionState) -> tuple[AnswerValue, str | None]:
    """The answer value a state stands for, or an error code."""
    if question.type in ("scale", "single"):
        return state.choice, None
    if state.special == "both_specials":
        return None, "special_and_value"
    if question.type == "multiple":
        if state.special and state.chosen:
            return None, "special_and_value"
        if state.special:
            return state.special, None
        return (list(state.chosen) or None), None
    if question.type == "number":
        typed = state.text.strip()
        if state.special and typed:
            return None, "special_and_value"
        if state.special:
            return state.special, None
        if not typed:
            return None, None
        number = parse_number(typed)
        return (typed, "not_a_number") if number is None else (number, None)
    return (state.text if state.text.strip() else None), None


def parse_number(text: str) -> int | float | None:
    """A number as people type it: "12", "12.5", "12,5", "1 200"."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() and abs(number) < 1e15 else number


def coerce_json_value(question: Question, value: Any) -> Any:
    """A value from the JSON API: numbers may arrive as text, specials as-is."""
    if question.type == "number" and isinstance(value, str) and value not in SPECIALS:
        if not value.strip():
            return None
        number = parse_number(value)
        return value if number is None else number
    if question.type == "number" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Each translated when asked for (lazy): a save that fails needs one message, not all.
ANSWER_ERRORS = {
    "wrong_type": _l("This answer does not fit the question; choose again."),
    "unknown_option": _l("Choose one of the offered answers."),
    "not_a_number": _l("Enter a number, e.g. 12 or 12.5."),
    "out_of_range": _l("This number is outside the range the question accepts."),
    "dont_know_not_allowed": _l("“Don't know” is not allowed for this question."),
    "na_not_allowed": _l("“Not applicable” is not allowed for this question."),
    "special_and_value": _l("Give either an answer or “Don't know” / “Not applicable”, not both."),
    "too_long": _l("This text is too long."),
    "unknown_question": _l("This question is not part of the questionnaire."),
    "audit_locked": _l("This audit has been submitted; answers can no longer be changed."),
    "bad_request": _l("The answer could not be read; reload the page and try again."),
}


def error_message(code: str, question: Question | None = None) -> str:
    """The translated message for an answer error code."""
    if code == "out_of_range" and question is not None:
        low, high = number_range(question)
        if low is not None and high is not None:
            return _(
                "Enter a number from %(low)s up to (not including) %(high)s.",
                low=format_number(low),
                high=format_number(high),
            )
        if low is not None:
            return _("Enter a number of at least %(low)s.", low=format_number(low))
        if high is not None:
            return _("Enter a number below %(high)s.", high=format_number(high))
    return str(ANSWER_ERRORS.get(code, _l("The answer could not be saved.")))


def number_range(question: Question) -> tuple[float | None, float | None]:
    bands = question.bands
    if not bands:
        return None, None
    lows = [b.min for b in bands]
    highs = [b.max for b in bands]
    low = None if any(v is None for v in lows) else min(v for v in lows if v is not None)
    high = None if any(v is None for v in highs) else max(v for v in highs if v is not None)
    return low, high


def display_value(question: Question, value: AnswerValue, lang: str) -> str:
    """An answer as a person reads it, in the given language: the one formatter
    (`domain.answer_text.answer_words`), with a number's band beside it."""
    shown, meaning = answer_words(question, value, translator(lang))
    return f"{shown} ({meaning})" if meaning and question.type == "number" else shown


# JSON answers of the autosave endpoints, shared by the audit and the respondent pages.
def json_error(code: str, status: int, question: Question | None = None) -> ResponseReturnValue:
    return jsonify(ok=False, code=code, message=error_message(code, question)), status


def answer_json(answer: Answer | RespondentAnswer, question: Question) -> dict[str, Any]:
    return {
        "value": answer.value,
        "note": answer.note,
        "evidence": answer.evidence,
        "revision": answer.revision,
        "display": display_value(question, answer.value, current_language()),
        "updated_at": answer.updated_at.isoformat() if answer.updated_at else None,
    }
