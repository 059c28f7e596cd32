"""Several respondents per audit: invitations, their answers, combining, anonymity.

* Invitations are links: a personal link per respondent (named or not) or a shared
  link per role that anyone may use anonymously; starting from a shared link creates
  a respondent of its own. A link is a token signed with the app's SECRET_KEY
  (itsdangerous, salt `SALT`) naming one row and its random `nonce`; the row makes it
  revocable and holds its expiry. Tokens are signed with the row's creation time, so
  the same link is shown every time.
* The consultant's own assessment (the audit's `answers`) is one more response, in
  the role "consultant" unless the consultant picks one of the questionnaire's roles.
* Anonymity: a group's results (a role, or everybody together) are shown only when
  at least `MIN_GROUP_SIZE` invited respondents of it have answered; the consultant
  is never counted towards that minimum (they know their own answers).

Services flush and never commit: the request commits once.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from itsdangerous.timed import TimestampSigner
from sqlalchemy import select

from audit_app.domain.answers import AnswerValue, visible_question_ids
from audit_app.domain.questionnaire import Questionnaire
from audit_app.domain.respondents import (
    DISPUTE_SPREAD,
    Combination,
    GroupResult,
    Response,
    combine,
    combine_group,
    gap_roles,
    group_shown,
    perception_gap,
)
from audit_app.domain.scoring_text import fmt, fmt_percent
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit, User
from audit_app.models.respondents import (
    CONSULTANT_ROLE,
    Respondent,
    RespondentAnswer,
    RespondentCollection,
    RespondentLink,
)
from audit_app.services import answering, trail
from audit_app.services.answering import Progress, SaveOutcome, progress_of, section_progress_of
from audit_app.services.audits import answers_of, questionnaire_for

SALT = "audit-app.respondent-link"
LINK_DAYS = (7, 14, 30, 60, 90)
DEFAULT_DAYS = 30
DEFAULT_MIN_GROUP_SIZE = 3
MAX_NAME = 200
MAX_DEPARTMENT = 200
MAX_REASON = 1000

Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def min_group_size() -> int:
    return max(1, int(current_app.config.get("MIN_GROUP_SIZE", DEFAULT_MIN_GROUP_SIZE)))


# --------------------------------------------------------------------------- collection


def collection_of(audit: Audit) -> RespondentCollection | None:
    return db.session.get(RespondentCollection, audit.id)


def _collection(audit: Audit) -> RespondentCollection:
    found = collection_of(audit)
    if found is None:
        found = RespondentCollection(audit_id=audit.id, consultant_role=CONSULTANT_ROLE)
        db.session.add(found)
        db.session.flush()
    return found


def is_open(audit: Audit) -> bool:
    found = collection_of(audit)
    return found is None or found.closed_at is None


def consultant_role(audit: Audit) -> str:
    found = collection_of(audit)
    return found.consultant_role if found else CONSULTANT_ROLE


def role_ids(questionnaire: Questionnaire) -> list[str]:
    return [role.id for role in questionnaire.roles]


def close(audit: Audit, user: User) -> None:
    collection = _collection(audit)
    if collection.closed_at is not None:
        return
    collection.closed_at = _utcnow()
    collection.closed_by_id = user.id
    trail.record(user.id, "close_collection", "audit", audit.id)
    db.session.flush()


def reopen(audit: Audit, user: User) -> None:
    collection = _collection(audit)
    if collection.closed_at is None:
        return
    collection.closed_at = None
    collection.closed_by_id = None
    trail.record(user.id, "reopen_collection", "audit", audit.id)
    db.session.flush()


def set_consultant_role(audit: Audit, role: str, user: User) -> None:
    if role != CONSULTANT_ROLE and role not in role_ids(questionnaire_for(audit)):
        raise UserError("unknown_role", field="role")
    collection = _collection(audit)
    if collection.consultant_role == role:
        return
    trail.record(
        user.id,
        "consultant_role",
        "audit",
        audit.id,
        previous=collection.consultant_role,
        role=role,
    )
    collection.consultant_role = role
    db.session.flush()


# --------------------------------------------------------------------------- tokens


def _serializer(clock: Clock) -> URLSafeTimedSerializer:
    class ClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock().timestamp())

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=ClockSigner)


def token_for(item: Respondent | RespondentLink) -> str:
    """The link's token, signed with the row's creation time (the same every time)."""
    created = _aware(item.created_at)
    key = "r" if isinstance(item, Respondent) else "l"
    return str(_serializer(lambda: created).dumps({key: item.id, "n": item.nonce}))


class LinkNotFound(Exception):
    """Tampered, malformed or unknown token (404)."""


class LinkGone(Exception):
    """A real link that expired, was revoked, or whose collection is closed (410)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "expired" | "revoked" | "submitted" | "closed"


