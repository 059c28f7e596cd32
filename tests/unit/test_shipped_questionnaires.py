"""The three shipped questionnaires load, and scoring a sample answers file for each
matches numbers computed by hand (the arithmetic is written out beside each check)."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit_app.config import Config
from audit_app.domain.loader import load_directory
from audit_app.domain.recommendations import recommend
from audit_app.domain.scoring import score

ANSWERS = Path(__file__).resolve().parent.parent / "fixtures" / "answers"
SAMPLES = {
    "library.yaml": "library-crm-audit",
    "readiness.yaml": "crm-readiness",
    "risk.yaml": "crm-implementation-risk",
}
SEED_QUESTIONS = [
    "Czy biblioteka posiada mechanizmy do rozpoznawania indywidualnych użytkowników?",
    "Czy biblioteka identyfikuje swoich najbardziej lojalnych użytkowników?",
    "Czy personel jest szkolony w zakresie zarządzania relacjami z klientami i czy decyzje "
    "dotyczące interakcji z użytkownikami są podejmowane zespołowo?",
]


@pytest.fixture(scope="module")
def shipped():
    report = load_directory(Config.SHIPPED_QUESTIONNAIRES_DIR)
    assert report.errors == []
    return report.questionnaires


def _answers(name: str) -> dict:
    """The sample file as the CLI reads it (option values written as numbers become text)."""
    from audit_app.commands.questionnaires import read_answers

    questionnaire = load_directory(Config.SHIPPED_QUESTIONNAIRES_DIR).questionnaires[SAMPLES[name]]
    return read_answers(ANSWERS / name, questionnaire)[0]


def test_all_three_are_shipped(shipped):
    assert set(shipped) == {"library-crm-audit", "crm-readiness", "crm-implementation-risk"}
    assert len(shipped["library-crm-audit"].questions) == 15
    assert 30 <= len(shipped["crm-readiness"].questions) <= 40


def test_library_audit_keeps_the_seed_wording(shipped):
    texts = [q.text.pl for q in shipped["library-crm-audit"].questions]
    for seed_question in SEED_QUESTIONS:
        assert seed_question in texts
    critical = {q.id for q in shipped["library-crm-audit"].questions if q.critical}
    assert critical == {
        "q01_identify_users",
        "q05_merge_department_data",
        "q12_user_centred_culture",
        "q15_staff_training_teamwork",
    }


def test_library_sample_scored_by_hand(shipped):
    q = shipped["library-crm-audit"]
    result = score(q, _answers("library.yaml"))
    sections = {s.section_id: s.percent for s in result.sections}
    # user knowledge: q01 2/4=50 (weight 2), q02 3/4=75, q03 N/A -> (50*2 + 75) / 3
    assert sections["user_knowledge"] == pytest.approx(175 / 3)
    # data integration: q04 100, q05 25 (weight 2), q13 don't know counts 0 -> (100 + 50) / 4
    assert sections["data_integration"] == pytest.approx(37.5)
    # analysis: 50, 50, 0, 100 -> 50
    assert sections["analysis_segmentation"] == pytest.approx(50)
    assert sections["relationship_lifecycle"] == pytest.approx(75)
    assert sections["channels_value"] == pytest.approx(50)  # (25 + 75) / 2
    assert sections["culture_people"] == pytest.approx(62.5)  # (75*2 + 50*2) / 4
    # overall: equal section weights -> (175/3 + 37.5 + 50 + 75 + 50 + 62.5) / 6
    assert result.overall == pytest.approx((175 / 3 + 275) / 6)
    # best case: q13 at 100 % -> data integration (100 + 50 + 100) / 4 = 62.5
    assert result.best_case == pytest.approx((175 / 3 + 300) / 6)
    assert result.level_id == "defined"  # 40 <= 55.6 < 60
    # 14 questions count (q03 N/A does not); 13 have a real answer (q13 don't know)
    assert result.coverage == pytest.approx(100 * 13 / 14)
    assert result.provisional is False
    # overall < 60 -> conditional; q05 at 25 % < 50 also caps at conditional
    assert result.verdict == "conditional"
    assert "q05_merge_department_data" in result.critical_failures
    assert result.lowest_section_id == "data_integration"  # 37.5 %
    items = recommend(q, result)
    ids = [item.id for item in items]
    assert "facts-q13_channel_integration_tools" in ids
    q05_items = [i for i in items if i.target_id == "q05_merge_department_data"]
    assert q05_items and q05_items[0].triggered_by[0].answer == "1"


def test_readiness_sample_scored_by_hand(shipped):
    q = shipped["crm-readiness"]
    result = score(q, _answers("readiness.yaml"), "company")
    sections = {s.section_id: s for s in result.sections}
    # Everything answered at half marks (50 %) except in "information":
    # q24 50 (weight 2), q25 5 places -> band 4-7 = 2/4 = 50,
    # q26 six channels / max 5 -> 100 (capped), q27-q29 50 -> (100 + 50 + 100 + 150) / 7
    assert sections["information"].percent == pytest.approx(400 / 7)
    for section_id in (
        "vision_leadership",
        "strategy",
        "customer_experience",
        "collaboration_people",
        "processes",
        "technology",
        "metrics",
    ):
        assert sections[section_id].percent == pytest.approx(50), section_id
    assert result.question("q10_pilot_first").status == "na"  # shown (q09 partly), answered N/A
    assert result.question("q38_success_in_a_year").status == "unscored"
    assert result.overall == pytest.approx((350 + 400 / 7) / 8)
    assert result.verdict == "conditional"  # 50.9 < 60, no critical question below 50
    assert result.critical_failures == ()
    assert result.coverage == pytest.approx(100)
    # company targets: overall 65; vision 70; processes has none of its own -> 65
    assert result.target == pytest.approx(65)
    assert sections["vision_leadership"].gap == pytest.approx(20)
    assert sections["processes"].gap == pytest.approx(15)


def test_readiness_follow_up_question_hidden_without_a_roadmap(shipped):
    q = shipped["crm-readiness"]
    answers = _answers("readiness.yaml") | {"q09_phased_roadmap": "no"}
    assert score(q, answers).question("q10_pilot_first").status == "hidden"


def test_risk_sample_scored_by_hand(shipped):
    q = shipped["crm-implementation-risk"]
    result = score(q, _answers("risk.yaml"))
    sections = {s.section_id: s.percent for s in result.sections}
    assert sections["conviction_leadership"] == pytest.approx(62.5)  # (100 + 0 + 50 + 100) / 4
    assert sections["people_change"] == pytest.approx(200 / 3)  # (0 + 100 + 100) / 3
    assert sections["plan_resources"] == pytest.approx(75)  # (100 + 0 + 100 + 100) / 4
    # section weights 4, 3, 4: (62.5*4 + 66.67*3 + 75*4) / 11 = 750 / 11
    assert result.overall == pytest.approx(750 / 11)
    assert result.level_id == "medium_risk"
    assert result.verdict == "conditional"  # 68.2 < 75 but >= 50


def test_risk_no_sponsor_alone_caps_at_conditional(shipped):
    q = shipped["crm-implementation-risk"]
    answers = {qq.id: "yes" for qq in q.questions} | {"r04_active_sponsor": "no"}
    result = score(q, answers)
    assert result.overall > 75
    assert result.verdict == "conditional"
