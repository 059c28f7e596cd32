"""The campaign's "where members should start" and "recommendations most members
received" come from rows stored at submission (services/audit_priorities.py) and counted
in SQL; these tests hold them to the result model: each audit's rows are its model's
start area and recommendation ids, and the campaign's figures are exactly those of
counting every member's model (the way the aggregate was computed before the rows),
with "don't know" answers among them; rows go on reopen, come back on submission and
are backfilled for audits submitted before the tables existed."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from sqlalchemy import delete, func, select

from audit_app.domain.scoring_text import fmt_percent
from audit_app.extensions import db
from audit_app.models import (
    Audit,
    AuditRecommendationId,
    AuditStartArea,
    Campaign,
    Organisation,
    User,
)
from audit_app.services import audit_priorities
from audit_app.services import audits as audit_service
from audit_app.services.campaign_results import campaign_view
from audit_app.services.questionnaires import catalogue
from audit_app.wording import translator
from tests.conftest import login
from tests.web.test_campaigns import LIBRARY, build_network


@pytest.fixture(autouse=True)
def _empty_database(clean_db):
    """Every test here starts on an empty database."""


def _answers(seed: int) -> list[str]:
    """Fifteen answers: a level around a base, one in four "don't know" from seed 1 on."""
    rng = random.Random(seed)  # noqa: S311 - test data
    base = seed % 5
    return [
        "dont_know"
        if seed and rng.random() < 0.25
        else str(max(0, min(4, base + rng.choice((-1, 0, 1)))))
        for _ in range(15)
    ]


def _network_with_varied_audits(app, count: int = 7):
    """A campaign of `count` members, each with a submitted audit of varied answers."""
    network = build_network(app, [False] * count)
    with app.app_context():
        library = catalogue().get(LIBRARY)
        assert library is not None
        user = db.session.scalar(select(User).filter_by(email="member@example.org"))
        for seed, organisation_id in enumerate(network.organisation_ids):
            organisation = db.session.get(Organisation, organisation_id)
            audit = audit_service.start_audit(organisation, library, user)
            for question, value in zip(library.questions, _answers(seed), strict=True):
                audit_service.save_answer(audit, question.id, value=value, user=user)
            audit_service.submit(audit, user)
        db.session.commit()
    return network


def _models(ids: list[int], lang: str):
    answers = audit_priorities.stored_answers(ids)
    t = translator(lang)
    return {
        audit_id: audit_priorities.model_of(db.session.get(Audit, audit_id), answers[audit_id], t)
        for audit_id in ids
    }


def _stored(audit_id: int) -> tuple[str | None, set[str]]:
    start = db.session.get(AuditStartArea, audit_id)
    recs = db.session.scalars(
        select(AuditRecommendationId.recommendation_id).where(
            AuditRecommendationId.audit_id == audit_id
        )
    )
    return (start.section_id if start else "missing"), set(recs)


def _by_model(models, lang: str):
    """Today's rule computed the old way: every member's model, counted in Python."""
    t = translator(lang)
    starts: Counter[str] = Counter()
    recurring: Counter[str] = Counter()
    titles: dict[str, str] = {}
    for model in models.values():
        if model.start is not None:
            starts[model.start.area.id] += 1
            titles.setdefault(model.start.area.id, model.start.area.title)
        for rec in {r.id: r for r in model.recommendations}.values():
            recurring[rec.id] += 1
            titles.setdefault(rec.id, rec.title)

    def top(counter: Counter[str]):
        ranked = sorted(counter.items(), key=lambda kv: (-kv[1], titles[kv[0]]))[:5]
        total = len(models)
        return [
            (key, titles[key], n, fmt_percent(round(100 * n / total, 1), t.lang))
            for key, n in ranked
        ]

    return top(starts), top(recurring)


def _submitted_ids() -> list[int]:
    return list(db.session.scalars(select(Audit.id).where(Audit.status == "submitted")))


def test_stored_rows_are_each_models_start_and_recommendations(app):
    _network_with_varied_audits(app)
    with app.app_context():
        ids = _submitted_ids()
        models = _models(ids, "pl")
        dont_know = [i for i, m in models.items() if m.result.unknown]
        assert dont_know, "some audits answer don't know"
        assert any(r.id.startswith("facts-") for i in dont_know for r in models[i].recommendations)
        for audit_id, model in models.items():
            expected = audit_priorities.priorities_of(model)
            assert _stored(audit_id) == (
                expected.start_area_id,
                set(expected.recommendation_ids),
            )


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_campaign_counts_equal_counting_every_members_model(app, lang):
    network = _network_with_varied_audits(app)
    with app.app_context():
        expected = _by_model(_models(_submitted_ids(), lang), lang)
        # Not a trivial case: members start in different areas, and some recommendations
        # are "establish the facts" of don't-know answers.
        assert len(expected[0]) >= 2 and len(expected[1]) == 5
        view = campaign_view(db.session.get(Campaign, network.campaign_id), lang)
        assert view.aggregate_shown

        def got(items):
            return [(i.id, i.title, i.members, i.members_display.split("(")[1][:-1]) for i in items]

        assert (got(view.start_areas), got(view.recurring)) == expected
        # The dimension each recommendation belongs to, as the model words it.
        models = _models(_submitted_ids(), lang)
        dimensions = {r.id: r.dimension for m in models.values() for r in m.recommendations}
        assert [i.area_title for i in view.recurring] == [dimensions[i.id] for i in view.recurring]


def test_rows_removed_on_reopen_written_on_submit_and_backfilled(app, client):
    network = _network_with_varied_audits(app, 6)
    with app.app_context():
        admin = db.session.scalar(select(User).filter_by(email="admin@example.org"))
        audit = db.session.get(Audit, _submitted_ids()[0])
        before = _stored(audit.id)
        audit_service.reopen(audit, admin, "a correction")
        assert _stored(audit.id) == ("missing", set())
        audit_service.submit(audit, admin)
        assert _stored(audit.id) == before
        # Audits submitted before the tables existed: no rows at all.
        ids = _submitted_ids()
        expected = _by_model(_models(ids, "en"), "en")
        for model in (AuditStartArea, AuditRecommendationId):
            db.session.execute(delete(model))
        db.session.commit()
    # The organiser's results page fills them in (and keeps them) ...
    login(client, "network@example.org")
    page = client.get(f"/campaigns/{network.campaign_id}/results").text
    assert expected[0][0][1] in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditStartArea)) == len(ids)
        view = campaign_view(db.session.get(Campaign, network.campaign_id), "en")
        assert [(i.id, i.members) for i in view.start_areas] == [
            (key, n) for key, _title, n, _share in expected[0]
        ]
        # ... and the command line fills in all of them at once.
        for model in (AuditStartArea, AuditRecommendationId):
            db.session.execute(delete(model))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["benchmark-backfill"])
    assert result.exit_code == 0, result.output
    assert f"Start areas and recommendations written for {len(ids)} audit(s)." in result.output
    with app.app_context():
        for audit_id, model in _models(ids, "en").items():
            found = audit_priorities.priorities_of(model)
            assert _stored(audit_id) == (found.start_area_id, set(found.recommendation_ids))