def resolve(token: str, *, clock: Clock = _utcnow) -> Respondent | RespondentLink:
    """The live respondent or shared link a token names; raises LinkNotFound/LinkGone."""
    serializer = _serializer(clock)
    try:
        data: Any = serializer.loads(token, max_age=max(LINK_DAYS) * 86400)
    except SignatureExpired:
        raise LinkGone("expired") from None
    except (BadSignature, ValueError, TypeError):
        raise LinkNotFound() from None
    if not isinstance(data, dict):
        raise LinkNotFound()
    item: Respondent | RespondentLink | None
    if isinstance(data.get("r"), int):
        item = db.session.get(Respondent, data["r"])
    elif isinstance(data.get("l"), int):
        item = db.session.get(RespondentLink, data["l"])
    else:
        raise LinkNotFound()
    if item is None or not secrets.compare_digest(item.nonce, str(data.get("n", ""))):
        raise LinkNotFound()
    if item.revoked_at is not None:
        raise LinkGone("revoked")
    if clock() >= _aware(item.expires_at):
        raise LinkGone("expired")
    audit = db.session.get(Audit, item.audit_id)
    if audit is None:
        raise LinkNotFound()
    if audit.status == "submitted":  # submitting closes collection; reopening reopens it
        raise LinkGone("submitted")
    if not is_open(audit):
        raise LinkGone("closed")
    return item


def status_of_link(item: Respondent | RespondentLink, *, clock: Clock = _utcnow) -> str:
    """ "active", "expired" or "revoked", for lists."""
    if item.revoked_at is not None:
        return "revoked"
    return "expired" if clock() >= _aware(item.expires_at) else "active"


# --------------------------------------------------------------------------- invitations


def _check_role(audit: Audit, role: str) -> None:
    if role not in role_ids(questionnaire_for(audit)):
        raise UserError("unknown_role", field="role")


def _check_days(days: int) -> None:
    if days not in LINK_DAYS:
        raise UserError("bad_days", field="days")


def _checked_department(audit: Audit, role: str, days: int, department: str) -> str:
    """The checks a personal and a shared link have in common; the department, trimmed."""
    _check_role(audit, role)
    _check_days(days)
    department = department.strip()
    if len(department) > MAX_DEPARTMENT:
        raise UserError("too_long", field="department")
    return department


def _new_link_fields(user: User, days: int, clock: Clock) -> dict[str, Any]:
    """What every new link gets: its secret, who made it and when, and its expiry."""
    now = clock()
    return {
        "nonce": secrets.token_hex(16),
        "created_at": now,
        "created_by_id": user.id,
        "expires_at": now + timedelta(days=days),
    }


def invite(
    audit: Audit,
    *,
    role: str,
    user: User,
    department: str = "",
    name: str = "",
    email: str = "",
    days: int = DEFAULT_DAYS,
    clock: Clock = _utcnow,
) -> Respondent:
    """A personal link for one respondent (the name and e-mail are optional)."""
    department = _checked_department(audit, role, days, department)
    name, email = name.strip(), email.strip()
    if len(name) > MAX_NAME:
        raise UserError("too_long", field="name")
    respondent = Respondent(
        audit_id=audit.id,
        role=role,
        department=department,
        name=name,
        email=email,
        anonymous=False,
        **_new_link_fields(user, days, clock),
    )
    db.session.add(respondent)
    db.session.flush()
    trail.record(
        user.id, "invite_respondent", "respondent", respondent.id, audit_id=audit.id, role=role
    )
    return respondent


def create_link(
    audit: Audit,
    *,
    role: str,
    user: User,
    department: str = "",
    days: int = DEFAULT_DAYS,
    clock: Clock = _utcnow,
) -> RespondentLink:
    """A shared anonymous link for one role."""
    link = RespondentLink(
        audit_id=audit.id,
        role=role,
        department=_checked_department(audit, role, days, department),
        **_new_link_fields(user, days, clock),
    )
    db.session.add(link)
    db.session.flush()
    trail.record(
        user.id, "create_respondent_link", "respondent_link", link.id, audit_id=audit.id, role=role
    )
    return link


