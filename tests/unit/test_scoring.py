"""Scoring: hand-computed examples for every rule."""

from __future__ import annotations

import json

import pytest

from audit_app.domain.answers import (
    AnswerValue,
    effective_answer,
    question_percent,
    validate_answer,
    visible_question_ids,
)
from audit_app.domain.questionnaire import (
    DONT_KNOW,
    NOT_APPLICABLE,
    Condition,
    TargetProfile,
    VerdictRule,
)
from audit_app.domain.scoring import AuditResult, result_from_dict, result_to_dict, score
from audit_app.domain.scoring_text import fmt, fmt_percent
from tests.unit.builders import (
    make_scale,
    multiple_q,
    number_q,
    questionnaire,
    scale_q,
    section,
    single_q,
    t,
    text_q,
)

BANDS = [(None, 1, 0), (1, 5, 2), (5, None, 4)]


def one_question(question_answer: AnswerValue, **kw: object) -> AuditResult:
    q = scale_q("q1", **kw)  # type: ignore[arg-type]
    return score(questionnaire(section("s1", q)), {"q1": question_answer})


# --- question types ------------------------------------------------------------


def test_scale_question_percent_and_explanation() -> None:
    result = one_question("2")
    q = result.question("q1")
    assert q is not None
    assert (q.status, q.points, q.max_points, q.percent) == ("scored", 2, 4, 50.0)
    assert q.answer == "2"
    assert q.explanation.en == "2 of 4 points = 50%"
    assert q.explanation.pl == "2 z 4 pkt = 50%"


def test_single_choice_uses_best_option_as_full_score() -> None:
    q = single_q("q1", {"a": 0, "b": 3, "c": 6})
    result = score(questionnaire(section("s1", q)), {"q1": "b"})
    assert result.question("q1").percent == 50.0  # type: ignore[union-attr]


def test_multiple_choice_sums_chosen_options() -> None:
    q = multiple_q("q1", {"x": 1, "y": 2, "z": 3})  # full score = 6
    result = score(questionnaire(section("s1", q)), {"q1": ["z", "x"]})
    qs = result.question("q1")
    assert qs is not None
    assert qs.points == 4
    assert qs.percent == pytest.approx(400 / 6)
    assert qs.answer == ["x", "z"]  # normalised to option order
    assert qs.explanation.en == "4 of 6 points = 66.7%"
    assert qs.explanation.pl == "4 z 6 pkt = 66,7%"


def test_multiple_choice_is_capped_at_full_score() -> None:
    q = multiple_q("q1", {"x": 1, "y": 2, "z": 3}, max_score=4)
    result = score(questionnaire(section("s1", q)), {"q1": ["y", "z"]})
    qs = result.question("q1")
    assert qs is not None
    assert (qs.points, qs.max_points, qs.percent) == (4, 4, 100.0)
    assert qs.explanation.en == "sum 5 points, capped at the maximum: 4 of 4 points = 100%"
    assert qs.explanation.pl == "suma 5 pkt, ograniczona do maksimum: 4 z 4 pkt = 100%"


def test_multiple_choice_empty_and_negative() -> None:
    q = multiple_q("q1", {"good": 4, "bad": -2})
    qn = questionnaire(section("s1", q))
    assert score(qn, {"q1": []}).question("q1").percent == 0.0  # type: ignore[union-attr]
    assert score(qn, {"q1": ["bad"]}).question("q1").percent == 0.0  # type: ignore[union-attr]
    assert score(qn, {"q1": ["good", "bad"]}).question("q1").percent == 50.0  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("value", "percent"), [(0, 0.0), (0.5, 0.0), (1, 50.0), (3, 50.0), (4.99, 50.0), (5, 100.0)]
)
def test_number_question_uses_bands(value: float, percent: float) -> None:
    q = number_q("q1", BANDS, unit=t("people", "osób"))
    result = score(questionnaire(section("s1", q)), {"q1": value})
    assert result.question("q1").percent == percent  # type: ignore[union-attr]


