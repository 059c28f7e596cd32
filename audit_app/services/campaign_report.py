"""The campaign report (PDF, Polish or English) and the export of the aggregated figures
(CSV, JSON): renderers of the campaign result model, computing nothing themselves."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app
from markupsafe import Markup

from audit_app.domain.campaign_view import CampaignView, aggregate_json, aggregate_rows
from audit_app.reporting.campaign_charts import distribution_chart, participation_chart
from audit_app.wording import translator

if TYPE_CHECKING:  # WeasyPrint is imported where a PDF is made, not at start-up (issue 19)
    from audit_app.reporting.pdf import Design

DESIGN_ID = "campaign"


def _design(root: Path) -> Design:
    """The campaign design, registered with the shared renderer under its own id but
    without a metadata.yaml: it is not one of an audit's report designs."""
    from audit_app.reporting.pdf import Design

    return Design(
        id=DESIGN_ID,
        name={"pl": "Raport kampanii", "en": "Campaign report"},
        description={"pl": "", "en": ""},
        template="campaign/report.html",
        stylesheets=(
            (root / "common" / "base.css").resolve(),
            (root / "campaign" / "print.css").resolve(),
        ),
    )


def report_html(view: CampaignView) -> str:
    from audit_app.reporting.pdf import keep_single_letters, renderer, with_values

    root = Path(current_app.config["REPORTS_DIR"])
    reports = renderer(root)
    reports.designs.setdefault(DESIGN_ID, _design(reports.root))
    t = translator(view.lang)
    html = reports.env.get_template("campaign/report.html").render(
        view=view,
        lang=view.lang,
        charts={
            "participation": Markup(with_values(participation_chart(view, t))),  # noqa: S704  # nosec B704 (SVG built by reporting/charts helpers, text escaped)
            "distribution": Markup(with_values(distribution_chart(view, t))),  # noqa: S704  # nosec B704 (SVG built by reporting/charts helpers, text escaped)
        },
        _=t.gettext,
        gettext=t.gettext,
        ngettext=t.ngettext,
    )
    return keep_single_letters(html) if view.lang == "pl" else html


def report_pdf(view: CampaignView) -> tuple[bytes, int]:
    from audit_app.reporting.pdf import renderer

    root = Path(current_app.config["REPORTS_DIR"])
    html = report_html(view)
    return renderer(root).html_to_pdf(DESIGN_ID, html)


def export_csv(view: CampaignView) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerows(aggregate_rows(view))
    return out.getvalue().encode("utf-8-sig")


def export_json(view: CampaignView) -> bytes:
    return json.dumps(aggregate_json(view), ensure_ascii=False, indent=2).encode()


def detail_json(view: CampaignView) -> dict[str, object]:
    """The API's detail: the aggregate plus participation per member (no scores)."""
    data = aggregate_json(view)
    data["members"] = [
        {
            "organisation_id": m.organisation_id,
            "organisation": m.organisation_name,
            "state": m.state,
            "reminder_due": m.reminder_due,
            "shares_results": m.shares_results,
            "result_audit_id": m.result_audit_id,
            "last_reminded_at": m.last_reminded_at,
        }
        for m in view.members
    ]
    data["participation"] = {
        k: v for k, v in asdict(view.participation).items() if not k.endswith("_percent")
    }
    return data
