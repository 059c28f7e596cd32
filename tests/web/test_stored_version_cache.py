"""A stored questionnaire version is parsed once per process and found again by its
content hash, without reading its text from the database (issue 19)."""

from __future__ import annotations

from sqlalchemy import inspect

from audit_app.extensions import db
from audit_app.models import QuestionnaireVersion
from audit_app.services.questionnaires import catalogue, questionnaire_of, store_version


def test_a_version_is_parsed_once_and_then_found_without_its_text(app):
    with app.app_context():
        questionnaire = catalogue().get("crm-implementation-risk")
        version_id = store_version(questionnaire).id
        db.session.commit()
        db.session.remove()
        first = questionnaire_of(db.session.get(QuestionnaireVersion, version_id))
        assert first.content_hash == questionnaire.content_hash
        db.session.remove()
        version = db.session.get(QuestionnaireVersion, version_id)
        assert questionnaire_of(version) is first
        assert "source" not in inspect(version).dict  # the 134 KB text was never read
        assert "schema:" in version.source  # and is there when asked for
