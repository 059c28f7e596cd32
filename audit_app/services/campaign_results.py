"""Builds the campaign result model (domain/campaign_view.py): participation per member,
the anonymised distribution of the members' latest submitted audits (domain/benchmark.py
decides what may be shown), where members should start and which recommendations recur.

Which audit counts for a member: its latest submitted audit of the campaign's
questionnaire submitted within the period; else it is "in progress" while it has an
open audit of that questionnaire; else "not started". A reminder is due for a member that
has not submitted when the period ends within REMINDER_DAYS days.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from audit_app.domain.benchmark import AnonymitySettings, Distribution, peer_benchmark
from audit_app.domain.campaign_view import (
    AreaDistribution,
    CampaignView,
    CountedItem,
    DistributionView,
    MemberRow,
    ParticipationView,
)
from audit_app.domain.questionnaire import Questionnaire
from audit_app.domain.scoring_text import fmt_percent
from audit_app.extensions import db
from audit_app.models import Audit, Campaign, CampaignMember, QuestionnaireVersion, User
from audit_app.services import audit_priorities
from audit_app.services.questionnaires import catalogue
from audit_app.wording import TIMEZONE, Translator, translator

REMINDER_DAYS = 7
TOP_ITEMS = 5


def settings() -> AnonymitySettings:
    return AnonymitySettings.from_config(current_app.config.get("BENCHMARK_MIN_PEERS"))


def today() -> date:
    return datetime.now(TIMEZONE).date()


def period_bounds(campaign: Campaign) -> tuple[datetime, datetime]:
    start = datetime.combine(campaign.starts_on, time.min, TIMEZONE).astimezone(UTC)
    end = datetime.combine(campaign.ends_on + timedelta(days=1), time.min, TIMEZONE)
    return start, end.astimezone(UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def campaign_audits(campaign: Campaign) -> dict[int, tuple[Audit | None, Audit | None]]:
    """Organisation id -> (latest submitted audit in the period, latest open audit), for
    every member, in one query."""
    member_ids = select(CampaignMember.organisation_id).where(
        CampaignMember.campaign_id == campaign.id
    )
    audits = db.session.scalars(
        select(Audit)
        .join(QuestionnaireVersion, Audit.questionnaire_version_id == QuestionnaireVersion.id)
        .where(
            Audit.organisation_id.in_(member_ids),
            Audit.deleted_at.is_(None),
            QuestionnaireVersion.questionnaire_id == campaign.questionnaire_id,
        )
        .order_by(Audit.id)
    )
    start, end = period_bounds(campaign)
    found: dict[int, tuple[Audit | None, Audit | None]] = {}
    for audit in audits:
        submitted, open_ = found.get(audit.organisation_id, (None, None))
        if audit.status == "submitted" and audit.submitted_at is not None:
            when = _aware(audit.submitted_at)
            if start <= when < end and (
                submitted is None or when >= _aware(submitted.submitted_at or when)
            ):
                submitted = audit
        elif audit.status == "in_progress":
            open_ = audit
        found[audit.organisation_id] = (submitted, open_)
    return found


def _distribution(found: Distribution | None, n: int, t: Translator) -> DistributionView:
    rules = settings()
    if found is None:
        return DistributionView(
            n=n,
            shown=False,
            median=None,
            lower_quartile=None,
            upper_quartile=None,
            minimum=None,
            maximum=None,
            median_display="–",
            lower_quartile_display="–",
            upper_quartile_display="–",
            minimum_display="–",
            maximum_display="–",
            note=t.gettext(
                "Not shown: fewer than %(min)s members have a score here.",
                min=rules.effective_min_peers,
            ),
        )
    full = found.minimum is not None
    return DistributionView(
        n=found.n,
        shown=True,
        median=float(found.median),
        lower_quartile=float(found.q1),
        upper_quartile=float(found.q3),
        minimum=float(found.minimum) if found.minimum is not None else None,
        maximum=float(found.maximum) if found.maximum is not None else None,
        median_display=fmt_percent(found.median, t.lang),
        lower_quartile_display=fmt_percent(found.q1, t.lang),
        upper_quartile_display=fmt_percent(found.q3, t.lang),
        minimum_display=fmt_percent(found.minimum, t.lang) if full else "–",
        maximum_display=fmt_percent(found.maximum, t.lang) if full else "–",
        note=""
        if full
        else t.gettext(
            "The lowest and highest scores are shown only from %(n)s members.",
            n=rules.full_range_min,
        ),
    )


def _state_label(state: str, t: Translator) -> str:
    return {
        "not_started": t.gettext("Not started"),
        "in_progress": t.gettext("In progress"),
        "submitted": t.gettext("Submitted"),
    }[state]


def _members(
    campaign: Campaign, audits: dict[int, tuple[Audit | None, Audit | None]], t: Translator
) -> list[MemberRow]:
    days_left = (campaign.ends_on - today()).days
    rows = []
    # The organisations in one query (a campaign may have a thousand members).
    loaded = db.session.scalars(
        select(CampaignMember)
        .options(selectinload(CampaignMember.organisation))
        .where(CampaignMember.campaign_id == campaign.id)
    )
    members = sorted(loaded, key=lambda m: (m.organisation.name.casefold(), m.id))
    for member in members:
        submitted, open_ = audits.get(member.organisation_id, (None, None))
        state = "submitted" if submitted else "in_progress" if open_ else "not_started"
        latest = submitted or open_
        rows.append(
            MemberRow(
                member_id=member.id,
                organisation_id=member.organisation_id,
                organisation_name=member.organisation.name,
                state=state,
                state_label=_state_label(state, t),
                audit_id=latest.id if latest else None,
                submitted_display=t.date(submitted.submitted_at, "medium") if submitted else "",
                reminder_due=state != "submitted" and 0 <= days_left <= REMINDER_DAYS,
                shares_results=member.shares_results,
                shares_label=t.gettext("Shares results")
                if member.shares_results
                else t.gettext("Does not share results"),
                result_audit_id=submitted.id if submitted and member.shares_results else None,
                last_reminded_at=_aware(member.last_reminded_at).isoformat()
                if member.last_reminded_at
                else None,
                last_reminded_display=t.datetime(_aware(member.last_reminded_at), "short")
                if member.last_reminded_at
                else "",
            )
        )
    return rows


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _participation(rows: Sequence[MemberRow], t: Translator) -> ParticipationView:
    counts = Counter(r.state for r in rows)
    total, submitted = len(rows), counts["submitted"]
    due = sum(1 for r in rows if r.reminder_due)
    return ParticipationView(
        members=total,
        not_started=counts["not_started"],
        in_progress=counts["in_progress"],
        submitted=submitted,
        reminders_due=due,
        not_started_percent=_share(counts["not_started"], total),
        in_progress_percent=_share(counts["in_progress"], total),
        submitted_percent=_share(submitted, total),
        summary=t.ngettext(
            "%(submitted)s of %(num)s member submitted (%(share)s).",
            "%(submitted)s of %(num)s members submitted (%(share)s).",
            total,
            submitted=submitted,
            share=fmt_percent(_share(submitted, total), t.lang),
        ),
        reminders_sentence=t.ngettext(
            "A reminder is due for %(num)s member: the period ends within %(days)s days.",
            "A reminder is due for %(num)s members: the period ends within %(days)s days.",
            due,
            days=REMINDER_DAYS,
        )
        if due
        else "",
    )


def _counted(
    counter: Counter[str], titles: dict[str, tuple[str, str]], total: int, t: Translator
) -> list[CountedItem]:
    items = sorted(counter.items(), key=lambda kv: (-kv[1], titles[kv[0]][0]))[:TOP_ITEMS]
    return [
        CountedItem(
            id=key,
            title=titles[key][0],
            area_title=titles[key][1],
            members=count,
            members_display=t.ngettext(
                "%(num)s member (%(share)s)",
                "%(num)s members (%(share)s)",
                count,
                share=fmt_percent(_share(count, total), t.lang),
            ),
        )
        for key, count in items
    ]


def _priorities(
    submitted: Sequence[Audit], t: Translator
) -> tuple[list[CountedItem], list[CountedItem]]:
    """The start area and the recommendations each member's own result model names,
    counted across members in SQL from the rows stored at submission
    (services/audit_priorities.py); the titles come from the model of the earliest
    audit that has each, so only a few models are built, not one per member."""
    starts, recs = audit_priorities.counts([a.id for a in submitted])
    by_id = {a.id: a for a in submitted}
    wanted = sorted({c.first_audit_id for c in (*starts, *recs)})
    answers = audit_priorities.stored_answers(wanted)
    first_start = {c.id: c.first_audit_id for c in starts}
    first_rec = {c.id: c.first_audit_id for c in recs}
    start_titles: dict[str, tuple[str, str]] = {}
    rec_titles: dict[str, tuple[str, str]] = {}
    for audit_id in wanted:
        model = audit_priorities.model_of(by_id[audit_id], answers[audit_id], t)
        if model.start is not None and first_start.get(model.start.area.id) == audit_id:
            start_titles[model.start.area.id] = (model.start.area.title, "")
        for rec in {r.id: r for r in model.recommendations}.values():
            if first_rec.get(rec.id) == audit_id:
                rec_titles[rec.id] = (rec.title, rec.dimension)
    total = len(submitted)
    return (
        _counted(Counter({c.id: c.audits for c in starts}), start_titles, total, t),
        _counted(Counter({c.id: c.audits for c in recs}), rec_titles, total, t),
    )


def campaign_view(campaign: Campaign, lang: str, *, priorities: bool = True) -> CampaignView:
    """The model of `campaign` in `lang`. `priorities` (start areas, recurring
    recommendations) reads every submitted member's answers: the participation page
    leaves it out."""
    t = translator(lang)
    rules = settings()
    questionnaire: Questionnaire | None = catalogue().get(campaign.questionnaire_id)
    audits = campaign_audits(campaign)
    rows = _members(campaign, audits, t)
    submitted = [pair[0] for pair in audits.values() if pair[0] is not None]
    overall_scores = [a.overall for a in submitted]
    by_area: dict[str, list[float | None]] = {}
    for audit in submitted:
        for section in (audit.result or {}).get("sections", ()):
            by_area.setdefault(section["section_id"], []).append(section.get("percent"))
    benchmark = peer_benchmark(overall_scores, by_area, rules)
    sections = questionnaire.sections if questionnaire else ()
    areas = [
        AreaDistribution(
            id=s.id,
            index=i,
            title=s.title.get(lang),
            distribution=_distribution(
                benchmark.areas.get(s.id),
                sum(1 for v in by_area.get(s.id, []) if v is not None),
                t,
            ),
        )
        for i, s in enumerate(sections, start=1)
    ]
    shown = benchmark.overall is not None
    starts, recurring = _priorities(submitted, t) if priorities and shown else ([], [])
    organiser = db.session.get(User, campaign.organiser_id)
    return CampaignView(
        lang=lang,
        id=campaign.id,
        name=campaign.name,
        questionnaire_id=campaign.questionnaire_id,
        questionnaire_title=questionnaire.title.get(lang) if questionnaire else "",
        starts_on=campaign.starts_on.isoformat(),
        ends_on=campaign.ends_on.isoformat(),
        period_display=" – ".join(
            t.date(day, "medium") for day in (campaign.starts_on, campaign.ends_on)
        ),
        organiser_name=organiser.name if organiser else "",
        terms=campaign.terms,
        terms_include_benchmarks=campaign.terms_include_benchmarks,
        min_peers=rules.effective_min_peers,
        participation=_participation(rows, t),
        members=rows,
        overall=_distribution(benchmark.overall, len(submitted), t),
        areas=areas,
        aggregate_shown=shown,
        aggregate_note=""
        if shown
        else t.ngettext(
            "The aggregated results appear once %(num)s member has submitted: "
            "no smaller group is shown, so that no member can be recognised.",
            "The aggregated results appear once %(num)s members have submitted: "
            "no smaller group is shown, so that no member can be recognised.",
            rules.effective_min_peers,
        ),
        start_areas=starts,
        recurring=recurring,
        sharing_members=sum(1 for r in rows if r.shares_results),
    )