def test_number_explanation_names_value_and_band() -> None:
    q = number_q("q1", BANDS)
    qs = score(questionnaire(section("s1", q)), {"q1": 2.5}).question("q1")
    assert qs is not None
    assert qs.explanation.en == "value 2.5 → band “1-5”: 2 of 4 points = 50%"
    assert qs.explanation.pl == "wartość 2,5 → przedział „1-5”: 2 z 4 pkt = 50%"


def test_number_outside_all_bands_is_invalid_and_unanswered() -> None:
    q = number_q("q1", [(0, 10, 1), (10, 20, 2)])
    assert validate_answer(q, -1) == "out_of_range"
    result = score(questionnaire(section("s1", q)), {"q1": -1})
    qs = result.question("q1")
    assert qs is not None
    assert (qs.status, qs.answer, qs.percent) == ("unanswered", None, None)


def test_text_question_is_unscored_and_not_counted() -> None:
    qn = questionnaire(section("s1", scale_q("q1"), text_q("notes")))
    result = score(qn, {"q1": "4", "notes": "anything"})
    notes = result.question("notes")
    assert notes is not None
    assert notes.status == "unscored"
    assert notes.explanation.en == "Free-text question – not scored"
    assert result.coverage == 100.0
    assert result.section("s1").total == 1  # type: ignore[union-attr]


# --- validation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "value", "code"),
    [
        (scale_q("q"), "2", None),
        (scale_q("q"), None, None),
        (scale_q("q"), "9", "unknown_option"),
        (scale_q("q"), 2, "wrong_type"),
        (scale_q("q"), ["2"], "wrong_type"),
        (scale_q("q"), DONT_KNOW, None),
        (scale_q("q"), NOT_APPLICABLE, None),
        (scale_q("q", dont_know=False), DONT_KNOW, "dont_know_not_allowed"),
        (scale_q("q", not_applicable=False), NOT_APPLICABLE, "na_not_allowed"),
        (
            scale_q("q", scale=make_scale("yn", {"yes": 1, "no": 0}, not_applicable=False)),
            "na",
            "na_not_allowed",
        ),
        (single_q("q", {"a": 1}), "a", None),
        (single_q("q", {"a": 1}), "b", "unknown_option"),
        (multiple_q("q", {"a": 1, "b": 1}), ["a", "b"], None),
        (multiple_q("q", {"a": 1, "b": 1}), [], None),
        (multiple_q("q", {"a": 1, "b": 1}), ["a", "c"], "unknown_option"),
        (multiple_q("q", {"a": 1, "b": 1}), "a", "wrong_type"),
        (multiple_q("q", {"a": 1, "b": 1}), [1], "wrong_type"),
        (number_q("q", BANDS), 3, None),
        (number_q("q", BANDS), 3.5, None),
        (number_q("q", BANDS), "3", "not_a_number"),
        (number_q("q", BANDS), True, "not_a_number"),
        (number_q("q", BANDS), float("nan"), "not_a_number"),
        (number_q("q", BANDS), float("inf"), "not_a_number"),
        (number_q("q", BANDS), [3], "wrong_type"),
        (number_q("q", BANDS), DONT_KNOW, None),
        (text_q("q"), "free text", None),
        (text_q("q"), "na", None),
        (text_q("q"), 3, "wrong_type"),
    ],
)
def test_validate_answer(question: object, value: AnswerValue, code: str | None) -> None:
    assert validate_answer(question, value) == code  # type: ignore[arg-type]


def test_invalid_answers_count_as_unanswered() -> None:
    q = scale_q("q1")
    assert effective_answer(q, "9") is None
    assert question_percent(q, "9") is None
    assert one_question("9").question("q1").status == "unanswered"  # type: ignore[union-attr]


# --- special answers and coverage ------------------------------------------------------


def test_not_applicable_is_excluded_from_score_and_coverage() -> None:
    qn = questionnaire(section("s1", scale_q("q1"), scale_q("q2")))
    result = score(qn, {"q1": "1", "q2": NOT_APPLICABLE})
    assert result.question("q2").status == "na"  # type: ignore[union-attr]
    assert result.section("s1").percent == 25.0  # type: ignore[union-attr]
    assert (result.section("s1").answered, result.section("s1").total) == (1, 1)  # type: ignore[union-attr]
    assert result.coverage == 100.0
    assert result.provisional is False
    assert result.question("q2").explanation.pl == (  # type: ignore[union-attr]
        "Nie dotyczy – pominięte w wyniku i w pokryciu dowodami"
    )