def start_from_link(link: RespondentLink, *, clock: Clock = _utcnow) -> Respondent:
    """A new anonymous respondent of the link's role; their own link lives as long as
    the shared one."""
    respondent = Respondent(
        audit_id=link.audit_id,
        link_id=link.id,
        role=link.role,
        department=link.department,
        anonymous=True,
        nonce=secrets.token_hex(16),
        created_at=clock(),
        expires_at=link.expires_at,
    )
    db.session.add(respondent)
    db.session.flush()
    trail.record(None, "start_response", "respondent", respondent.id, link_id=link.id)
    return respondent


def revoke(item: Respondent | RespondentLink, user: User) -> None:
    if item.revoked_at is not None:
        return
    item.revoked_at = _utcnow()
    if isinstance(item, RespondentLink):
        item.revoked_by_id = user.id
        trail.record(user.id, "revoke_respondent_link", "respondent_link", item.id)
    else:
        trail.record(user.id, "revoke_respondent", "respondent", item.id)
    db.session.flush()


def exclude(respondent: Respondent, reason: str, user: User) -> None:
    reason = reason.strip()
    if not reason:
        raise UserError("reason_required", field="reason")
    if len(reason) > MAX_REASON:
        raise UserError("too_long", field="reason")
    respondent.excluded_at = _utcnow()
    respondent.excluded_by_id = user.id
    respondent.exclusion_reason = reason
    trail.record(
        user.id,
        "exclude_response",
        "respondent",
        respondent.id,
        audit_id=respondent.audit_id,
        reason=reason,
    )
    db.session.flush()


def include(respondent: Respondent, user: User) -> None:
    if respondent.excluded_at is None:
        return
    trail.record(
        user.id,
        "include_response",
        "respondent",
        respondent.id,
        audit_id=respondent.audit_id,
        previous_reason=respondent.exclusion_reason,
    )
    respondent.excluded_at = None
    respondent.excluded_by_id = None
    respondent.exclusion_reason = ""
    db.session.flush()


def respondents_of(audit: Audit) -> list[Respondent]:
    return list(
        db.session.scalars(select(Respondent).filter_by(audit_id=audit.id).order_by(Respondent.id))
    )


def links_of(audit: Audit) -> list[RespondentLink]:
    return list(
        db.session.scalars(
            select(RespondentLink).filter_by(audit_id=audit.id).order_by(RespondentLink.id)
        )
    )


def respondent_of_audit(audit: Audit, respondent_id: int) -> Respondent | None:
    found = db.session.get(Respondent, respondent_id)
    return found if found is not None and found.audit_id == audit.id else None


def link_of_audit(audit: Audit, link_id: int) -> RespondentLink | None:
    found = db.session.get(RespondentLink, link_id)
    return found if found is not None and found.audit_id == audit.id else None


# --------------------------------------------------------------------------- answers


def answers_of_respondent(respondent: Respondent) -> dict[str, AnswerValue]:
    return {a.question_id: a.value for a in respondent.answers}


def answer_rows(respondent: Respondent) -> dict[str, RespondentAnswer]:
    return {a.question_id: a for a in respondent.answers}


def has_answered(answers: dict[str, AnswerValue]) -> bool:
    """At least one answer given (don't know and not applicable are answers too)."""
    return any(value is not None for value in answers.values())


def save_answer(
    respondent: Respondent,
    question_id: str,
    *,
    value: AnswerValue,
    note: str | None = None,
    evidence: str | None = None,
    base_revision: int | None = None,
) -> SaveOutcome[RespondentAnswer]:
    """Store one answer of a respondent; the same rules as the consultant's
    (`answering.save_answer`) while the collection is open and the link not revoked."""
    audit = db.session.get(Audit, respondent.audit_id)
    if (
        audit is None
        or audit.status == "submitted"
        or not is_open(audit)
        or respondent.revoked_at is not None
    ):
        raise UserError("audit_locked")
    outcome = answering.save_answer(
        respondent,
        RespondentAnswer,
        questionnaire_for(audit),
        question_id,
        value=value,
        note=note,
        evidence=evidence,
        base_revision=base_revision,
    )
    if outcome.changed:
        respondent.last_answer_at = outcome.answer.updated_at
        db.session.flush()
    return outcome


