"""A realistic organisation with a history of audits, for report tests and benchmarks.

`sample_history` answers every visible question of a questionnaire several times
(each audit a little better than the previous one), with notes and evidence in
Polish, "don't know" and "not applicable" here and there, and actions agreed after
the earlier audits. Deterministic: the same arguments give the same answers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from audit_app.domain.answers import visible_question_ids
from audit_app.domain.questionnaire import DONT_KNOW, NOT_APPLICABLE, Question, Questionnaire
from audit_app.extensions import db
from audit_app.models import Action, Audit, Organisation, OrganisationAccess, User
from audit_app.services import audits as audit_service

NOTES = (
    "Ustalono na spotkaniu z dyrekcją; zespół ds. obsługi klienta potwierdził.",
    "Źródło: rozmowa z kierowniczką działu udostępniania, żadnych dokumentów.",
    "Częściowo – dotyczy tylko filii przy ul. Łąkowej; pozostałe oddziały robią to po swojemu.",
    "Wg ankiety pracowników (ść, żółć – test znaków).",
)
EVIDENCE = (
    "Regulamin obsługi czytelnika, wersja z marca, s. 4–6.",
    "Zrzut ekranu raportu z systemu bibliotecznego.",
    "Protokół z zebrania zespołu zarządzającego.",
)


@dataclass
class SampleHistory:
    organisation: Organisation
    user: User
    audits: list[Audit]  # oldest first; the last one is the current audit

    @property
    def current(self) -> Audit:
        return self.audits[-1]


def _value(question: Question, rng: random.Random, step: int, steps: int) -> object:
    """An answer that tends to improve with `step` (0 = oldest audit)."""
    level = 0.2 + 0.45 * step / max(1, steps - 1)
    if question.type == "text":
        return "Chcemy lepiej poznać potrzeby klientów i ograniczyć ręczną pracę zespołu."
    roll = rng.random()
    if question.dont_know and roll < 0.04:
        return DONT_KNOW
    if question.not_applicable and 0.04 <= roll < 0.06:
        return NOT_APPLICABLE
    if question.type in ("scale", "single"):
        options = sorted(question.choices, key=lambda o: o.score)
        position = min(len(options) - 1, max(0, round(level * len(options) - rng.random())))
        return options[position].value
    if question.type == "multiple":
        count = max(1, round(level * len(question.options)))
        return [o.value for o in question.options[:count]]
    if question.type == "number":
        bands = question.bands
        best = max(range(len(bands)), key=lambda i: bands[i].score)
        worst = min(range(len(bands)), key=lambda i: bands[i].score)
        band = bands[worst if rng.random() > level else best]
        if band.min is not None and band.max is not None:
            return round((band.min + band.max) / 2, 1)
        if band.min is not None:
            return band.min
        return (band.max or 1) - 1
    return None


def every_answer(questionnaire: Questionnaire) -> dict[str, object]:
    """Every question answered with a valid value, the same each time (a varied choice,
    three options, a number, a sentence): fixed data for the migration test and the web
    benchmark, where `sample_history`'s improving random answers are not wanted."""
    answers: dict[str, object] = {}
    for n, question in enumerate(questionnaire.questions):
        choices = [option.value for option in question.choices]
        if question.type in ("scale", "single"):
            answers[question.id] = choices[n % len(choices)]
        elif question.type == "multiple":
            answers[question.id] = choices[:3]
        elif question.type == "number":
            answers[question.id] = 30 if "share" in question.id else 3
        else:
            answers[question.id] = "Jeden wspólny obraz klienta w całej organizacji."
    return answers


def sample_history(
    questionnaire: Questionnaire,
    *,
    organisation_name: str = "Miejska Biblioteka Publiczna w Łodzi",
    organisation_type: str = "library",
    user: User | None = None,
    audits: int = 4,
    today: date | None = None,
    seed: int = 7,
) -> SampleHistory:
    """`audits` submitted audits of one new organisation, five months apart."""
    today = today or date(2026, 11, 20)
    if user is None:
        from audit_app.services.accounts import create_user

        user = create_user(
            email=f"sample-{seed}@example.org",
            name="Zofia Żak-Łęcka",
            password="sample-password-2026",  # noqa: S106 - sample data only
            role="consultant",
        )
    organisation = Organisation(
        name=organisation_name,
        type=organisation_type,
        size="medium",
        city="Łódź",
        created_by_id=user.id,
    )
    db.session.add(organisation)
    db.session.flush()
    db.session.add(OrganisationAccess(organisation_id=organisation.id, user_id=user.id))
    rng = random.Random(seed)  # noqa: S311 - reproducible sample data, not security
    made: list[Audit] = []
    for step in range(audits):
        audit = audit_service.start_audit(organisation, questionnaire, user)
        answers: dict[str, object] = {}
        for index, question in enumerate(questionnaire.questions):
            if question.id not in visible_question_ids(questionnaire, answers):  # type: ignore[arg-type]
                continue
            value = _value(question, rng, step, audits)
            answers[question.id] = value
            audit_service.save_answer(
                audit,
                question.id,
                value=value,  # type: ignore[arg-type]
                note=NOTES[index % len(NOTES)] if index % 3 == 0 else "",
                evidence=EVIDENCE[index % len(EVIDENCE)] if index % 4 == 1 else "",
                user=user,
            )
        # Anything still missing (shown by a later answer) is answered "don't know"
        # when allowed, so that the audit can be submitted.
        for question_id in audit_service.missing_questions(audit):
            missing = questionnaire.question(question_id)
            if missing is not None:
                fallback = _value(missing, rng, step, audits)
                audit_service.save_answer(audit, question_id, value=fallback, user=user)  # type: ignore[arg-type]
        audit_service.submit(audit, user)
        when = datetime.combine(
            today - timedelta(days=150 * (audits - 1 - step)), datetime.min.time(), tzinfo=UTC
        ) + timedelta(hours=11)
        audit.started_at = when - timedelta(days=10)
        audit.submitted_at = when
        made.append(audit)
        if step < audits - 1:
            _actions(audit, when.date(), step)
    db.session.flush()
    return SampleHistory(organisation, user, made)


def _actions(audit: Audit, submitted: date, step: int) -> None:
    db.session.add_all(
        [
            Action(
                audit_id=audit.id,
                recommendation_id=f"sample-{step}-1",
                title="Wyznaczyć właściciela danych o klientach i spisać zasady ich zbierania",
                owner="Dyrektor ds. obsługi klienta",
                due_date=submitted + timedelta(days=60),
                status="done",
            ),
            Action(
                audit_id=audit.id,
                recommendation_id=f"sample-{step}-2",
                title="Przeszkolić zespół z pracy z jedną kartoteką klienta",
                owner="Kierowniczka działu szkoleń",
                due_date=submitted + timedelta(days=120),
                status="in_progress" if step else "done",
            ),
        ]
    )