def test_dont_know_counts_as_zero_states_the_best_case_and_lowers_coverage() -> None:
    qn = questionnaire(section("s1", scale_q("q1"), scale_q("q2")))
    result = score(qn, {"q1": "4", "q2": DONT_KNOW})
    assert result.question("q2").status == "dont_know"  # type: ignore[union-attr]
    assert result.question("q2").percent == 0.0  # type: ignore[union-attr]
    assert result.section("s1").percent == 50.0  # type: ignore[union-attr]
    assert result.overall == 50.0
    assert result.best_case == 100.0
    assert result.unknown == 1
    assert result.rule == 2
    assert result.coverage == 50.0
    assert result.provisional is True
    assert result.coverage_explanation.en == (
        "1 of 2 questions (excluding hidden and n/a) have a scored answer = 50%"
        " – below 70% – the result is provisional"
    )
    assert result.coverage_explanation.pl == (
        "1 z 2 pytań (bez ukrytych i „nie dotyczy”) ma ocenioną odpowiedź = 50%"
        " – poniżej 70% – wynik wstępny"
    )


def test_unanswered_questions_are_excluded_like_dont_know() -> None:
    qn = questionnaire(section("s1", scale_q("q1"), scale_q("q2"), scale_q("q3"), scale_q("q4")))
    result = score(qn, {"q1": "4", "q2": "2", "q3": "0"})
    assert result.question("q4").status == "unanswered"  # type: ignore[union-attr]
    assert result.section("s1").percent == 50.0  # type: ignore[union-attr]
    assert result.coverage == 75.0
    assert result.provisional is False


def test_empty_answers_give_no_score() -> None:
    result = score(questionnaire(section("s1", scale_q("q1"))), {})
    assert (result.overall, result.level_id, result.coverage) == (None, None, 0.0)
    assert result.verdict == "not_ready"
    assert result.provisional is True
    assert result.lowest_section_id is None
    assert result.explanation.en == "no scored dimensions – no score"
    assert result.verdict_reasons[0].en == "No scored answers – readiness cannot be established"


def test_all_not_applicable_gives_undefined_coverage() -> None:
    result = one_question(NOT_APPLICABLE)
    assert result.coverage is None
    assert result.provisional is True
    assert result.overall is None


# --- visibility ------------------------------------------------------------------------


def branching() -> object:
    return questionnaire(
        section(
            "s1",
            scale_q("q1"),
            scale_q("q2", show_if=Condition("q1", equals=("3", "4"))),
            scale_q("q3", show_if=Condition("q2", min_score=50)),
            multiple_q("q4", {"a": 1, "b": 1, "c": 1}),
            scale_q("q5", show_if=Condition("q4", equals=("b",))),
        )
    )


def test_equals_condition() -> None:
    qn = branching()
    assert "q2" not in visible_question_ids(qn, {"q1": "2"})  # type: ignore[arg-type]
    assert "q2" in visible_question_ids(qn, {"q1": "3"})  # type: ignore[arg-type]
    assert "q2" not in visible_question_ids(qn, {"q1": DONT_KNOW})  # type: ignore[arg-type]
    assert "q2" not in visible_question_ids(qn, {})  # type: ignore[arg-type]


def test_equals_on_multiple_matches_any_chosen_value() -> None:
    qn = branching()
    assert "q5" in visible_question_ids(qn, {"q4": ["a", "b"]})  # type: ignore[arg-type]
    assert "q5" not in visible_question_ids(qn, {"q4": ["a", "c"]})  # type: ignore[arg-type]


def test_min_score_condition_and_hidden_controller() -> None:
    qn = branching()
    assert "q3" in visible_question_ids(qn, {"q1": "4", "q2": "2"})  # type: ignore[arg-type]
    assert "q3" not in visible_question_ids(qn, {"q1": "4", "q2": "1"})  # type: ignore[arg-type]
    assert "q3" not in visible_question_ids(qn, {"q1": "4", "q2": DONT_KNOW})  # type: ignore[arg-type]
    # q2 answered high but hidden (q1 too low): q3 is hidden too
    assert "q3" not in visible_question_ids(qn, {"q1": "1", "q2": "4"})  # type: ignore[arg-type]


