"""The campaign result model: every figure and wording an organiser sees about a
campaign (page, PDF report, CSV/JSON export, API) comes from these dataclasses, built
by services/campaign_results.py. Renderers lay them out and compute nothing.

Plain Python only (no Flask)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

STATES = ("not_started", "in_progress", "submitted")


@dataclass(frozen=True)
class DistributionView:
    """One figure across the members' submitted audits, as domain/benchmark.py allows
    it to be shown: nothing under the minimum group, min-max only from 10."""

    n: int
    shown: bool
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    minimum: float | None
    maximum: float | None
    median_display: str
    lower_quartile_display: str
    upper_quartile_display: str
    minimum_display: str
    maximum_display: str
    note: str  # why nothing (or no min-max) is shown; "" when everything is


@dataclass(frozen=True)
class AreaDistribution:
    id: str
    index: int
    title: str
    distribution: DistributionView


@dataclass(frozen=True)
class MemberRow:
    member_id: int
    organisation_id: int
    organisation_name: str
    state: str  # one of STATES
    state_label: str
    audit_id: int | None  # the latest campaign audit, any state
    submitted_display: str  # date of submission or ""
    reminder_due: bool
    shares_results: bool
    shares_label: str
    # The audit whose results page the organiser may open: only a sharing member's
    # submitted audit; None otherwise.
    result_audit_id: int | None
    # When the organiser last reminded the member by e-mail (ISO timestamp; None: never).
    last_reminded_at: str | None = None
    last_reminded_display: str = ""


@dataclass(frozen=True)
class ParticipationView:
    members: int
    not_started: int
    in_progress: int
    submitted: int
    reminders_due: int
    # Shares of all members, 0-100, for the participation bar.
    not_started_percent: float
    in_progress_percent: float
    submitted_percent: float
    summary: str  # "12 of 40 members submitted (30%)"
    reminders_sentence: str  # "" when no reminder is due


@dataclass(frozen=True)
class CountedItem:
    """An area or a recommendation and how many members it concerns."""

    id: str
    title: str
    members: int
    members_display: str  # "7 members (35%)"
    area_title: str = ""


@dataclass(frozen=True)
class CampaignView:
    lang: str
    id: int
    name: str
    questionnaire_id: str
    questionnaire_title: str
    starts_on: str  # ISO
    ends_on: str
    period_display: str
    organiser_name: str
    terms: str
    terms_include_benchmarks: bool
    min_peers: int
    participation: ParticipationView
    members: list[MemberRow]
    overall: DistributionView
    areas: list[AreaDistribution]
    aggregate_shown: bool  # False: fewer submitted members than the minimum group
    aggregate_note: str
    start_areas: list[CountedItem]  # where members should start, most members first
    recurring: list[CountedItem]  # recommendations most members received
    sharing_members: int


def aggregate_json(view: CampaignView) -> dict[str, Any]:
    """The aggregated figures only (no member is named): the CSV/JSON export and the
    API's aggregate."""
    return {
        "campaign_id": view.id,
        "name": view.name,
        "questionnaire_id": view.questionnaire_id,
        "starts_on": view.starts_on,
        "ends_on": view.ends_on,
        "min_peers": view.min_peers,
        "participation": {
            k: v
            for k, v in asdict(view.participation).items()
            if k in ("members", "not_started", "in_progress", "submitted", "reminders_due")
        },
        "aggregate_shown": view.aggregate_shown,
        "overall": _figures(view.overall),
        "areas": [{"id": a.id, "title": a.title, **_figures(a.distribution)} for a in view.areas],
        "start_areas": [
            {"id": c.id, "title": c.title, "members": c.members} for c in view.start_areas
        ],
        "recurring_recommendations": [
            {"id": c.id, "title": c.title, "area": c.area_title, "members": c.members}
            for c in view.recurring
        ],
    }


def _figures(d: DistributionView) -> dict[str, Any]:
    return {
        "n": d.n,
        "shown": d.shown,
        "median": d.median,
        "lower_quartile": d.lower_quartile,
        "upper_quartile": d.upper_quartile,
        "minimum": d.minimum,
        "maximum": d.maximum,
    }


CSV_COLUMNS = ("figure", "n", "median", "lower_quartile", "upper_quartile", "minimum", "maximum")


def aggregate_rows(view: CampaignView) -> list[list[str]]:
    """The export's CSV rows: overall then each area; empty cells where hidden."""

    def row(label: str, d: DistributionView) -> list[str]:
        values = (d.median, d.lower_quartile, d.upper_quartile, d.minimum, d.maximum)
        return [label, str(d.n), *("" if v is None else repr(round(v, 4)) for v in values)]

    return [
        list(CSV_COLUMNS),
        row("overall", view.overall),
        *(row(f"{a.id}: {a.title}", a.distribution) for a in view.areas),
    ]
