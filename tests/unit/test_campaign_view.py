"""The campaign result model's export (domain/campaign_view.py): the aggregate's CSV rows
and JSON carry the figures as the model holds them, hidden ones empty, and never a
member."""

from __future__ import annotations

from audit_app.domain.campaign_view import (
    AreaDistribution,
    CampaignView,
    DistributionView,
    MemberRow,
    ParticipationView,
    aggregate_json,
    aggregate_rows,
)


def _distribution(median: float | None, low: float | None = None) -> DistributionView:
    shown = median is not None
    text = "–" if median is None else f"{median}%"
    return DistributionView(
        n=7 if shown else 3,
        shown=shown,
        median=median,
        lower_quartile=median,
        upper_quartile=median,
        minimum=low,
        maximum=low,
        median_display=text,
        lower_quartile_display=text,
        upper_quartile_display=text,
        minimum_display="–",
        maximum_display="–",
        note="",
    )


def _view() -> CampaignView:
    member = MemberRow(1, 10, "Biblioteka Tajna", "submitted", "Submitted", 5, "", False, True,
                       "Shares results", 5)  # fmt: skip
    return CampaignView(
        lang="en",
        id=3,
        name="Network",
        questionnaire_id="library-crm-audit",
        questionnaire_title="Library CRM audit",
        starts_on="2026-12-01",
        ends_on="2026-12-31",
        period_display="",
        organiser_name="Org",
        terms="",
        terms_include_benchmarks=False,
        min_peers=5,
        participation=ParticipationView(7, 1, 1, 5, 0, 14.3, 14.3, 71.4, "", ""),
        members=[member],
        overall=_distribution(55.0),
        areas=[
            AreaDistribution("a1", 1, "Users", _distribution(60.0)),
            AreaDistribution("a2", 2, "Data", _distribution(None)),
        ],
        aggregate_shown=True,
        aggregate_note="",
        start_areas=[],
        recurring=[],
        sharing_members=1,
    )


def test_csv_rows_leave_hidden_figures_empty():
    rows = aggregate_rows(_view())
    assert rows[0] == ["figure", "n", "median", "lower_quartile", "upper_quartile", "minimum",
                       "maximum"]  # fmt: skip
    assert rows[1] == ["overall", "7", "55.0", "55.0", "55.0", "", ""]
    assert rows[2][:3] == ["a1: Users", "7", "60.0"]
    assert rows[3] == ["a2: Data", "3", "", "", "", "", ""]


def test_json_has_the_figures_and_no_member():
    data = aggregate_json(_view())
    assert data["overall"]["median"] == 55.0 and data["areas"][1]["shown"] is False
    assert data["participation"] == {
        "members": 7,
        "not_started": 1,
        "in_progress": 1,
        "submitted": 5,
        "reminders_due": 0,
    }
    assert "Biblioteka Tajna" not in repr(data)