def test_hidden_questions_are_ignored_entirely() -> None:
    qn = branching()
    result = score(qn, {"q1": "1", "q2": "0", "q3": "0", "q4": ["a"]})  # type: ignore[arg-type]
    q2 = result.question("q2")
    assert q2 is not None
    assert (q2.status, q2.answer, q2.percent) == ("hidden", None, None)
    assert q2.explanation.en == "Hidden question (display condition not met) – ignored"
    # q1 = 25 %, q4 = 33.3 %; q2, q3, q5 hidden
    assert result.section("s1").percent == pytest.approx((25 + 100 / 3) / 2)  # type: ignore[union-attr]
    assert result.section("s1").total == 2  # type: ignore[union-attr]
    assert result.coverage == 100.0


def test_hidden_critical_question_does_not_cap() -> None:
    qn = questionnaire(
        section(
            "s1",
            scale_q("q1"),
            scale_q("q2", critical=True, show_if=Condition("q1", equals=("0",))),
        )
    )
    result = score(qn, {"q1": "4", "q2": "0"})
    assert result.critical_failures == ()
    assert result.verdict == "ready"


# --- sections, overall, level -------------------------------------------------------------


def two_sections() -> object:
    return questionnaire(
        section("a", scale_q("a1"), scale_q("a2", weight=2), scale_q("a3")),
        section("b", scale_q("b1"), weight=2),
    )


ANSWERS_2S: dict[str, AnswerValue] = {"a1": "2", "a2": "3", "a3": "4", "b1": "2"}


def test_section_weighted_mean_and_explanation() -> None:
    result = score(two_sections(), ANSWERS_2S)  # type: ignore[arg-type]
    a = result.section("a")
    assert a is not None
    assert a.percent == 75.0
    assert (a.answered, a.total, a.target, a.gap) == (3, 3, None, None)
    assert a.explanation.en == "weighted mean of 3 questions: (50×1 + 75×2 + 100×1) / 4 = 75%"
    assert a.explanation.pl == "średnia ważona 3 pytań: (50×1 + 75×2 + 100×1) / 4 = 75%"
    b = result.section("b")
    assert b is not None
    assert b.explanation.pl == "średnia ważona 1 pytania: (50×1) / 1 = 50%"


def test_overall_level_and_lowest_section() -> None:
    result = score(two_sections(), ANSWERS_2S)  # type: ignore[arg-type]
    assert result.overall == pytest.approx((75 * 1 + 50 * 2) / 3)
    assert result.level_id == "developing"
    assert result.lowest_section_id == "b"
    assert result.explanation.en == (
        "weighted mean of 2 dimensions: (75×1 + 50×2) / 3 = 58.3%; level “Developing”"
    )
    assert result.explanation.pl == (
        "średnia ważona 2 obszarów: (75×1 + 50×2) / 3 = 58,3%; poziom „Rozwijający się”"
    )


def test_section_without_scored_questions_is_left_out_of_overall() -> None:
    result = score(two_sections(), {"a1": "4", "b1": NOT_APPLICABLE})  # type: ignore[arg-type]
    assert result.section("b").percent is None  # type: ignore[union-attr]
    assert result.section("b").explanation.en == "no scored questions – no score"  # type: ignore[union-attr]
    assert result.overall == 100.0
    assert result.lowest_section_id == "a"


def test_a_section_of_only_unknowns_counts_as_zero() -> None:
    result = score(two_sections(), {"a1": "4", "b1": DONT_KNOW})  # type: ignore[arg-type]
    assert result.section("b").percent == 0.0  # type: ignore[union-attr]
    assert result.overall is not None and result.overall < 100.0
    assert result.best_case == 100.0


def test_lowest_section_ties_take_the_first_in_file_order() -> None:
    qn = questionnaire(section("a", scale_q("a1")), section("b", scale_q("b1")))
    assert score(qn, {"a1": "2", "b1": "2"}).lowest_section_id == "a"


