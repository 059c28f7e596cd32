"""The rules of the one result model, by hand: rankings, where to start, wording."""

from __future__ import annotations

import pytest

from audit_app.domain.answer_text import language_note
from audit_app.domain.ranking import AreaFigures, start_area, strongest_and_weakest
from audit_app.wording import translator


def area(n: int, percent: float, *, gap: float | None = None, weight: float = 1.0, critical=False):
    return AreaFigures(f"a{n}", n, percent, weight, gap, critical)


def ids(areas) -> list[str]:
    return [a.id for a in areas]


def test_an_area_tied_with_a_strong_one_is_never_weak():
    # The demo's case: 62,5 % three times among the strongest, a fourth 62,5 % was "weak".
    areas = [
        area(1, 56.25),
        area(2, 62.5),
        area(3, 62.5),
        area(4, 50),
        area(5, 62.5),
        area(6, 62.5),
    ]
    strongest, weakest = strongest_and_weakest(areas)
    assert ids(strongest) == ["a2", "a3", "a5"]
    assert ids(weakest) == ["a4", "a1"]  # lowest first; a6 at 62,5 % is not weak


def test_ties_are_judged_by_the_figure_shown():
    # 62.46 and 62.5 both read "62,5%": a tie, as a reader sees it.
    strongest, weakest = strongest_and_weakest([area(1, 62.5), area(2, 62.46)])
    assert ids(strongest) == ["a1"] and weakest == []


def test_with_few_areas_the_lists_are_shorter_not_padded():
    assert strongest_and_weakest([area(1, 40)]) == ([area(1, 40)], [])
    strongest, weakest = strongest_and_weakest([area(1, 40), area(2, 70), area(3, 55)])
    assert ids(strongest) == ["a2"] and ids(weakest) == ["a1"]


def test_start_critical_failure_first_then_weighted_gap_then_lowest_score():
    lowest = area(1, 10)
    gap = area(2, 40, gap=20)
    heavy_gap = area(3, 45, gap=15, weight=2)  # 15 x 2 = 30 beats 20
    critical = area(4, 80, critical=True)
    assert start_area([lowest, gap, heavy_gap, critical]) == critical
    assert start_area([lowest, gap, heavy_gap]) == heavy_gap
    assert start_area([lowest, gap]) == gap  # below its target beats a lower score at target
    assert start_area([area(1, 50), area(2, 50)]).id == "a1"  # ties: questionnaire order
    assert start_area([]) is None


def test_an_area_at_its_target_comes_after_every_area_below_it():
    at_target = area(1, 50, gap=0)  # the demo's "Cykl życia relacji"
    below = area(2, 56.25, gap=3.75)
    assert start_area([at_target, below]) == below


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Dane z rozmowy z dyrekcją.", "en", "(in Polish)"),
        ("Rozmowa z kierownikiem", "en", "(in Polish)"),
        ("Data from the talk with the director and the staff.", "pl", "(po angielsku)"),
        ("Data from the talk with the director and the staff.", "en", ""),
        ("Dane z rozmowy z dyrekcją.", "pl", ""),
        ("OK", "en", ""),
    ],
)
def test_notes_in_the_other_language_are_marked(text, lang, expected):
    assert language_note(text, translator(lang)) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "Do 72,9%, jeśli 1 nieznana odpowiedź okaże się najlepsza."),
        (4, "Do 72,9%, jeśli 4 nieznane odpowiedzi okażą się najlepsze."),
        (5, "Do 72,9%, jeśli 5 nieznanych odpowiedzi okaże się najlepszych."),
        (22, "Do 72,9%, jeśli 22 nieznane odpowiedzi okażą się najlepsze."),
    ],
)
def test_the_best_case_sentence_has_polish_plurals(n, expected):
    sentence = translator("pl").ngettext(
        "Up to %(score)s if the %(num)d unknown answer turns out best.",
        "Up to %(score)s if the %(num)d unknown answers turn out best.",
        n,
        score="72,9%",
    )
    assert sentence == expected
