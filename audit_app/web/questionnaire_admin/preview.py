"""The preview of a draft questionnaire, exactly as respondents see it: the same page
parts (audits/_answering.html), the same script (audit.js, conditions included). The
answers typed into it are kept in the session only (not notes or evidence), never in
the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from flask import session

from audit_app.domain.answers import AnswerValue, validate_answer
from audit_app.domain.questionnaire import Questionnaire
from audit_app.errors import UserError
from audit_app.services.answering import SaveOutcome

SESSION_KEY = "questionnaire_preview"
PREVIEW_TEXT = 200  # characters of a text answer kept in the preview


@dataclass
class PreviewAnswer:
    """Looks like a stored answer to the answering page."""

    value: AnswerValue
    note: str | None
    evidence: str | None
    revision: int
    updated_at: datetime | None


def _stored(digest: str) -> dict[str, Any]:
    kept = session.get(SESSION_KEY) or {}
    answers = kept.get("answers") if kept.get("draft") == digest else None
    return dict(answers or {})


def preview_rows(digest: str) -> dict[str, PreviewAnswer]:
    return {
        qid: PreviewAnswer(row["value"], None, None, row["rev"], None)
        for qid, row in _stored(digest).items()
    }


def preview_answers(digest: str) -> dict[str, AnswerValue]:
    return {qid: row.value for qid, row in preview_rows(digest).items()}


class PreviewSave:
    """A `SaveAnswer` (web/answering.py) keeping answers in the session."""

    def __init__(self, digest: str, questionnaire: Questionnaire) -> None:
        self.digest = digest
        self.questionnaire = questionnaire

    def __call__(
        self,
        question_id: str,
        *,
        value: AnswerValue,
        note: str | None,
        evidence: str | None,
        base_revision: int | None,
    ) -> SaveOutcome[Any]:
        question = self.questionnaire.question(question_id)
        if question is None:
            raise UserError("unknown_question")
        problem = validate_answer(question, value) if value is not None else None
        if problem:
            raise UserError(problem)
        answers = _stored(self.digest)
        revision = int((answers.get(question_id) or {}).get("rev", 0)) + 1
        if isinstance(value, str) and question.type == "text":
            value = value[:PREVIEW_TEXT]
        # Only the answer: notes and evidence change no condition, and the session
        # cookie (which also keeps the login) must stay small.
        answers[question_id] = {"value": value, "rev": revision}
        session[SESSION_KEY] = {"draft": self.digest, "answers": answers}
        row = PreviewAnswer(value, None, None, revision, datetime.now(UTC))
        return SaveOutcome(answer=cast(Any, row), changed=True)
