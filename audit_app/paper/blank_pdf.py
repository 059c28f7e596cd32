"""The printable blank questionnaire (PDF) for paper workshops: every question with
its answers as tick boxes and each answer's anchor (what it looks like in practice),
in the chosen language. The design is reports/blank/ (not a report of an audit, so it
has no metadata.yaml and is not offered among the report designs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import path2url

from audit_app.domain.questionnaire import Question, Questionnaire
from audit_app.reporting.pdf import ReportsFetcher
from audit_app.workbooks.blank import condition_text
from audit_app.workbooks.words import WORDS, word

DESIGN = "blank"


def _question(questionnaire: Questionnaire, question: Question, lang: str, number: int) -> Any:
    def text(value: Any) -> str:
        return value.get(lang) if value is not None else ""

    specials = []
    if question.scored:
        if question.dont_know:
            specials.append(word(lang, "dont_know"))
        if question.not_applicable:
            specials.append(word(lang, "na"))
    return {
        "number": number,
        "type": question.type,
        "text": text(question.text),
        "help": text(question.help),
        "evidence": text(question.evidence),
        "unit": text(question.unit),
        "critical": question.critical,
        "condition": condition_text(questionnaire, question, lang),
        "options": [{"label": text(o.label), "anchor": text(o.anchor)} for o in question.choices],
        "specials": specials,
    }


def blank_context(questionnaire: Questionnaire, lang: str) -> dict[str, Any]:
    numbers = {q.id: i for i, q in enumerate(questionnaire.questions, start=1)}
    words = dict(WORDS[lang])
    words["version"] = word(lang, "version", id=questionnaire.id, version=questionnaire.version)
    return {
        "lang": lang,
        "w": words,
        "questionnaire": {
            "title": questionnaire.title.get(lang),
            "description": questionnaire.description.get(lang),
        },
        "sections": [
            {
                "title": section.title.get(lang),
                "description": section.description.get(lang) if section.description else "",
                "questions": [
                    _question(questionnaire, q, lang, numbers[q.id]) for q in section.questions
                ],
            }
            for section in questionnaire.sections
        ],
    }


def blank_pdf(questionnaire: Questionnaire, lang: str, reports_dir: Path) -> bytes:
    root = reports_dir.resolve()
    env = Environment(
        loader=FileSystemLoader(str(root)),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    html = env.get_template(f"{DESIGN}/questionnaire.html").render(
        **blank_context(questionnaire, lang)
    )
    fetcher = ReportsFetcher(root)
    fonts = FontConfiguration()
    css_path = root / DESIGN / "print.css"
    stylesheet = CSS(
        string=css_path.read_text(encoding="utf-8"),
        base_url=path2url(str(css_path)),
        url_fetcher=fetcher,
        font_config=fonts,
    )
    document = HTML(
        string=html, base_url=path2url(str(root / DESIGN)) + "/", url_fetcher=fetcher
    ).render(stylesheets=[stylesheet], font_config=fonts)
    return bytes(document.write_pdf())