@pytest.mark.parametrize(
    ("answer", "level"), [("0", "initial"), ("2", "developing"), ("3", "mature"), ("4", "mature")]
)
def test_level_is_highest_reached(answer: str, level: str) -> None:
    assert one_question(answer).level_id == level


# --- verdict ----------------------------------------------------------------------------


def test_verdict_ready() -> None:
    result = score(two_sections(), {"a1": "4", "a2": "3", "a3": "3", "b1": "3"})  # type: ignore[arg-type]
    assert result.verdict == "ready"
    assert result.verdict_reasons[0].en == (
        "Ready: overall score 77.1% ≥ 60% and every dimension ≥ 40%"
    )
    assert result.verdict_reasons[0].pl == (
        "Gotowość: wynik ogólny 77,1% ≥ 60% i każdy obszar ≥ 40%"
    )


def test_verdict_conditional_because_of_overall() -> None:
    result = score(two_sections(), ANSWERS_2S)  # type: ignore[arg-type]
    assert result.verdict == "conditional"
    assert result.verdict_reasons == (
        t(
            "Conditionally ready: overall score 58.3% < 60% (readiness threshold) but ≥ 40%",
            "Gotowość warunkowa: wynik ogólny 58,3% < 60% (próg gotowości), ale ≥ 40%",
        ),
    )


def test_verdict_conditional_because_of_a_weak_section() -> None:
    qn = questionnaire(section("a", scale_q("a1"), weight=3), section("b", scale_q("b1")))
    result = score(qn, {"a1": "4", "b1": "1"})
    assert result.overall == 81.25
    assert result.verdict == "conditional"
    assert [r.en for r in result.verdict_reasons] == [
        "Conditionally ready: overall score 81.3% ≥ 60%, but not every dimension reaches 40%",
        "Dimension “section b”: 25% < 40%",
    ]
    assert result.verdict_reasons[1].pl == "Obszar „PL: section b”: 25% < 40%"


def test_verdict_not_ready() -> None:
    result = one_question("1")
    assert result.verdict == "not_ready"
    assert result.verdict_reasons[0].en == (
        "Not ready: overall score 25% < 40% (conditional readiness threshold)"
    )


def critical_audit(cap: str = "conditional") -> object:
    return questionnaire(
        section(
            "s1",
            scale_q("q1"),
            scale_q("q2", critical=True, text=t("Data owner?", "Właściciel danych?")),
        ),
        verdict=VerdictRule(critical_cap=cap),  # type: ignore[arg-type]
    )


def test_critical_question_below_threshold_caps_the_verdict() -> None:
    result = score(critical_audit(), {"q1": "4", "q2": "1"})  # type: ignore[arg-type]
    assert result.overall == 62.5  # would be ready
    assert result.verdict == "conditional"
    assert result.critical_failures == ("q2",)
    assert result.verdict_reasons[-1] == t(
        "Critical question “Data owner?”: 25% < 50% – verdict lowered to: conditionally ready",
        "Pytanie krytyczne „Właściciel danych?”: 25% < 50% – werdykt obniżony do: "
        "gotowość warunkowa",
    )


def test_critical_cap_not_ready() -> None:
    result = score(critical_audit("not_ready"), {"q1": "4", "q2": "1"})  # type: ignore[arg-type]
    assert result.verdict == "not_ready"


def test_critical_cap_never_raises_the_verdict() -> None:
    result = score(critical_audit(), {"q1": "0", "q2": "1"})  # type: ignore[arg-type]
    assert result.verdict == "not_ready"
    assert result.critical_failures == ("q2",)
    assert result.verdict_reasons[-1].en.endswith("the verdict cannot exceed: conditionally ready")


def test_critical_dont_know_counts_as_zero_for_the_cap() -> None:
    result = score(critical_audit(), {"q1": "4", "q2": DONT_KNOW})  # type: ignore[arg-type]
    assert result.overall == 50.0
    assert result.best_case == 100.0
    assert result.verdict == "conditional"
    assert result.critical_failures == ("q2",)
    assert "answered “don't know” (counts as 0%)" in result.verdict_reasons[-1].en
    assert "odpowiedź „nie wiem” (liczona jako 0%)" in result.verdict_reasons[-1].pl
    assert result.question("q2").explanation.en.endswith(  # type: ignore[union-attr]
        "critical question – below the critical threshold"
    )


