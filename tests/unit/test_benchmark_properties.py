"""Anonymity of peer benchmarks (audit_app/domain/benchmark.py), proved over random groups.

The claim (docs/benchmarks-and-campaigns.md): every published figure is a function of
the peers' scores coarsened to 5-point cells, so moving one organisation's score inside
its cell changes nothing any group shows - comparing groups that differ by one member
(differencing) included - and nothing tells an organisation's score finer than its cell.
"""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit_app.domain.benchmark import (
    DEFAULT_STEP,
    AnonymitySettings,
    Distribution,
    area_distributions,
    coarsen,
    distribution,
)

PROPERTY_SETTINGS = settings(
    deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow]
)
RULES = AnonymitySettings()

score_values = st.floats(min_value=0, max_value=100, allow_nan=False)
groups = st.lists(score_values, min_size=5, max_size=30)


def cell_bounds(value: float, step: int = DEFAULT_STEP) -> tuple[float, float]:
    """The lowest and (almost) highest score that coarsen to the same cell as `value`."""
    cell = coarsen(value, step)
    low = max(0.0, cell - step / 2)
    high = min(100.0, math.nextafter(cell + step / 2, -math.inf))
    return low, high


@st.composite
def same_cell(draw: st.DrawFn, value: float) -> float:
    low, high = cell_bounds(value)
    return draw(st.sampled_from([low, high]) | st.floats(min_value=low, max_value=high))


def published(found: Distribution | None) -> tuple[int | None, ...] | None:
    if found is None:
        return None
    return (found.n, found.q1, found.median, found.q3, found.minimum, found.maximum)


@PROPERTY_SETTINGS
@given(groups, st.data(), st.none() | score_values)
def test_one_member_moved_within_its_cell_changes_no_output(
    scores: list[float], data: st.DataObject, own: float | None
) -> None:
    index = data.draw(st.integers(0, len(scores) - 1))
    moved = list(scores)
    moved[index] = data.draw(same_cell(scores[index]))
    assert distribution(moved, RULES, own) == distribution(scores, RULES, own)


@PROPERTY_SETTINGS
@given(groups, score_values, st.data(), st.none() | score_values)
def test_differencing_two_groups_that_differ_by_one_member_reveals_no_more_than_its_cell(
    others: list[float], member: float, data: st.DataObject, own: float | None
) -> None:
    """Whatever the group without the member shows, the group with it shows the same
    for every score in the member's cell - including both ends of the cell, 5 points
    apart - so the pair of outputs cannot tell the member's score finer than 5 points."""
    without = distribution(others, RULES, own)
    with_member = distribution([*others, member], RULES, own)
    low, high = cell_bounds(member)
    assert high - low >= DEFAULT_STEP / 2 - 1e-9  # cells at 0 and 100 are half cells
    for candidate in (low, high, data.draw(same_cell(member))):
        assert distribution(others, RULES, own) == without
        assert distribution([*others, candidate], RULES, own) == with_member


@PROPERTY_SETTINGS
@given(st.lists(score_values, min_size=12, max_size=30), st.data())
def test_any_number_of_overlapping_groups_reveal_nothing_finer_than_a_cell(
    population: list[float], data: st.DataObject
) -> None:
    """An adversary choosing many peer groups (filters) from one population still sees
    identical figures whatever a target's score within its cell."""
    target = data.draw(st.integers(0, len(population) - 1))
    subsets = data.draw(
        st.lists(st.sets(st.integers(0, len(population) - 1), min_size=5), min_size=1, max_size=6)
    )
    moved = list(population)
    moved[target] = data.draw(same_cell(population[target]))
    for members in subsets:
        picked = sorted(members)
        assert published(distribution([population[i] for i in picked], RULES)) == published(
            distribution([moved[i] for i in picked], RULES)
        )


@PROPERTY_SETTINGS
@given(groups, st.none() | score_values)
def test_published_figures_are_cells_some_peer_lies_in_and_ordered(
    scores: list[float], own: float | None
) -> None:
    found = distribution(scores, RULES, own)
    assert found is not None
    cells = {coarsen(s) for s in scores}
    assert found.n == len(scores)
    assert {found.q1, found.median, found.q3} <= cells
    assert found.q1 <= found.median <= found.q3
    assert all(v % DEFAULT_STEP == 0 for v in (found.q1, found.median, found.q3))
    if len(scores) >= 10:
        assert found.minimum == min(cells) and found.maximum == max(cells)
    else:
        assert found.minimum is None and found.maximum is None
    if own is None:
        assert found.percentile is None
    else:
        assert found.percentile is not None and 0 <= found.percentile <= 100


@PROPERTY_SETTINGS
@given(st.lists(score_values, max_size=4), st.integers(-10, 4))
def test_fewer_than_five_peers_never_show_whatever_the_configuration(
    scores: list[float], configured: int
) -> None:
    rules = AnonymitySettings.from_config(configured)
    assert rules.min_peers == 5
    assert distribution(scores, rules) is None
    assert distribution(scores, AnonymitySettings(min_peers=configured)) is None
    assert area_distributions({"a": scores}, rules) == {}


@PROPERTY_SETTINGS
@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.lists(st.none() | score_values)))
def test_each_area_needs_its_own_five_scored_peers(
    by_area: dict[str, list[float | None]],
) -> None:
    shown = area_distributions(by_area, RULES)
    for area_id, scores in by_area.items():
        scored = [s for s in scores if s is not None]
        assert (area_id in shown) == (len(scored) >= 5)
        if area_id in shown:
            assert shown[area_id].n == len(scored)
