"""Answers from a workbook into an audit: every cell is checked first and every
problem reported at once; answers are saved only when there is none.

Conflicts follow the autosave rule (services/answering.save_answer): each row carries
the revision of the stored answer the workbook was made from (0 in a blank workbook),
so an answer changed in the application since is not overwritten: it is a problem of
that row. The caller commits when `report.should_commit`, and otherwise rolls back:
a dry run or a workbook with problems leaves the audit as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from audit_app.domain.answers import visible_question_ids
from audit_app.errors import UserError
from audit_app.models import Audit, User
from audit_app.services import audits as audit_service
from audit_app.services import trail
from audit_app.workbooks import layout as L
from audit_app.workbooks.read import CellProblem, read_answers
from audit_app.workbooks.shown import shown_value


@dataclass
class ImportReport:
    dry_run: bool
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[CellProblem] = field(default_factory=list)
    saved: int = 0  # answers changed (or that would be, in a dry run)
    unchanged: int = 0  # the same as already stored

    @property
    def should_commit(self) -> bool:
        return not self.problems and not self.dry_run


def import_answers(audit: Audit, data: bytes, user: User | None, *, dry_run: bool) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    questionnaire = audit_service.questionnaire_for(audit)
    read = read_answers(data, questionnaire)
    report.problems, report.warnings = list(read.problems), list(read.warnings)
    if audit.status != "in_progress":
        report.problems.insert(0, CellProblem(0, "", "audit_locked"))
    if report.problems:
        return report
    stored = audit_service.answer_rows(audit)
    merged = audit_service.answers_of(audit) | {
        a.question_id: a.value for a in read.answers if a.value is not None
    }
    visible = visible_question_ids(questionnaire, merged)
    for answer in read.answers:
        question = questionnaire.question(answer.question_id)
        assert question is not None  # read_answers kept only known questions
        if answer.question_id not in visible:
            report.warnings.append(CellProblem(answer.row, L.ANSWER, "hidden"))
            continue
        row = stored.get(answer.question_id)
        value = answer.value if answer.value is not None else (row.value if row else None)
        try:
            outcome = audit_service.save_answer(
                audit,
                answer.question_id,
                value=value,
                note=answer.note,
                evidence=answer.evidence,
                base_revision=answer.base_revision,
                user=user,
            )
        except audit_service.Conflict as conflict:
            shown = shown_value(question, conflict.current.value)
            report.problems.append(CellProblem(answer.row, L.ANSWER, "conflict", {"stored": shown}))
            continue
        except UserError as error:  # pragma: no cover - read_answers checked the values
            report.problems.append(CellProblem(answer.row, L.ANSWER, error.message))
            continue
        if outcome.changed:
            report.saved += 1
        else:
            report.unchanged += 1
    if report.should_commit and report.saved:
        trail.record(user.id if user else None, "import_answers", "audit", audit.id,
                     saved=report.saved)  # fmt: skip
    return report
