"""`audit-app demo`: a living install at once (idempotent)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from audit_app.domain.answers import AnswerValue
from audit_app.domain.questionnaire import Question, Questionnaire
from audit_app.extensions import db
from audit_app.models import Action, Audit, Organisation, OrganisationAccess, User
from audit_app.services import accounts
from audit_app.services import audits as audit_service
from audit_app.services import campaigns as campaign_service
from audit_app.services.questionnaires import catalogue

DEMO_EMAIL = "demo@example.org"
PEER_NAME_PREFIX = "Biblioteka porównawcza nr"  # the anonymised peer libraries
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - documented demo account
ADMIN_EMAIL = "admin@example.org"

ORGANISATIONS = [
    ("Miejska Biblioteka Publiczna w Łodzi", "library", "medium", "kultura", "Łódź"),
    ("Biblioteka Pedagogiczna w Gdańsku", "library", "small", "edukacja", "Gdańsk"),
    ("Żabka Consulting sp. z o.o.", "company", "small", "doradztwo", "Kraków"),
    ("Urząd Gminy Świętochłowice", "public", "medium", "administracja", "Świętochłowice"),
]
MONTHS_BETWEEN_AUDITS = 5


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Fill an empty database with demo data; does nothing when it is already there."""
    if db.session.scalar(select(User.id).filter_by(email=DEMO_EMAIL)) is not None:
        click.echo("Demo data already present.")
        return
    if accounts.has_users():
        click.echo("The database already has users; demo data is only added to an empty install.")
        return
    create_demo(today=date.today())
    db.session.commit()
    click.echo(f"Demo ready. Log in as {DEMO_EMAIL} / {DEMO_PASSWORD} (consultant)")
    click.echo(f"or {ADMIN_EMAIL} / {DEMO_PASSWORD} (administrator).")


def create_demo(today: date) -> None:
    admin = accounts.create_user(
        email=ADMIN_EMAIL, name="Anna Administratorka", password=DEMO_PASSWORD, role="admin"
    )
    consultant = accounts.create_user(
        email=DEMO_EMAIL, name="Konrad Konsultant", password=DEMO_PASSWORD, role="consultant"
    )
    organisations = []
    for name, kind, size, sector, city in ORGANISATIONS:
        organisation = Organisation(
            name=name, type=kind, size=size, sector=sector, city=city, created_by_id=admin.id
        )
        db.session.add(organisation)
        db.session.flush()
        db.session.add(OrganisationAccess(organisation_id=organisation.id, user_id=consultant.id))
        organisations.append(organisation)
    library = catalogue().get("library-crm-audit")
    if library is None:
        return
    for step in range(3):
        when = datetime.combine(
            today - timedelta(days=30 * MONTHS_BETWEEN_AUDITS * (2 - step)),
            datetime.min.time(),
            tzinfo=UTC,
        ) + timedelta(hours=10)
        audit = _answered_audit(organisations[0], library, consultant, step)
        audit.started_at = when - timedelta(days=7)
        audit.submitted_at = when
        if step == 0:
            _demo_actions(audit, today)
    peers = add_peer_libraries(library, admin, today)
    add_demo_campaign([organisations[0], *peers], admin, today)
    readiness = catalogue().get("crm-readiness")
    if readiness is not None:
        audit_service.start_audit(organisations[2], readiness, consultant)


def _answered_audit(
    organisation: Organisation, questionnaire: Questionnaire, user: User, step: int
) -> Audit:
    audit = audit_service.start_audit(organisation, questionnaire, user)
    for index, question in enumerate(questionnaire.questions):
        value = _demo_value(question, index, step)
        if value is not None:
            audit_service.save_answer(
                audit,
                question.id,
                value=value,
                user=user,
                note="" if index % 4 else "Dane z rozmowy z dyrekcją.",
            )
    audit_service.submit(audit, user)
    return audit


def _demo_value(question: Question, index: int, step: int) -> AnswerValue:
    """Answers that improve from one audit to the next, differently per question."""
    if question.type in ("scale", "single"):
        options = sorted(question.choices, key=lambda o: o.score)
        return options[min(len(options) - 1, index % 2 + step)].value
    if question.type == "multiple":
        return [o.value for o in question.options[: step + 1]]
    if question.type == "number":
        band = question.bands[min(len(question.bands) - 1, step)]
        return band.min if band.min is not None else (band.max or 1) - 1
    if question.type == "text":
        return "Lepsza znajomość czytelników i mniej pracy ręcznej."
    return None


