"""The answering page, shared by the consultant's blueprint (`audits`) and an invited
respondent's (`respond`): one section of questions, its form post without JavaScript
and the JSON autosave of `audit.js`. Each blueprint checks access and whether answers
may still change, then passes its own way of saving (`SaveAnswer`) and its URLs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from flask import flash, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from audit_app.domain.answers import Answers, AnswerValue, visible_question_ids
from audit_app.domain.questionnaire import Question, Questionnaire, Section
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.i18n import current_language
from audit_app.models import Answer, RespondentAnswer
from audit_app.services.answering import (
    Conflict,
    SaveOutcome,
    first_unanswered,
    progress_of,
    section_progress_of,
)
from audit_app.web.audits.forms import (
    QuestionState,
    answer_json,
    coerce_json_value,
    display_value,
    error_message,
    json_error,
    state_from_answer,
    state_from_form,
    value_of,
)

# The stored answers of one owner by question id (`answer_rows` of either service).
AnswerRows = Mapping[str, Answer | RespondentAnswer]


class SaveAnswer(Protocol):
    """`audits.save_answer` or `respondents.save_answer` with its owner bound."""

    def __call__(
        self,
        question_id: str,
        *,
        value: AnswerValue,
        note: str | None,
        evidence: str | None,
        base_revision: int | None,
    ) -> SaveOutcome[Any]: ...


# --------------------------------------------------------------------------- the page


@dataclass
class QuestionItem:
    question: Question
    number: int
    state: QuestionState
    visible: bool

    @property
    def show_if_equals(self) -> list[str]:
        condition = self.question.show_if
        return list(condition.equals) if condition is not None else []


def resume_url(
    questionnaire: Questionnaire, answers: Answers, section_url: Callable[[str], str]
) -> str | None:
    """Where a page opened without a section carries on: the section of the first
    unanswered question, at that question (its anchor); None when nothing has been
    answered yet (the first section, from its top) or everything has."""
    if not any(value is not None for value in answers.values()):
        return None
    found = first_unanswered(questionnaire, answers)
    if found is None:
        return None
    section_id, question_id = found
    return f"{section_url(section_id)}#q-{question_id}"


def section_of(questionnaire: Questionnaire, section_id: str | None) -> Section:
    """The section asked for, or the first one."""
    return next(
        (s for s in questionnaire.sections if s.id == section_id), questionnaire.sections[0]
    )


def section_page(
    questionnaire: Questionnaire,
    section: Section,
    rows: AnswerRows,
    section_url: Callable[[str], str],
    posted: dict[str, QuestionState] | None = None,
) -> dict[str, Any]:
    """What the answering templates (audits/_answering.html) show of one section:
    `rows` are the stored answers by question id, `posted` what was typed into a form
    that could not be saved (shown instead), `section_url(section_id)` a section's page."""
    answers = {question_id: row.value for question_id, row in rows.items()}
    visible = visible_question_ids(questionnaire, answers)
    numbers = {q.id: index for index, q in enumerate(questionnaire.questions, start=1)}
    items = [
        QuestionItem(
            question,
            numbers[question.id],
            (posted or {}).get(question.id) or state_from_answer(question, rows.get(question.id)),
            question.id in visible,
        )
        for question in section.questions
    ]
    sections = questionnaire.sections
    position = sections.index(section)
    return {
        "questionnaire": questionnaire,
        "section": section,
        "sections": sections,
        "previous_section": sections[position - 1] if position > 0 else None,
        "next_section": following_section(questionnaire, section),
        "items": items,
        "progress": progress_of(questionnaire, answers),
        "section_counts": section_progress_of(questionnaire, answers),
        "hidden_count": sum(1 for item in items if not item.visible),
        "section_url": section_url,
        "lang": current_language(),
        "display_value": display_value,
    }


def following_section(questionnaire: Questionnaire, section: Section) -> Section | None:
    """The next section, or None after the last one."""
    sections = questionnaire.sections
    position = sections.index(section)
    return sections[position + 1] if position + 1 < len(sections) else None


