"""The one way an answer is put into words, for every page, report and export.

Plain Python only; the words come through a `Wording` (gettext for one language).
"""

from __future__ import annotations

from typing import Protocol

from audit_app.domain.answers import AnswerValue, band_for, is_number
from audit_app.domain.questionnaire import DONT_KNOW, NOT_APPLICABLE, Question
from audit_app.domain.scoring_text import fmt


class Wording(Protocol):
    """gettext for one language (`audit_app.wording.Translator` is one)."""

    @property
    def lang(self) -> str: ...

    def gettext(self, message: str, **variables: object) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, **variables: object) -> str: ...


def status_label(status: str, t: Wording) -> str:
    return {
        "scored": t.gettext("Scored"),
        "dont_know": t.gettext("Don't know"),
        "undetermined": t.gettext("Not asked: depends on a “don't know” answer"),
        "na": t.gettext("Not applicable"),
        "unanswered": t.gettext("No answer"),
        "hidden": t.gettext("Not asked (display condition not met)"),
        "unscored": t.gettext("Open question, not scored"),
    }.get(status, status)


def answer_words(question: Question | None, value: AnswerValue, t: Wording) -> tuple[str, str]:
    """(the answer as the respondent gave it, what that answer means).

    The meaning is the chosen option's anchor, or the band a number falls in."""
    lang = t.lang
    if value is None or value == "" or value == []:
        return t.gettext("No answer"), ""
    if question is None or question.type == "text":
        return str(value), ""
    if value == DONT_KNOW:
        return status_label("dont_know", t), ""
    if value == NOT_APPLICABLE:
        return status_label("na", t), ""
    if question.type == "multiple" and isinstance(value, list):
        labels = [o.label.get(lang) for o in question.choices if o.value in value]
        labels += [v for v in value if v not in {o.value for o in question.choices}]
        return ("; ".join(labels) if labels else t.gettext("None of the options")), ""
    if question.type == "number" and is_number(value):
        unit = question.unit.get(lang) if question.unit else ""
        number = fmt(value, lang)
        shown = f"{number}%" if unit == "%" else f"{number} {unit}".strip()
        band = band_for(question, value)
        return shown, band.label.get(lang) if band else ""
    option = next((o for o in question.choices if o.value == value), None)
    if option is None:
        return str(value), ""
    return option.label.get(lang), option.anchor.get(lang) if option.anchor else ""


def level_label(level: str, t: Wording) -> str:
    """Impact and effort: low / medium / high ("niski / średni / wysoki")."""
    return {"low": t.gettext("low"), "medium": t.gettext("medium"), "high": t.gettext("high")}.get(
        level, level
    )


def verdict_label(verdict: str, t: Wording) -> str:
    return {
        "ready": t.gettext("Ready"),
        "conditional": t.gettext("Conditionally ready"),
        "not_ready": t.gettext("Not ready"),
    }.get(verdict, verdict)


def category_label(category: str, t: Wording) -> str:
    return {
        "quick_win": t.gettext("Quick win"),
        "major_project": t.gettext("Major project"),
        "fill_in": t.gettext("Fill-in"),
        "thankless": t.gettext("Low priority"),
    }.get(category, category)


def direction_label(direction: str, t: Wording) -> str:
    return {
        "improved": t.gettext("improved"),
        "regressed": t.gettext("declined"),
        "unchanged": t.gettext("unchanged"),
        "not_comparable": t.gettext("not comparable"),
    }.get(direction, direction)


def channel_label(channel: str, t: Wording) -> str:
    """How an interaction of the contact register happened."""
    return {
        "in_person": t.gettext("In person"),
        "phone": t.gettext("Phone"),
        "email": t.gettext("E-mail"),
        "video": t.gettext("Video call"),
        "chat": t.gettext("Chat"),
        "letter": t.gettext("Letter"),
        "event": t.gettext("Event"),
    }.get(channel, channel)


def action_status_label(status: str, t: Wording) -> str:
    return {
        "todo": t.gettext("To do"),
        "in_progress": t.gettext("In progress"),
        "done": t.gettext("Done"),
        "dropped": t.gettext("Dropped"),
    }.get(status, status)


POLISH_LETTERS = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
POLISH_WORDS = {"i", "w", "z", "na", "nie", "się", "jest", "do", "oraz", "że", "dla", "od"}
ENGLISH_WORDS = {"the", "and", "of", "to", "is", "with", "for", "are", "was", "from"}


def language_note(text: str, t: Wording) -> str:
    """ "(in Polish)" / "(po angielsku)" when free text a person typed is in the other
    language than the report, else "". A light guess: letters and common words."""
    words = {w.strip(".,;:!?()„”\"'").lower() for w in text.split()}
    english_words = words & ENGLISH_WORDS
    polish = bool(POLISH_LETTERS & set(text)) or bool(words & POLISH_WORDS and not english_words)
    english = not polish and len(english_words) >= 2
    if t.lang == "en" and polish:
        return t.gettext("(in Polish)")
    if t.lang == "pl" and english:
        return t.gettext("(in English)")
    return ""
