"""The fixed texts of the workbooks and of the import's messages, in both languages.

A workbook is written in the language chosen for it, not the user's: like the PDF
reports, it carries its own small catalogue."""

from __future__ import annotations

from typing import Any

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "answers_sheet": "Answers",
        "instructions": (
            "Fill in the Answer column (choose from the list where there is one); notes and "
            "evidence are optional. Do not change the hidden columns or sheets: the file is "
            "read back into the audit with them."
        ),
        "number": "No.",
        "section": "Section",
        "question": "Question",
        "how": "How to answer",
        "answer": "Answer",
        "note": "Note",
        "evidence": "Evidence",
        "shown_when": "Only when",
        "critical": "critical",
        "choose": "Choose one from the list",
        "several": "One or more, separated by ';': {options}",
        "a_number": "A number",
        "free_text": "Free text",
        "condition_equals": "question {number} is answered: {answers}",
        "condition_score": "question {number} scores at least {score} %",
        "dont_know": "Don't know",
        "na": "Not applicable",
        "version": "Questionnaire {id}, version {version}",
        "at_cell": "row {row}, column {column}",
        "organisation": "Organisation",
        "person": "Name and role",
        "date": "Date",
        "how_to": (
            "Tick one answer per question (several where it says so). Under each answer "
            "is what it looks like in practice. If you are not sure, tick “Don't know”."
        ),
        "only_when": "Answer only when",
        "tick_all": "Tick all that apply.",
        "summary_sheet": "Summary",
        "recommendations_sheet": "Recommendations",
        "actions_sheet": "Actions",
        "item": "Item",
        "value": "Value",
        "score": "Score (%)",
        "contact_evidence": "Evidence from contacts",
        "files": "Evidence files",
        "not_answered": "Not answered",
        "hidden_answer": "Not asked (condition not met)",
        "organisation_label": "Organisation",
        "questionnaire_label": "Questionnaire",
        "status": "Status",
        "started": "Started",
        "submitted": "Submitted",
        "overall": "Overall score (%)",
        "level": "Maturity level",
        "verdict": "Verdict",
        "coverage": "Evidence coverage (%)",
        "target": "Target (%)",
        "gap": "Gap to target (points)",
        "provisional": "Provisional result",
        "area_score": "Score of {area} (%)",
        "recommendation": "Recommendation",
        "first_step": "First step",
        "impact": "Impact",
        "effort": "Effort",
        "category": "Category",
        "priority": "Priority",
        "area": "Area",
        "title": "Title",
        "owner": "Owner",
        "due": "Due",
        "yes": "yes",
        "no": "no",
        "low": "low",
        "medium": "medium",
        "high": "high",
        "quick_win": "quick win",
        "major_project": "major project",
        "fill_in": "fill-in",
        "thankless": "thankless task",
        "ready": "ready",
        "conditional": "conditionally ready",
        "not_ready": "not ready",
        "in_progress": "in progress",
        "todo": "to do",
        "done": "done",
        "dropped": "dropped",
    },
    "pl": {
        "answers_sheet": "Odpowiedzi",
        "instructions": (
            "Wypełnij kolumnę Odpowiedź (tam, gdzie jest lista, wybierz z listy); uwagi i "
            "dowody są nieobowiązkowe. Nie zmieniaj ukrytych kolumn ani arkuszy: plik jest "
            "z ich pomocą wczytywany z powrotem do audytu."
        ),
        "number": "Nr",
        "section": "Obszar",
        "question": "Pytanie",
        "how": "Jak odpowiedzieć",
        "answer": "Odpowiedź",
        "note": "Uwagi",
        "evidence": "Dowody",
        "shown_when": "Tylko gdy",
        "critical": "kluczowe",
        "choose": "Wybierz jedną odpowiedź z listy",
        "several": "Jedna lub więcej, rozdzielone znakiem ';': {options}",
        "a_number": "Liczba",
        "free_text": "Dowolny tekst",
        "condition_equals": "na pytanie {number} odpowiedziano: {answers}",
        "condition_score": "pytanie {number} ma co najmniej {score}%",
        "dont_know": "Nie wiem",
        "na": "Nie dotyczy",
        "version": "Kwestionariusz {id}, wersja {version}",
        "at_cell": "wiersz {row}, kolumna {column}",
        "organisation": "Organizacja",
        "person": "Imię, nazwisko i rola",
        "date": "Data",
        "how_to": (
            "Zaznacz jedną odpowiedź na każde pytanie (kilka tam, gdzie to napisano). Pod "
            "każdą odpowiedzią opisano, jak wygląda ona w praktyce. Jeśli nie masz pewności, "
            "zaznacz „Nie wiem”."
        ),
        "only_when": "Odpowiedz tylko wtedy, gdy",
        "tick_all": "Zaznacz wszystkie pasujące.",
        "summary_sheet": "Podsumowanie",
        "recommendations_sheet": "Rekomendacje",
        "actions_sheet": "Działania",
        "item": "Pozycja",
        "value": "Wartość",
        "score": "Wynik (%)",
        "contact_evidence": "Dowody z kontaktów",
        "files": "Pliki z dowodami",
        "not_answered": "Brak odpowiedzi",
        "hidden_answer": "Nie zadano (warunek niespełniony)",
        "organisation_label": "Organizacja",
        "questionnaire_label": "Kwestionariusz",
        "status": "Stan",
        "started": "Rozpoczęty",
        "submitted": "Zakończony",
        "overall": "Wynik ogólny (%)",
        "level": "Poziom dojrzałości",
        "verdict": "Werdykt",
        "coverage": "Pokrycie dowodami (%)",
        "target": "Cel (%)",
        "gap": "Brakuje do celu (pkt)",
        "provisional": "Wynik wstępny",
        "area_score": "Wynik obszaru {area} (%)",
        "recommendation": "Rekomendacja",
        "first_step": "Pierwszy krok",
        "impact": "Wpływ",
        "effort": "Nakład pracy",
        "category": "Kategoria",
        "priority": "Priorytet",
        "area": "Obszar",
        "title": "Tytuł",
        "owner": "Odpowiedzialny",
        "due": "Termin",
        "yes": "tak",
        "no": "nie",
        "low": "niski",
        "medium": "średni",
        "high": "wysoki",
        "quick_win": "szybka korzyść",
        "major_project": "duży projekt",
        "fill_in": "uzupełnienie",
        "thankless": "niewdzięczne zadanie",
        "ready": "gotowa",
        "conditional": "gotowa warunkowo",
        "not_ready": "niegotowa",
        "in_progress": "w toku",
        "todo": "do zrobienia",
        "done": "zrobione",
        "dropped": "zaniechane",
    },
}

