"""CLI commands that work on the database: demo data and the audit list."""

from __future__ import annotations

from sqlalchemy import func, select

from audit_app.commands.demo import PEER_NAME_PREFIX
from audit_app.extensions import db
from audit_app.models import Audit, Organisation, User
from audit_app.models.campaigns import CampaignMember


def test_demo_fills_an_empty_database_once(app, clean_db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "demo@example.org" in first.output
    with app.app_context():
        counts = (
            db.session.scalar(select(func.count(User.id))),
            db.session.scalar(select(func.count(Organisation.id))),
            db.session.scalar(select(func.count(Audit.id)).where(Audit.status == "submitted")),
        )
        overall = list(
            db.session.scalars(
                select(Audit.overall)
                .join(Organisation)
                .where(
                    Audit.status == "submitted",
                    Organisation.name.not_like(f"{PEER_NAME_PREFIX}%"),
                )
                .order_by(Audit.submitted_at)
            )
        )
        peers = db.session.scalar(
            select(func.count(Organisation.id)).where(Organisation.benchmark_consent.is_(True))
        )
        campaign_members = db.session.scalar(select(func.count(CampaignMember.id)))
    # 4 organisations with 3 audits of one, and 10 anonymised peer libraries (benchmarks);
    # a campaign over the 11 libraries, whose terms include benchmarks: all 11 consent.
    assert counts == (2, 14, 13) and peers == 11 and campaign_members == 11
    assert overall == sorted(overall) and overall[0] < overall[-1]  # progress over time
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    assert "already present" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 2


def test_audits_list_prints_each_audit(app, clean_db):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    result = runner.invoke(args=["audits", "list", "--organisation", "Łodzi"])
    assert result.exit_code == 0
    rows = [line for line in result.output.splitlines() if "library-crm-audit@1.0.0" in line]
    assert len(rows) == 3
    assert all("submitted" in row for row in rows)
    nothing = runner.invoke(args=["audits", "list", "--organisation", "no such place"])
    assert "No audits." in nothing.output
