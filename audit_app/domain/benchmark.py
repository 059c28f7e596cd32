"""Peer benchmarks: the anonymised distribution of peers' scores (issue 16).

Pure: a list of peer scores (0-100, the scale of `AuditResult.overall` and of every
area) and the anonymity settings in; a frozen `Distribution` or None out.

The anonymity rule (docs/benchmarks-and-campaigns.md states it for users):

1. A group is shown only with at least `min_peers` organisations (never below 5,
   `MIN_PEERS_FLOOR`); the organisation asking is not counted (the service leaves it
   out). Each area is a group of its own: an area needs its own n >= min_peers.
2. Every peer score is first coarsened to a cell of `step` points (5 by default:
   0, 5, 10 ... 100, nearest cell). Every published figure - median, quartiles,
   min/max, the percentile of the asking organisation - is computed from the coarsened
   scores only. Hence (proved by tests/unit/test_benchmark_properties.py): moving any one
   peer's score anywhere inside its cell changes no output of any group, so no
   number of groups compared with each other (differencing two groups that differ by
   one member included) tells an organisation's score finer than its 5-point cell,
   which is coarser than any figure the app shows (whole points).
3. Quartiles and the median are order statistics (nearest rank), never averages of
   two peers, so a figure is always a cell some peer lies in, not a blend that could
   be solved for one peer's value.
4. Min and max are published only from `full_range_min` peers (10): with fewer, the
   extreme is too easily tied to the one organisation it belongs to.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MIN_PEERS_FLOOR = 5  # never fewer peers than this, whatever the configuration says
DEFAULT_STEP = 5  # width in points of the cell every peer score is coarsened to
FULL_RANGE_MIN = 10  # min and max only from this many peers


@dataclass(frozen=True)
class AnonymitySettings:
    min_peers: int = MIN_PEERS_FLOOR
    step: int = DEFAULT_STEP
    full_range_min: int = FULL_RANGE_MIN

    @classmethod
    def from_config(cls, configured_min_peers: object) -> AnonymitySettings:
        """Settings from BENCHMARK_MIN_PEERS; anything invalid or below 5 counts as 5."""
        try:
            wanted = int(configured_min_peers)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            wanted = MIN_PEERS_FLOOR
        return cls(min_peers=max(MIN_PEERS_FLOOR, wanted))

    @property
    def effective_min_peers(self) -> int:
        return max(MIN_PEERS_FLOOR, self.min_peers)


@dataclass(frozen=True)
class Distribution:
    """What may be published about one group's scores (all on the 0-100 scale)."""

    n: int
    q1: int
    median: int
    q3: int
    minimum: int | None  # None under `full_range_min` peers
    maximum: int | None
    # Share of peers (0-100, whole) below the asking organisation's score, peers in the
    # same cell counted half; None when no own score was given.
    percentile: int | None = None


@dataclass(frozen=True)
class PeerBenchmark:
    """The overall distribution and one per area (only areas with enough peers)."""

    overall: Distribution | None
    areas: Mapping[str, Distribution]

    @property
    def shown(self) -> bool:
        return self.overall is not None or bool(self.areas)


def coarsen(value: float, step: int = DEFAULT_STEP) -> int:
    """`value` (clamped to 0-100) moved to the nearest multiple of `step` (halves up)."""
    clamped = min(100.0, max(0.0, float(value)))
    return min(100, int(math.floor(clamped / step + 0.5)) * step)


def cell_counts(scores: Iterable[float | None], step: int = DEFAULT_STEP) -> Counter[int]:
    """How many scores fall in each cell (missing scores - None, NaN - not counted)."""
    return Counter(coarsen(s, step) for s in scores if s is not None and not math.isnan(s))


def _nearest_rank(ordered: list[tuple[int, int]], n: int, fraction: float) -> int:
    rank = max(1, math.ceil(fraction * n))
    seen = 0
    for cell, count in ordered:
        seen += count
        if seen >= rank:
            return cell
    return ordered[-1][0]  # pragma: no cover - rank <= n always


def _percentile(ordered: list[tuple[int, int]], n: int, own_cell: int) -> int:
    below = sum(count for cell, count in ordered if cell < own_cell)
    same = sum(count for cell, count in ordered if cell == own_cell)
    return int(math.floor(100 * (below + same / 2) / n + 0.5))


def distribution_from_cells(
    counts: Mapping[int, int],
    settings: AnonymitySettings | None = None,
    own_score: float | None = None,
) -> Distribution | None:
    """The publishable distribution of peers given as cell -> count (the form SQL
    aggregates return, services/benchmarks.py), or None if too few peers.

    Taking only cell counts is what makes the anonymity rule hold by construction:
    nothing finer than a peer's cell can reach the output.
    """
    rules = settings or AnonymitySettings()
    ordered = sorted((cell, count) for cell, count in counts.items() if count > 0)
    n = sum(count for _, count in ordered)
    if n < rules.effective_min_peers:
        return None
    full_range = n >= rules.full_range_min
    percentile = None
    if own_score is not None and not math.isnan(own_score):
        percentile = _percentile(ordered, n, coarsen(own_score, rules.step))
    return Distribution(
        n=n,
        q1=_nearest_rank(ordered, n, 0.25),
        median=_nearest_rank(ordered, n, 0.5),
        q3=_nearest_rank(ordered, n, 0.75),
        minimum=ordered[0][0] if full_range else None,
        maximum=ordered[-1][0] if full_range else None,
        percentile=percentile,
    )


def distribution(
    scores: Iterable[float | None],
    settings: AnonymitySettings | None = None,
    own_score: float | None = None,
) -> Distribution | None:
    """The publishable distribution of `scores` (peers only), or None if too few.

    Missing scores (None, NaN) are not counted. `own_score` is the asking
    organisation's score: it gives the percentile and is never one of the peers.
    """
    rules = settings or AnonymitySettings()
    return distribution_from_cells(cell_counts(scores, rules.step), rules, own_score)


def area_distributions(
    scores_by_area: Mapping[str, Iterable[float | None]],
    settings: AnonymitySettings | None = None,
    own_by_area: Mapping[str, float | None] | None = None,
) -> dict[str, Distribution]:
    """Area id -> distribution, for the areas that have enough peers of their own."""
    own = own_by_area or {}
    result: dict[str, Distribution] = {}
    for area_id, scores in scores_by_area.items():
        found = distribution(scores, settings, own.get(area_id))
        if found is not None:
            result[area_id] = found
    return result


def peer_benchmark(
    overall_scores: Iterable[float | None],
    scores_by_area: Mapping[str, Iterable[float | None]],
    settings: AnonymitySettings | None = None,
    own_overall: float | None = None,
    own_by_area: Mapping[str, float | None] | None = None,
) -> PeerBenchmark:
    return PeerBenchmark(
        overall=distribution(overall_scores, settings, own_overall),
        areas=area_distributions(scores_by_area, settings, own_by_area),
    )