# Messages of the import, one per problem code (services/answer_import.py).
MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "not_a_workbook": "The file is not an Excel workbook (.xlsx); save it as .xlsx.",
        "workbook_too_large": (
            "The workbook holds far more than an answer workbook does; use the workbook "
            "downloaded for this audit."
        ),
        "not_an_answer_workbook": (
            "The workbook is not an answer workbook of this application (its hidden "
            "sheet is missing); download a blank answer workbook and copy the answers into it."
        ),
        "other_questionnaire": (
            "The workbook is for the questionnaire '{workbook}', but this audit uses '{audit}'."
        ),
        "other_version": (
            "The workbook was made for version {workbook} of the questionnaire; the audit "
            "uses version {audit}. Every answer was checked against version {audit}."
        ),
        "audit_locked": "The audit is submitted; reopen it before importing answers.",
        "unknown_question": "'{value}' is not a question of this questionnaire.",
        "duplicate_question": "The question {question} is also in row {other}; keep one row.",
        "unknown_option": "'{value}' is not one of the answers; use one of: {allowed}.",
        "not_a_number": "'{value}' is not a number; write e.g. 12 or 12.5.",
        "out_of_range": "{value} is outside every range this question scores.",
        "dont_know_not_allowed": '"Don\'t know" is not an answer to this question.',
        "na_not_allowed": '"Not applicable" is not an answer to this question.',
        "wrong_type": "This kind of answer does not fit the question.",
        "too_long": "The text is too long (at most {limit} characters).",
        "conflict": (
            "The audit already holds another answer ({stored}), changed after this "
            "workbook was made; change it in the application or clear this cell."
        ),
        "hidden": (
            "The question is not asked with these answers (its condition is not met); "
            "the answer is not imported."
        ),
    },
    "pl": {
        "not_a_workbook": "Plik nie jest skoroszytem Excela (.xlsx); zapisz go jako .xlsx.",
        "workbook_too_large": (
            "Skoroszyt zawiera o wiele więcej danych niż skoroszyt odpowiedzi; użyj "
            "skoroszytu pobranego dla tego audytu."
        ),
        "not_an_answer_workbook": (
            "Skoroszyt nie jest skoroszytem odpowiedzi z tej aplikacji (brak ukrytego "
            "arkusza); pobierz pusty skoroszyt odpowiedzi i przepisz do niego odpowiedzi."
        ),
        "other_questionnaire": (
            "Skoroszyt dotyczy kwestionariusza „{workbook}”, a ten audyt korzysta z „{audit}”."
        ),
        "other_version": (
            "Skoroszyt przygotowano dla wersji {workbook} kwestionariusza, a audyt korzysta "
            "z wersji {audit}. Każdą odpowiedź sprawdzono według wersji {audit}."
        ),
        "audit_locked": "Audyt jest zakończony; otwórz go ponownie przed wczytaniem odpowiedzi.",
        "unknown_question": "„{value}” nie jest pytaniem tego kwestionariusza.",
        "duplicate_question": "Pytanie {question} jest też w wierszu {other}; zostaw jeden wiersz.",
        "unknown_option": "„{value}” nie jest żadną z odpowiedzi; wybierz jedną z: {allowed}.",
        "not_a_number": "„{value}” nie jest liczbą; wpisz np. 12 albo 12,5.",
        "out_of_range": "{value} wykracza poza wszystkie przedziały punktowane w tym pytaniu.",
        "dont_know_not_allowed": "„Nie wiem” nie jest dopuszczalną odpowiedzią na to pytanie.",
        "na_not_allowed": "„Nie dotyczy” nie jest dopuszczalną odpowiedzią na to pytanie.",
        "wrong_type": "Ten rodzaj odpowiedzi nie pasuje do pytania.",
        "too_long": "Tekst jest za długi (najwyżej {limit} znaków).",
        "conflict": (
            "Audyt ma już inną odpowiedź ({stored}), zmienioną po przygotowaniu tego "
            "skoroszytu; zmień ją w aplikacji albo wyczyść tę komórkę."
        ),
        "hidden": (
            "Przy tych odpowiedziach pytanie nie jest zadawane (jego warunek nie jest "
            "spełniony); odpowiedź nie zostanie wczytana."
        ),
    },
}


def word(lang: str, key: str, **params: Any) -> str:
    return WORDS[lang][key].format(**params)


def code_word(lang: str, code: str | None) -> str:
    """A code (verdict, impact, category, status...) in words; unknown codes as they are."""
    return WORDS[lang].get(code or "", code or "")


def message(lang: str, code: str, params: dict[str, Any]) -> str:
    """A problem's message; a parameter given per language ({"pl": ..., "en": ...})
    is taken in `lang`."""
    chosen = {k: v[lang] if isinstance(v, dict) else v for k, v in params.items()}
    return MESSAGES[lang][code].format(**chosen)


def problem_text(lang: str, row: int, column: str, code: str, params: dict[str, Any]) -> str:
    """ "row 7, column F: ..." (or only the message for the whole workbook)."""
    text = message(lang, code, params)
    return f"{word(lang, 'at_cell', row=row, column=column)}: {text}" if row else text
