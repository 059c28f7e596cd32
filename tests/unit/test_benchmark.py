"""Peer benchmark distribution (audit_app/domain/benchmark.py) on hand-checked groups."""

from __future__ import annotations

from audit_app.domain.benchmark import (
    AnonymitySettings,
    Distribution,
    coarsen,
    distribution,
    peer_benchmark,
)


def test_coarsen_moves_scores_to_the_nearest_five_point_cell() -> None:
    assert [coarsen(v) for v in (0, 2.4, 2.5, 7.49, 61.3, 97.4, 97.5, 100, 120, -3)] == [
        0,
        0,
        5,
        5,
        60,
        95,
        100,
        100,
        100,
        0,
    ]


def test_five_peers_give_quartiles_and_median_but_no_range() -> None:
    found = distribution([41, 52, 58, 66, 79], own_score=60)
    assert found == Distribution(
        n=5, q1=50, median=60, q3=65, minimum=None, maximum=None, percentile=50
    )


def test_four_peers_are_not_shown() -> None:
    assert distribution([41, 52, 58, 66]) is None
    assert distribution([41, 52, 58, 66, None, float("nan")]) is None


def test_ten_peers_add_min_and_max() -> None:
    found = distribution([12, 20, 33, 40, 47, 55, 61, 70, 88, 93])
    assert found is not None
    assert (found.minimum, found.q1, found.median, found.q3, found.maximum) == (
        10,
        35,
        45,
        70,
        95,
    )


def test_configured_minimum_above_five_is_honoured_and_below_five_is_not() -> None:
    seven = AnonymitySettings.from_config(7)
    assert distribution([50] * 6, seven) is None
    assert distribution([50] * 7, seven) is not None
    assert AnonymitySettings.from_config(2).min_peers == 5
    assert AnonymitySettings.from_config("nonsense").min_peers == 5


def test_percentile_counts_peers_below_and_half_of_those_in_the_same_cell() -> None:
    peers = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert distribution(peers, own_score=0).percentile == 0  # type: ignore[union-attr]
    assert distribution(peers, own_score=51).percentile == 45  # type: ignore[union-attr]
    assert distribution(peers, own_score=100).percentile == 95  # type: ignore[union-attr]


def test_peer_benchmark_keeps_only_areas_with_enough_peers() -> None:
    result = peer_benchmark(
        [50, 60, 70, 80, 90],
        {"vision": [50, 60, 70, 80, 90], "data": [50, 60, None, None, 90]},
        own_overall=65,
        own_by_area={"vision": 40},
    )
    assert result.shown
    assert result.overall is not None and result.overall.percentile == 40
    assert set(result.areas) == {"vision"}
    assert result.areas["vision"].percentile == 0
