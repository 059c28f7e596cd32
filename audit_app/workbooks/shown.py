"""An answer as a person reads it, in each language, without the web layer (for the
import's messages and the audit export)."""

from __future__ import annotations

from audit_app.domain.answers import AnswerValue, is_number
from audit_app.domain.questionnaire import DONT_KNOW, NOT_APPLICABLE, Question
from audit_app.workbooks.words import WORDS


def shown_value(question: Question, value: AnswerValue) -> dict[str, str]:
    shown = {}
    for lang, words in WORDS.items():
        labels = {o.value: o.label.get(lang) for o in question.choices}
        labels |= {DONT_KNOW: words["dont_know"], NOT_APPLICABLE: words["na"]}
        if isinstance(value, list):
            shown[lang] = "; ".join(labels.get(v, v) for v in value)
        elif isinstance(value, str) and question.type != "text":
            shown[lang] = labels.get(value, value)
        elif is_number(value):
            number = f"{value:g}"
            unit = question.unit.get(lang) if question.unit else ""
            shown[lang] = f"{number.replace('.', ',') if lang == 'pl' else number} {unit}".strip()
        else:
            shown[lang] = "" if value is None else str(value)
    return shown
