"""The history page reads each submitted audit's stored figures (issue 19): the area
scores in `audit_section_scores` when written at submission, else the frozen result,
and the number of agreed actions, without restoring every frozen result."""

from __future__ import annotations

from sqlalchemy import delete, select

from audit_app.extensions import db
from audit_app.models import Action, Audit, AuditSectionScore
from audit_app.services import stored_scores
from tests.conftest import login
from tests.web.test_results import ANSWERS_A, answered_audit, at, setup  # noqa: F401


def _trend_desc(html: str) -> str:
    desc = html[html.index('id="trend-library-crm-audit-desc"') :]
    return desc[: desc.index("</desc>")]


def test_history_uses_stored_area_scores_else_the_frozen_result(client, app, setup):  # noqa: F811
    when = at(2024, 3, 1)
    audit_id = answered_audit(app, setup["org"], setup["consultant"], ANSWERS_A, when=when)
    with app.app_context():
        db.session.execute(delete(AuditSectionScore).where(AuditSectionScore.audit_id == audit_id))
        frozen = db.session.scalar(select(Audit.result).where(Audit.id == audit_id))
        sections = {s["section_id"]: s["percent"] for s in frozen["sections"]}
        db.session.add(Action(audit_id=audit_id, recommendation_id="r1", title="Warsztat"))
        db.session.commit()
        assert stored_scores.area_scores([audit_id]) == {audit_id: sections}
        assert stored_scores.action_counts([audit_id]) == {audit_id: 1}
        assert stored_scores.level_ids([audit_id]) == {audit_id: frozen["level_id"]}
    login(client, "viewer@example.org")
    from_frozen = client.get(f"/organisations/{setup['org']}/history")
    assert "Relationship life cycle 0%" in _trend_desc(from_frozen.text)
    # The agreed action is counted (the cell is labelled for phones: data-label).
    assert '<td data-label="Actions" class="num">1</td>' in from_frozen.text

    # Rows written at submission take precedence (a value the frozen result never had).
    with app.app_context():
        db.session.execute(delete(AuditSectionScore).where(AuditSectionScore.audit_id == audit_id))
        db.session.add_all(
            AuditSectionScore(audit_id=audit_id, section_id=section_id, score=12.5)
            for section_id in sections
        )
        db.session.commit()
    from_rows = client.get(f"/organisations/{setup['org']}/history")
    assert "Relationship life cycle 12.5%" in _trend_desc(from_rows.text)
