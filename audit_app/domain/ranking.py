"""Which areas are strongest and weakest, and where to start: one rule for every output.

Plain Python only. Areas are compared by their displayed figure (rounded half up to one
decimal), so two areas a reader sees at the same 62,5 % are a tie.

* Strongest: the k best areas, k = min(3, max(1, n // 2)) of the n scored areas; ties
  keep questionnaire order.
* Weakest: the k lowest areas, lowest first, leaving out every strongest area and every
  area tied with one (an area at the same figure as a strong one is never called weak).
  With few areas the lists are shorter rather than padded.
* Where to start: areas with a critical failure first; then the largest gap below the
  area's target weighted by the area's weight; then the lowest score; ties broken by
  questionnaire order. An area at or above its target comes only after every area below
  its target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


def shown(value: float) -> Decimal:
    """The figure as displayed: half up to one decimal (see `scoring_text.fmt`)."""
    return Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class AreaFigures:
    id: str
    index: int  # questionnaire order, from 1
    percent: float
    weight: float
    gap: float | None  # below target, in points; None without a target
    critical_failure: bool


def strongest_and_weakest(
    areas: Sequence[AreaFigures],
) -> tuple[list[AreaFigures], list[AreaFigures]]:
    ranked = sorted(areas, key=lambda a: (-shown(a.percent), a.index))
    if not ranked:
        return [], []
    k = min(3, max(1, len(ranked) // 2))
    strongest = ranked[:k]
    floor = min(shown(a.percent) for a in strongest)
    candidates = [a for a in ranked[k:] if shown(a.percent) < floor]
    weakest = sorted(candidates, key=lambda a: (shown(a.percent), a.index))[:k]
    return strongest, weakest


def start_key(area: AreaFigures) -> tuple[int, Decimal, Decimal, int]:
    weighted_gap = Decimal(repr(float(area.gap or 0.0))) * Decimal(repr(float(area.weight)))
    return (0 if area.critical_failure else 1, -weighted_gap, shown(area.percent), area.index)


def start_area(areas: Sequence[AreaFigures]) -> AreaFigures | None:
    return min(areas, key=start_key, default=None)
