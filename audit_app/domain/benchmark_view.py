"""The peer benchmark as the result model tells it (`result_view.BenchmarkView`).

Wording per organisation type ("Na tle podobnych bibliotek" / "How you compare with
similar libraries"), the audit's own figures beside the peers', and notes on versions
and anonymity. Pure: the facts come from services/benchmarks.py.
"""

from __future__ import annotations

from audit_app.domain.answer_text import Wording
from audit_app.domain.benchmark import BenchmarkFacts, Distribution
from audit_app.domain.questionnaire import Questionnaire
from audit_app.domain.result_view import BenchmarkRow, BenchmarkView
from audit_app.domain.scoring import AuditResult
from audit_app.domain.scoring_text import fmt_percent


def _title(organisation_type: str, t: Wording) -> str:
    titles = {
        "library": t.gettext("How you compare with similar libraries"),
        "company": t.gettext("How you compare with similar companies"),
        "public": t.gettext("How you compare with similar public institutions"),
        "ngo": t.gettext("How you compare with similar non-governmental organisations"),
    }
    return titles.get(organisation_type, t.gettext("How you compare with similar organisations"))


def _peers(organisation_type: str, n: int, t: Wording) -> str:
    if organisation_type == "library":
        return t.ngettext("%(num)d library", "%(num)d libraries", n)
    if organisation_type == "company":
        return t.ngettext("%(num)d company", "%(num)d companies", n)
    return t.ngettext("%(num)d organisation", "%(num)d organisations", n)


def _position(you: float | None, found: Distribution, t: Wording, *, own: bool) -> str:
    if not own:
        return ""  # a benchmark of a questionnaire, without an audit of one's own
    if you is None or found.percentile is None:
        return t.gettext("No score of your own to compare.")
    if found.percentile >= 75:
        return t.gettext(
            "Among the highest quarter of peers (percentile %(p)s).", p=found.percentile
        )
    if found.percentile <= 25:
        return t.gettext(
            "Among the lowest quarter of peers (percentile %(p)s).", p=found.percentile
        )
    return t.gettext("In the middle half of peers (percentile %(p)s).", p=found.percentile)


def _row(
    row_id: str,
    title: str,
    found: Distribution,
    you: float | None,
    t: Wording,
    *,
    own: bool = True,
) -> BenchmarkRow:
    lang = t.lang
    has_range = found.minimum is not None and found.maximum is not None
    return BenchmarkRow(
        id=row_id,
        title=title,
        n=found.n,
        q1=found.q1,
        median=found.median,
        q3=found.q3,
        minimum=found.minimum,
        maximum=found.maximum,
        you=you,
        you_display=fmt_percent(you, lang),
        percentile=found.percentile,
        median_display=fmt_percent(found.median, lang),
        middle_display=f"{found.q1}–{fmt_percent(found.q3, lang)}",
        range_display=f"{found.minimum}–{fmt_percent(found.maximum, lang)}" if has_range else "",
        position=_position(you, found, t, own=own),
    )


def benchmark_view(
    facts: BenchmarkFacts, questionnaire: Questionnaire, result: AuditResult | None, t: Wording
) -> BenchmarkView:
    """The view of `facts`; `result` is the asking audit's (None: a questionnaire's
    benchmark on its own, as `audit-app benchmark` prints it)."""
    lang = t.lang
    own = result is not None
    shown = facts.benchmark
    peers = _peers(facts.organisation_type, facts.peers, t)
    intro = t.gettext(
        "Peers: %(peers)s of the same kind that agreed to anonymous benchmarks, the latest "
        "submitted audit of each, questionnaire version %(version)s.",
        peers=peers,
        version=facts.version,
    )
    others = facts.peers - facts.same_version
    version_note = (
        t.ngettext(
            "%(num)d of them answered another version: scored only on the questions "
            "it shares with this one.",
            "%(num)d of them answered other versions: scored only on the questions "
            "they share with this one.",
            others,
        )
        if others
        else ""
    )
    anonymity = t.gettext(
        "Shown only with at least %(min)s peers (your organisation not counted); peers' "
        "scores are rounded to 5 points before anything is computed; lowest and highest "
        "from 10 peers.",
        min=facts.min_peers,
    )
    unavailable = ""
    if not shown.shown:
        unavailable = t.gettext(
            "Not enough peers yet: a comparison is shown from %(min)s organisations (now %(num)s).",
            min=facts.min_peers,
            num=facts.peers,
        )
    overall = None
    if shown.overall is not None:
        you = result.overall if result is not None else None
        overall = _row("overall", t.gettext("Overall score"), shown.overall, you, t, own=own)
    areas: list[BenchmarkRow] = []
    withheld: list[str] = []
    for section in questionnaire.sections:
        found = shown.areas.get(section.id)
        title = section.title.get(lang)
        if found is None:
            withheld.append(title)
            continue
        score = result.section(section.id) if result is not None else None
        percent = score.percent if score is not None else None
        areas.append(_row(section.id, title, found, percent, t, own=own))
    return BenchmarkView(
        title=_title(facts.organisation_type, t),
        intro=intro,
        version_note=version_note,
        anonymity_note=anonymity,
        unavailable=unavailable,
        peers=facts.peers,
        same_version=facts.same_version,
        version=facts.version,
        overall=overall,
        areas=areas,
        withheld=withheld if shown.shown else [],
    )