@pytest.mark.parametrize("answer", ["2", None])
def test_critical_at_threshold_or_unanswered_does_not_cap(answer: str | None) -> None:
    result = score(critical_audit(), {"q1": "4", "q2": answer})  # type: ignore[arg-type]
    assert result.critical_failures == ()
    assert result.verdict == "ready"


# --- targets -----------------------------------------------------------------------------


def test_targets_for_organisation_type() -> None:
    qn = two_sections()
    qn = questionnaire(
        *qn.sections,  # type: ignore[attr-defined]
        targets=(TargetProfile("library", 60, {"a": 80}), TargetProfile("company", 40)),
    )
    result = score(qn, ANSWERS_2S, organisation_type="library")
    a, b = result.section("a"), result.section("b")
    assert a is not None and b is not None
    assert (a.target, a.gap) == (80, 5.0)
    assert (b.target, b.gap) == (60, 10.0)
    assert result.target == 60
    assert result.gap == pytest.approx(60 - 175 / 3)
    assert a.explanation.en.endswith("; target 80% → gap 5 percentage points")
    assert a.explanation.pl.endswith("; cel 80% → luka 5 pkt proc.")

    company = score(qn, ANSWERS_2S, organisation_type="company")
    assert (company.section("a").target, company.section("a").gap) == (40, 0.0)  # type: ignore[union-attr]
    assert company.gap == 0.0

    for other in (None, "ngo"):
        plain = score(qn, ANSWERS_2S, organisation_type=other)
        assert plain.section("a").target is None  # type: ignore[union-attr]
        assert plain.section("a").gap is None  # type: ignore[union-attr]
        assert plain.target is None


# --- result object --------------------------------------------------------------------------


def test_result_identity_fields_and_lookups() -> None:
    result = score(two_sections(), ANSWERS_2S)  # type: ignore[arg-type]
    assert (result.questionnaire_id, result.version, result.content_hash) == (
        "test-audit",
        "1.0.0",
        "0" * 64,
    )
    assert [q.question_id for q in result.questions] == ["a1", "a2", "a3", "b1"]
    assert result.question("b1").section_id == "b"  # type: ignore[union-attr]
    assert result.question("nope") is None
    assert result.section("nope") is None


def test_json_round_trip() -> None:
    qn = questionnaire(
        section("s1", scale_q("q1", critical=True), multiple_q("q2", {"a": 1, "b": 2})),
        section("s2", number_q("q3", BANDS), text_q("q4"), scale_q("q5")),
        targets=(TargetProfile("library", 70),),
    )
    answers: dict[str, AnswerValue] = {
        "q1": DONT_KNOW,
        "q2": ["b"],
        "q3": 3.5,
        "q4": "notes",
        "q5": NOT_APPLICABLE,
    }
    result = score(qn, answers, "library")
    data = result_to_dict(result)
    assert data["format"] == 1
    restored = result_from_dict(json.loads(json.dumps(data)))
    assert restored == result


def test_from_dict_tolerates_missing_optional_keys() -> None:
    data = result_to_dict(one_question("2"))
    for key in ("organisation_type", "target", "gap", "coverage_explanation"):
        del data[key]
    restored = result_from_dict(data)
    assert restored.overall == 50.0
    assert restored.target is None


@pytest.mark.parametrize(
    ("value", "en", "pl"),
    [(50.0, "50%", "50%"), (66.666, "66.7%", "66,7%"), (0.04, "0%", "0%"), (None, "–", "–")],
)
def test_display_formatting(value: float | None, en: str, pl: str) -> None:
    assert fmt_percent(value) == en
    assert fmt_percent(value, "pl") == pl
    assert fmt(2.25, "pl") == "2,3"
    assert fmt(-0.01) == "0"
    assert fmt(1e30) == "1e+30"
    assert fmt(123456.75) == "123456.8"