# Anonymised peer libraries (issue 16): consenting, each with one submitted audit, so
# the demo audit's results show "Na tle podobnych bibliotek" at once. Nobody but an
# administrator sees these organisations; their names say they are sample data.
PEER_LEVELS = (0.15, 0.3, 0.4, 0.45, 0.55, 0.6, 0.7, 0.8, 0.9, 0.35)


def peer_answers(questionnaire: Questionnaire, level: float) -> dict[str, AnswerValue]:
    """Every question answered at about `level` (0 worst .. 1 best), varying a little
    from question to question: sample peers for the demo, tests and benchmarks."""
    answers: dict[str, AnswerValue] = {}
    for index, question in enumerate(questionnaire.questions):
        wobble = ((index * 7) % 5 - 2) * 0.08
        share = min(1.0, max(0.0, level + wobble))
        if question.type in ("scale", "single"):
            options = sorted(question.choices, key=lambda o: o.score)
            answers[question.id] = options[round(share * (len(options) - 1))].value
        elif question.type == "multiple":
            count = max(1, round(share * len(question.options)))
            answers[question.id] = [o.value for o in question.options[:count]]
        elif question.type == "number":
            bands = sorted(question.bands, key=lambda b: b.score)
            band = bands[round(share * (len(bands) - 1))]
            answers[question.id] = band.min if band.min is not None else (band.max or 1) - 1
        elif question.type == "text":
            answers[question.id] = "Dane przykładowe."
    return answers


def submitted_peer_audit(
    organisation: Organisation, questionnaire: Questionnaire, user: User, level: float
) -> Audit:
    """A submitted audit of `organisation` answered at `level` (see `peer_answers`)."""
    audit = audit_service.start_audit(organisation, questionnaire, user)
    for question_id, value in peer_answers(questionnaire, level).items():
        audit_service.save_answer(audit, question_id, value=value, user=user)
    audit_service.submit(audit, user)
    return audit


def add_peer_libraries(
    questionnaire: Questionnaire, admin: User, today: date
) -> list[Organisation]:
    when = datetime.combine(today - timedelta(days=40), datetime.min.time(), tzinfo=UTC)
    peers = []
    for number, level in enumerate(PEER_LEVELS, start=1):
        organisation = Organisation(
            name=f"{PEER_NAME_PREFIX} {number} (dane przykładowe)",
            type="library",
            size="medium",
            benchmark_consent=True,
            created_by_id=admin.id,
        )
        db.session.add(organisation)
        db.session.flush()
        audit = submitted_peer_audit(organisation, questionnaire, admin, level)
        audit.started_at = when - timedelta(days=number)
        audit.submitted_at = when + timedelta(days=number)
        peers.append(organisation)
    return peers


def add_demo_campaign(members: list[Organisation], admin: User, today: date) -> None:
    """A network's campaign over the demo library and its peers, so the organiser's
    pages (participation, aggregated results, the campaign report) show at once."""
    campaign = campaign_service.create(
        admin,
        campaign_service.CampaignInput(
            name="Sieć bibliotek publicznych: audyt gotowości CRM 2026 (dane przykładowe)",
            questionnaire_id="library-crm-audit",
            starts_on=today - timedelta(days=60),
            ends_on=today + timedelta(days=30),
            terms=(
                "Organizator widzi, kto wziął udział, i wyniki zbiorcze (bez nazw). Wyniki "
                "pojedynczej biblioteki widzi tylko wtedy, gdy biblioteka się na to zgodzi."
            ),
            terms_include_benchmarks=True,
        ),
    )
    for number, organisation in enumerate(members):
        member = campaign_service.add_member(admin, campaign, organisation)
        if number % 4 == 1:  # a few members share their own results with the organiser
            campaign_service.set_sharing(admin, member, True)


def _demo_actions(audit: Audit, today: date) -> None:
    db.session.add_all(
        [
            Action(
                audit_id=audit.id,
                recommendation_id="demo-1",
                title="Wprowadzić jedną kartę czytelnika we wszystkich filiach",
                owner="Dyrektor ds. udostępniania",
                due_date=today - timedelta(days=20),
                status="done",
            ),
            Action(
                audit_id=audit.id,
                recommendation_id="demo-2",
                title="Przeszkolić zespół informatorium z obsługi relacji z czytelnikiem",
                owner="Kierowniczka informatorium",
                due_date=today + timedelta(days=10),
                status="in_progress",
            ),
        ]
    )
