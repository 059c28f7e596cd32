"""Loyalty segments from the recency and frequency of interactions.

A contact (person or organisation) is placed in one segment from two numbers: the
days since the last interaction and the number of interactions within the window
(default the last 365 days). Rules, checked in this order:

- never contacted                          -> None ("no contact yet")
- no interaction for more than `lapsed_after_days` -> LAPSED
- at least `loyal_min_interactions` and last contact within `loyal_max_days` -> LOYAL
- at least `regular_min_interactions` and last contact within `regular_max_days` -> REGULAR
- otherwise                                -> SPORADIC

The defaults follow absolute RFM cut-offs for small customer bases (recency 45 and
120 days, frequency 6+ and 3+ a year, lapsed after 12 months without contact); they
are documented in docs/register.md and can be changed with `thresholds_from_mapping`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum


class Segment(StrEnum):
    LOYAL = "loyal"
    REGULAR = "regular"
    SPORADIC = "sporadic"
    LAPSED = "lapsed"


@dataclass(frozen=True)
class Thresholds:
    window_days: int = 365
    loyal_min_interactions: int = 6
    loyal_max_days: int = 45
    regular_min_interactions: int = 3
    regular_max_days: int = 120
    lapsed_after_days: int = 365

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{item.name} must be a positive whole number, not {value!r}")
        if self.loyal_min_interactions < self.regular_min_interactions:
            raise ValueError("loyal_min_interactions must not be below regular_min_interactions")
        if self.loyal_max_days > self.regular_max_days:
            raise ValueError("loyal_max_days must not exceed regular_max_days")
        if self.regular_max_days > self.lapsed_after_days:
            raise ValueError("regular_max_days must not exceed lapsed_after_days")

    def fingerprint(self) -> str:
        """A short text naming these thresholds (to notice when they change)."""
        return "-".join(str(getattr(self, item.name)) for item in fields(self))


DEFAULT_THRESHOLDS = Thresholds()


def thresholds_from_mapping(values: Mapping[str, object] | None) -> Thresholds:
    """Thresholds from a configuration mapping; unknown keys are an error, missing
    keys keep their defaults."""
    if not values:
        return DEFAULT_THRESHOLDS
    known = {item.name for item in fields(Thresholds)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f"unknown segment threshold(s): {', '.join(unknown)}")
    return Thresholds(**{key: value for key, value in values.items()})  # type: ignore[arg-type]


def segment_for(
    last_contact: date | None,
    interactions_in_window: int,
    today: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Segment | None:
    """The segment of a contact last reached on `last_contact` (None: never) with
    `interactions_in_window` interactions in the last `window_days` days."""
    if last_contact is None:
        return None
    days = max((today - last_contact).days, 0)
    count = max(interactions_in_window, 0)
    if days > thresholds.lapsed_after_days:
        return Segment.LAPSED
    if count >= thresholds.loyal_min_interactions and days <= thresholds.loyal_max_days:
        return Segment.LOYAL
    if count >= thresholds.regular_min_interactions and days <= thresholds.regular_max_days:
        return Segment.REGULAR
    return Segment.SPORADIC


@dataclass(frozen=True)
class PressureLimit:
    """At most `max_contacts` outbound contacts in any `days`-day window."""

    max_contacts: int = 3
    days: int = 30

    def __post_init__(self) -> None:
        if self.max_contacts < 1 or self.days < 1:
            raise ValueError("contact pressure limits must be positive")


def exceeds_pressure(outbound_in_window: int, limit: PressureLimit) -> bool:
    """Whether one more outbound contact, after `outbound_in_window` in the window,
    would go over the limit."""
    return outbound_in_window + 1 > limit.max_contacts