# --------------------------------------------------------------------------- form post


def save_posted_section(
    section: Section,
    posted_ids: set[str],
    rows: AnswerRows,
    save: SaveAnswer,
    *,
    last_save_wins: bool = False,
) -> tuple[dict[str, QuestionState], int]:
    """The no-JavaScript path: save every posted answer of the section. Returns what
    each posted question shows and how many could not be saved (their states carry
    the error; the page's message is flashed). `last_save_wins`: ignore the revisions
    the page was based on (one person's own answers)."""
    states: dict[str, QuestionState] = {}
    problems = 0
    for question in section.questions:
        if question.id not in posted_ids:
            continue
        state = state_from_form(question, request.form)
        states[question.id] = state
        value, code = value_of(question, state)
        if code is not None:
            state.error = error_message(code, question)
            problems += 1
            continue
        stored = rows.get(question.id)
        if stored is None and value is None and not (state.note.strip() or state.evidence.strip()):
            continue
        try:
            save(
                question.id,
                value=value,
                note=state.note,
                evidence=state.evidence,
                base_revision=None if last_save_wins else state.revision,
            )
        except Conflict as conflict:
            state.conflict = conflict.current
            state.revision = conflict.current.revision  # saving again keeps this version
            state.error = _(
                "Someone else changed this answer while you were editing. Your version is "
                "shown; save again to keep it, or take theirs."
            )
            problems += 1
        except UserError as error:
            state.error = error_message(error.message, question)
            problems += 1
    if problems:
        flash(
            _(
                "Some answers could not be saved; see the marked questions. "
                "Everything you entered is still here."
            ),
            "error",
        )
    return states, problems


# --------------------------------------------------------------------------- autosave (JSON)


def locked(message: str) -> ResponseReturnValue:
    """Answers can no longer change: audit.js locks the form and shows `message`."""
    return jsonify(ok=False, locked=True, code="audit_locked", message=message), 409


def autosave(
    questionnaire: Questionnaire,
    question: Question,
    save: SaveAnswer,
    answers_after: Callable[[], Answers],
    locked_message: str,
) -> ResponseReturnValue:
    """Save one answer posted as JSON by audit.js and answer with the new revision and
    progress (`answers_after`: the owner's answers, read after the commit), or with
    409 (conflict: the stored answer; locked) or 400."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return json_error("bad_request", 400)
    note, evidence, base = (
        payload.get("note"),
        payload.get("evidence"),
        payload.get("base_revision"),
    )
    if not all(isinstance(v, str | None) for v in (note, evidence)):
        return json_error("bad_request", 400)
    if base is not None and (isinstance(base, bool) or not isinstance(base, int)):
        return json_error("bad_request", 400)
    try:
        outcome = save(
            question.id,
            value=coerce_json_value(question, payload.get("value")),
            note=note.replace("\r\n", "\n") if note is not None else None,
            evidence=evidence.replace("\r\n", "\n") if evidence is not None else None,
            base_revision=base,
        )
    except Conflict as conflict:
        stored = answer_json(conflict.current, question)
        db.session.rollback()
        return jsonify(ok=False, conflict=True, code="conflict", **stored), 409
    except UserError as error:
        db.session.rollback()
        if error.message == "audit_locked":
            return locked(locked_message)
        return json_error(error.message, 400, question)
    saved = outcome.answer
    body: dict[str, Any] = {
        "ok": True,
        "changed": outcome.changed,
        "revision": saved.revision,
        "saved_at": saved.updated_at.isoformat() if saved.updated_at else None,
    }
    db.session.commit()
    answers = answers_after()
    body |= {
        "progress": progress_of(questionnaire, answers).as_dict(),
        "sections": {
            sid: p.as_dict() for sid, p in section_progress_of(questionnaire, answers).items()
        },
        "visible": sorted(visible_question_ids(questionnaire, answers)),
    }
    return jsonify(body)
