"""`audit-app benchmark QUESTIONNAIRE_ID`: the anonymised peer benchmark of a
questionnaire for one kind of organisation (issue 16), and `audit-app benchmark-backfill`.

The figures are the result model's (`domain.benchmark_view`), under the same anonymity
rules as the results page: docs/benchmarks-and-campaigns.md.
"""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from audit_app.domain.answer_text import Wording
from audit_app.domain.benchmark_view import benchmark_view
from audit_app.domain.result_view import BenchmarkView
from audit_app.domain.scoring import to_json
from audit_app.extensions import db
from audit_app.models.organisations import ORGANISATION_TYPES, SIZES
from audit_app.services import audit_priorities, section_scores
from audit_app.services.benchmarks import PeerGroup, benchmark, reference_version
from audit_app.services.questionnaires import questionnaire_of
from audit_app.wording import REPORT_LANGUAGES, translator


def benchmark_as_text(view: BenchmarkView, t: Wording) -> str:
    lines = [view.title, view.intro]
    if view.version_note:
        lines.append(view.version_note)
    if view.unavailable:
        lines.append(view.unavailable)
    else:
        header = (
            t.gettext("Peers' median"),
            t.gettext("Middle half of peers"),
            t.gettext("Lowest to highest"),
            t.gettext("Peers"),
        )
        lines.append("")
        lines.append(f"{'':<40} {header[0]:>14} {header[1]:>22} {header[2]:>22} {header[3]:>8}")
        for row in ([view.overall] if view.overall else []) + view.areas:
            lines.append(
                f"{row.title[:40]:<40} {row.median_display:>14} {row.middle_display:>22} "
                f"{row.range_display or '–':>22} {row.n:>8}"
            )
        if view.withheld:
            lines.append(
                t.gettext("Not shown, too few peers: %(areas)s.", areas=", ".join(view.withheld))
            )
    lines.append(view.anonymity_note)
    return "\n".join(lines)


@click.command("benchmark")
@click.argument("questionnaire_id")
@click.option(
    "--organisation-type",
    "organisation_type",
    type=click.Choice(ORGANISATION_TYPES),
    default="library",
    show_default=True,
)
@click.option("--size", type=click.Choice(SIZES), default=None, help="Only this size band.")
@click.option("--sector", default=None, help="Only this sector.")
@click.option("--lang", type=click.Choice(REPORT_LANGUAGES), default="pl", show_default=True)
@click.option("--format", "output", type=click.Choice(("text", "json")), default="text")
@with_appcontext
def benchmark_command(
    questionnaire_id: str,
    organisation_type: str,
    size: str | None,
    sector: str | None,
    lang: str,
    output: str,
) -> None:
    """The anonymised benchmark of QUESTIONNAIRE_ID among consenting organisations."""
    reference = reference_version(questionnaire_id)
    if reference is None:
        raise click.ClickException(f"No audit has used the questionnaire {questionnaire_id!r}.")
    group = PeerGroup(questionnaire_id, organisation_type, size=size, sector=sector or None)
    facts = benchmark(group, reference)
    t = translator(lang)
    view = benchmark_view(facts, questionnaire_of(reference), None, t)
    db.session.commit()  # area rows backfilled on the way are kept
    if output == "json":
        click.echo(json.dumps(to_json(view), ensure_ascii=False, indent=2))
    else:
        click.echo(benchmark_as_text(view, t))


@click.command("benchmark-backfill")
@with_appcontext
def benchmark_backfill_command() -> None:
    """Area score rows, start areas and recommendation ids for submitted audits that have
    none (audits submitted before benchmarks and campaigns stored them); benchmarks and
    campaigns also fill them in as they meet such audits."""
    count = section_scores.backfill()
    priorities = audit_priorities.backfill()
    db.session.commit()
    click.echo(f"Area scores written for {count} audit(s).")
    click.echo(f"Start areas and recommendations written for {priorities} audit(s).")