def finish(respondent: Respondent) -> None:
    if respondent.finished_at is None:
        respondent.finished_at = _utcnow()
        db.session.flush()


def visible_ids(respondent: Respondent, questionnaire: Questionnaire) -> set[str]:
    return visible_question_ids(questionnaire, answers_of_respondent(respondent))


def progress(respondent: Respondent, questionnaire: Questionnaire) -> Progress:
    return progress_of(questionnaire, answers_of_respondent(respondent))


def section_progress(respondent: Respondent, questionnaire: Questionnaire) -> dict[str, Progress]:
    return section_progress_of(questionnaire, answers_of_respondent(respondent))


# --------------------------------------------------------------------------- combining


@dataclass
class Responses:
    """What is combined: invited responses (not excluded, with answers) and the
    consultant's own, if the consultant has answered."""

    invited: list[Response]
    consultant: Response | None

    @property
    def all(self) -> list[Response]:
        return self.invited + ([self.consultant] if self.consultant else [])


def responses(audit: Audit) -> Responses:
    invited = []
    for respondent in respondents_of(audit):
        if respondent.excluded_at is not None:
            continue
        answers = answers_of_respondent(respondent)
        if has_answered(answers):
            invited.append(Response(f"r{respondent.id}", respondent.role, answers))
    own = answers_of(audit)
    consultant = Response("consultant", consultant_role(audit), own) if has_answered(own) else None
    return Responses(invited, consultant)


def combination(audit: Audit) -> Combination:
    """Everybody (consultant included) and each role, without anonymity applied."""
    return combine(questionnaire_for(audit), responses(audit).all)


def _labels(minimum: int, high: str, low: str, lang: str) -> dict[str, str]:
    """Fixed texts of the partials in the current (forced) language: the PDF partial
    has no gettext of its own, so it shows these."""
    return {
        "heading": _("How the organisation sees itself"),
        "intro": _(
            "CRM succeeds only when leadership, managers and front-line staff see the same "
            "reality. Each person's answers are combined question by question (the median); "
            "a group is shown only when at least %(n)s people of it have answered, so no one "
            "can be singled out.",
            n=minimum,
        ),
        "respondents": _("Respondents"),
        "combined": _("Everyone"),
        "role": _("Role"),
        "answered": _("Answered"),
        "invited": _("Invited"),
        "overall": _("Overall score"),
        "status": _("Status"),
        "dimension": _("Dimension"),
        "chart_title": _("Scores by dimension and role"),
        "gap_heading": _("Perception gap"),
        "gap_intro": _(
            "Score of %(high)s minus the score of %(low)s, in percentage points. A positive "
            "gap means the first group sees the practice as more mature than the second.",
            high=high,
            low=low,
        ),
        "gap": _("Gap (percentage points)"),
        "largest_gap": _("Largest gap"),
        "gap_unavailable": _("The perception gap appears when both groups have enough answers."),
        "disputed_heading": _("Disputed items: a workshop agenda"),
        "disputed_intro": _(
            "Questions where answers lie %(points)s or more percentage points apart (two or "
            "more steps on a 0–4 scale). Discuss them together: people see the same practice "
            "differently.",
            points=fmt(DISPUTE_SPREAD, lang),
        ),
        "no_disputed": _("No question is disputed: people broadly agree."),
        "question": _("Question"),
        "median": _("Median"),
        "spread": _("Spread (points)"),
        "range": _("Lowest – highest"),
        "by_role": _("By role"),
        "dont_know": _("Don't know"),
        "not_consulted_heading": _("Roles not consulted"),
        "not_consulted_intro": _("Nobody in these roles has answered:"),
        "too_few_heading": _("Not enough answers yet"),
        "too_few_intro": _(
            "These groups are hidden until at least %(n)s people of each have answered:",
            n=minimum,
        ),
        "shown": _("shown"),
        "not_enough": _("not enough answers yet"),
        "not_consulted": _("not consulted"),
        "closed": _("Collection closed"),
        "open": _("Collection open"),
        "combined_hidden": _(
            "Combined results appear once at least %(n)s invited people have answered.",
            n=minimum,
        ),
        "no_data": _("no data"),
        "consultant": _("Consultant"),
        "with_consultant": _("includes the consultant's own assessment"),
    }


