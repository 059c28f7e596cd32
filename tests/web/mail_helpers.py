"""Shared set-up for the mail tests: a consultant, an organisation with Polish
letters in its name, an audit of the library questionnaire, invited respondents."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from audit_app.extensions import db
from audit_app.models import Audit, Organisation, Respondent, User
from audit_app.services import audits as audit_service
from audit_app.services import respondents
from audit_app.services.questionnaires import catalogue
from tests.conftest import make_user

LIBRARY = "library-crm-audit"
ORGANISATION = "Biblioteka Łódź-Śródmieście"


@dataclass
class Setup:
    user_id: int
    organisation_id: int
    audit_id: int


def audit_setup(app: Flask, email: str = "con@example.org") -> Setup:
    user_id = make_user(app, email, "consultant", name="Zofia Żak")
    with app.app_context():
        organisation = Organisation(name=ORGANISATION, type="library", created_by_id=user_id)
        db.session.add(organisation)
        db.session.flush()
        user = db.session.get(User, user_id)
        audit = audit_service.start_audit(organisation, catalogue().get(LIBRARY), user)
        db.session.commit()
        return Setup(user_id, organisation.id, audit.id)


def invite(setup: Setup, email: str, name: str = "Łucja Więckowska") -> Respondent:
    """A respondent with a personal link (inside an app context; flushed)."""
    audit = db.session.get(Audit, setup.audit_id)
    user = db.session.get(User, setup.user_id)
    return respondents.invite(audit, role="frontline_staff", user=user, name=name, email=email)
