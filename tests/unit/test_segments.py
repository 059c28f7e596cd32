"""Loyalty segments and contact pressure (domain, no app)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app.domain.segments import (
    DEFAULT_THRESHOLDS,
    PressureLimit,
    Segment,
    Thresholds,
    exceeds_pressure,
    segment_for,
    thresholds_from_mapping,
)

TODAY = date(2026, 6, 1)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


@pytest.mark.parametrize(
    ("last", "count", "expected"),
    [
        (None, 0, None),
        (ago(0), 6, Segment.LOYAL),
        (ago(45), 6, Segment.LOYAL),
        (ago(46), 6, Segment.REGULAR),
        (ago(10), 5, Segment.REGULAR),
        (ago(120), 3, Segment.REGULAR),
        (ago(121), 3, Segment.SPORADIC),
        (ago(10), 2, Segment.SPORADIC),
        (ago(365), 1, Segment.SPORADIC),
        (ago(366), 0, Segment.LAPSED),
        (ago(800), 40, Segment.LAPSED),
        (TODAY + timedelta(days=3), 6, Segment.LOYAL),  # a future date counts as today
    ],
)
def test_default_thresholds(last, count, expected):
    assert segment_for(last, count, TODAY) == expected


def test_custom_thresholds_from_mapping():
    limits = thresholds_from_mapping(
        {"loyal_min_interactions": 2, "regular_min_interactions": 2, "loyal_max_days": 10}
    )
    assert segment_for(ago(5), 2, TODAY, limits) == Segment.LOYAL
    assert segment_for(ago(5), 2, TODAY) == Segment.SPORADIC
    assert thresholds_from_mapping(None) is DEFAULT_THRESHOLDS
    assert limits.fingerprint() != DEFAULT_THRESHOLDS.fingerprint()


@pytest.mark.parametrize(
    "values",
    [
        {"window_days": 0},
        {"loyal_min_interactions": 2},  # below regular (3)
        {"loyal_max_days": 200},  # above regular (120)
        {"regular_max_days": 400},  # above lapsed (365)
        {"lapsed_after_days": True},
        {"nonsense": 1},
    ],
)
def test_invalid_thresholds_are_refused(values):
    with pytest.raises(ValueError):
        thresholds_from_mapping(values)


@given(
    days=st.integers(min_value=-30, max_value=3000),
    count=st.integers(min_value=-5, max_value=500),
)
def test_segments_are_monotonic(days, count):
    """More recent or more frequent contact never gives a worse segment."""
    order = [Segment.LAPSED, Segment.SPORADIC, Segment.REGULAR, Segment.LOYAL]
    base = segment_for(ago(days), count, TODAY)
    assert base is not None
    fresher = segment_for(ago(days - 1), count, TODAY)
    busier = segment_for(ago(days), count + 1, TODAY)
    assert fresher is not None and busier is not None
    assert order.index(fresher) >= order.index(base)
    assert order.index(busier) >= order.index(base)


def test_thresholds_are_frozen():
    with pytest.raises(AttributeError):
        Thresholds().window_days = 10  # type: ignore[misc]


def test_contact_pressure():
    limit = PressureLimit()
    assert (limit.max_contacts, limit.days) == (3, 30)
    assert not exceeds_pressure(2, limit)
    assert exceeds_pressure(3, limit)
    assert exceeds_pressure(1, PressureLimit(max_contacts=1, days=7))
    with pytest.raises(ValueError):
        PressureLimit(max_contacts=0)