def _signed(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    text = fmt(value, lang)
    return f"+{text}" if value > 0 and text != "0" else text


def _current_language() -> str:
    from audit_app.i18n import current_language

    return current_language() if has_request_context() else "pl"


def perception_context(audit: Audit, lang: str | None = None) -> dict[str, Any] | None:
    """Everything the perception-gap partials show, as plain JSON-ready values with
    texts in `lang` (default: the current language); None when nobody was invited
    (no personal and no shared link).

    Anonymity is applied here: a role's numbers are present only when the role has at
    least `min_group_size()` answering invited respondents; everybody's combined
    numbers and the disputed items only when that many invited people answered."""
    respondents = respondents_of(audit)
    links = links_of(audit)
    if not respondents and not links:
        return None
    lang = lang or _current_language()
    with force_locale(lang):
        return _perception(audit, respondents, lang)


def _perception(audit: Audit, respondents: list[Respondent], lang: str) -> dict[str, Any]:
    from audit_app.reporting.role_charts import grouped_bar_chart

    questionnaire = questionnaire_for(audit)
    minimum = min_group_size()
    given = responses(audit)
    everything = combine(questionnaire, given.all)
    combined = everything.combined
    # Without the consultant: who counts towards the minimum, also per question.
    invited_by_role: dict[str, list[Response]] = {}
    for response in given.invited:
        invited_by_role.setdefault(response.role, []).append(response)
    invited_groups = {
        role: combine_group(questionnaire, group) for role, group in invited_by_role.items()
    }
    own_role = consultant_role(audit)
    consultant_in = given.consultant is not None

    role_list: list[tuple[str, str]] = [(r.id, r.label.get(lang)) for r in questionnaire.roles]
    if own_role == CONSULTANT_ROLE and consultant_in:
        role_list.append((CONSULTANT_ROLE, _("Consultant")))
    labels_by_role = dict(role_list)
    pair = gap_roles(questionnaire)
    high_label = labels_by_role.get(pair[0], "") if pair else ""
    low_label = labels_by_role.get(pair[1], "") if pair else ""
    texts = _labels(minimum, high_label, low_label, lang)

    roles: list[dict[str, Any]] = []
    shown_roles: dict[str, GroupResult] = {}
    for role, label in role_list:
        answered = len(invited_by_role.get(role, []))
        with_consultant = consultant_in and own_role == role
        group = everything.roles.get(role)
        if group is not None and (role == CONSULTANT_ROLE or group_shown(answered, minimum)):
            status = "shown"
            shown_roles[role] = group
        elif answered == 0 and not with_consultant:
            status = "not_consulted"
        else:
            status = "too_few"
        shown = status == "shown"
        roles.append(
            {
                "id": role,
                "label": label,
                "invited": sum(1 for r in respondents if r.role == role and not r.excluded_at),
                "answered": answered,
                "shown": shown,
                "status": status,
                "status_label": texts[
                    "shown" if shown else status.replace("too_few", "not_enough")
                ],
                "with_consultant": with_consultant,
                "overall": group.overall if shown and group else None,
                "overall_display": fmt_percent(group.overall, lang) if shown and group else "",
            }
        )

    answered_total = len(given.invited)
    combined_shown = group_shown(answered_total, minimum)
    high = shown_roles.get(pair[0]) if pair else None
    low = shown_roles.get(pair[1]) if pair else None
    gaps = {g.section_id: g.gap for g in perception_gap(questionnaire, high, low)}

    dimensions: list[dict[str, Any]] = []
    for index, section in enumerate(questionnaire.sections, start=1):
        whole = _section_percent(combined, section.id) if combined_shown else None
        gap = gaps[section.id] if high is not None and low is not None else None
        values: list[dict[str, Any]] = []
        for entry in roles:
            percent = _section_percent(shown_roles.get(entry["id"]), section.id)
            values.append(
                {
                    "role": entry["id"],
                    "percent": percent,
                    "display": fmt_percent(percent, lang) if entry["shown"] else "",
                }
            )
        dimensions.append(
            {
                "id": section.id,
                "index": index,
                "title": section.title.get(lang),
                "combined": whole,
                "combined_display": fmt_percent(whole, lang) if combined_shown else "",
                "scores": values,
                "gap": gap,
                "gap_display": _signed(gap, lang) if gap is not None else "",
            }
        )
    known_gaps = [d for d in dimensions if d["gap"] is not None]
    largest = max(known_gaps, key=lambda d: abs(d["gap"]), default=None)

    numbers = {q.id: i for i, q in enumerate(questionnaire.questions, start=1)}
    titles = {s.id: s.title.get(lang) for s in questionnaire.sections}
    disputed: list[dict[str, Any]] = []
    for item in combined.disputed if combined_shown else ():
        question = questionnaire.question(item.question_id)
        if question is None:  # pragma: no cover - combined from this questionnaire
            continue
        by_role: list[dict[str, Any]] = []
        for entry in roles:
            group = shown_roles.get(entry["id"])
            in_role = group.question(item.question_id) if group else None
            if in_role is None or in_role.median is None:
                continue
            counted = invited_groups.get(entry["id"])
            per_question = counted.question(item.question_id) if counted else None
            enough = entry["id"] == CONSULTANT_ROLE or (
                per_question is not None and group_shown(per_question.answered, minimum)
            )
            by_role.append(
                {
                    "role": entry["id"],
                    "label": entry["label"],
                    "median": in_role.median if enough else None,
                    "display": (
                        fmt_percent(in_role.median, lang) if enough else texts["not_enough"]
                    ),
                }
            )
        disputed.append(
            {
                "id": item.question_id,
                "number": numbers[item.question_id],
                "text": question.text.get(lang),
                "dimension": titles[item.section_id],
                "median": item.median,
                "median_display": fmt_percent(item.median, lang),
                "spread": item.spread,
                "spread_display": fmt(item.spread or 0.0, lang),
                "lowest_display": fmt_percent(item.percents[0], lang),
                "highest_display": fmt_percent(item.percents[-1], lang),
                "answered": item.answered,
                "dont_know": item.dont_know,
                "roles": by_role,
            }
        )

    series: list[tuple[str, list[float | None]]] = []
    if combined_shown:
        series.append((texts["combined"], [d["combined"] for d in dimensions]))
    for entry in roles:
        group = shown_roles.get(entry["id"])
        if group is not None:
            series.append(
                (entry["label"], [_section_percent(group, s.id) for s in questionnaire.sections])
            )
    chart = grouped_bar_chart(
        [f"{d['index']}. {d['title']}" for d in dimensions],
        series,
        title=texts["chart_title"],
        no_data=texts["no_data"],
        lang=lang,
        chart_id="perception-chart",
    )
    collection = collection_of(audit)
    active = [r for r in respondents if r.excluded_at is None]
    return {
        "lang": lang,
        "min_group_size": minimum,
        "open": collection is None or collection.closed_at is None,
        "counts": {
            "invited": len(active),
            "answered": answered_total,
            "finished": sum(1 for r in active if r.finished_at is not None),
            "excluded": len(respondents) - len(active),
        },
        "consultant": {
            "included": consultant_in,
            "role": own_role,
            "role_label": labels_by_role.get(own_role, texts["consultant"]),
        },
        "combined": {
            "shown": combined_shown,
            "answered": answered_total,
            "overall": combined.overall if combined_shown else None,
            "overall_display": fmt_percent(combined.overall, lang) if combined_shown else "",
        },
        "roles": roles,
        "dimensions": dimensions,
        "gap": {
            "available": high is not None and low is not None,
            "high": {"id": pair[0] if pair else "", "label": high_label},
            "low": {"id": pair[1] if pair else "", "label": low_label},
            "largest": (
                {"title": largest["title"], "gap_display": largest["gap_display"]}
                if largest
                else None
            ),
        },
        "disputed_threshold": DISPUTE_SPREAD,
        "disputed": disputed,
        "not_consulted": [r["label"] for r in roles if r["status"] == "not_consulted"],
        "too_few": [
            {"label": r["label"], "answered": r["answered"]}
            for r in roles
            if r["status"] == "too_few"
        ],
        "chart_svg": chart,
        "labels": texts,
    }


def _section_percent(group: GroupResult | None, section_id: str) -> float | None:
    if group is None:
        return None
    found = group.section(section_id)
    return found.percent if found else None
