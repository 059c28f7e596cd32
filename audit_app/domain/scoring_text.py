"""Bilingual (pl/en) explanations of the numbers computed in `scoring`.

Numbers are rounded here for display only (one decimal, trailing ",0"/".0"
dropped; Polish uses a decimal comma).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Literal

from audit_app.domain.questionnaire import Text, VerdictRule

VERDICT_LABELS: dict[str, Text] = {
    "ready": Text(pl="gotowość", en="ready"),
    "conditional": Text(pl="gotowość warunkowa", en="conditionally ready"),
    "not_ready": Text(pl="brak gotowości", en="not ready"),
}


@lru_cache(maxsize=8192)  # pure; a history chart formats the same few values many times
def fmt(value: float, lang: str = "en") -> str:
    """A number for display: one decimal at most (half up), decimal comma in Polish."""
    if abs(value) >= 1e15:
        text = f"{value:g}"
        return text.replace(".", ",") if lang == "pl" else text
    rounded = Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = (
        str(rounded.to_integral_value()) if rounded == rounded.to_integral_value() else str(rounded)
    )
    if text == "-0":
        text = "0"
    return text.replace(".", ",") if lang == "pl" else text


def fmt_percent(value: float | None, lang: str = "en") -> str:
    return "–" if value is None else f"{fmt(value, lang)}%"


def _both(pl: str, en: str) -> Text:
    return Text(pl=pl, en=en)


def _join(first: Text, second: Text, sep: str = "; ") -> Text:
    return Text(pl=f"{first.pl}{sep}{second.pl}", en=f"{first.en}{sep}{second.en}")


def question_text(
    status: str,
    raw_points: float | None,
    full: float,
    percent: float | None,
    critical: bool,
    band_label: Text | None,
    value: object,
) -> Text:
    """E.g. "2 z 4 pkt = 50%" / "2 of 4 points = 50%"."""
    if status == "hidden":
        return _both(
            "Pytanie ukryte (warunek wyświetlenia niespełniony) – pominięte",
            "Hidden question (display condition not met) – ignored",
        )
    if status == "unscored":
        return _both("Pytanie otwarte – bez punktacji", "Free-text question – not scored")
    if status == "na":
        return _both(
            "Nie dotyczy – pominięte w wyniku i w pokryciu dowodami",
            "Not applicable – excluded from the score and from evidence coverage",
        )
    if status == "unanswered":
        return _both(
            "Brak odpowiedzi – pominięte w średniej, obniża pokrycie dowodami",
            "Unanswered – excluded from the average, lowers evidence coverage",
        )
    if status in ("dont_know", "undetermined"):
        if status == "dont_know":
            text = _both(
                "Odpowiedź „nie wiem” – liczona jako 0%, obniża pokrycie dowodami",
                "Answered “don't know” – counts as 0%, lowers evidence coverage",
            )
        else:
            text = _both(
                "Nie wiadomo, czy pytanie dotyczy (zależy od odpowiedzi „nie wiem”) – "
                "liczone jako 0%",
                "Unknown whether the question applies (it depends on a “don't know” "
                "answer) – counts as 0%",
            )
        if critical:
            text = _join(
                text,
                _both(
                    "pytanie krytyczne – poniżej progu krytycznego",
                    "critical question – below the critical threshold",
                ),
            )
        return text
    raw = raw_points or 0.0
    points = min(max(raw, 0.0), full)
    pct = percent or 0.0
    pl = f"{fmt(points, 'pl')} z {fmt(full, 'pl')} pkt = {fmt_percent(pct, 'pl')}"
    en = f"{fmt(points)} of {fmt(full)} points = {fmt_percent(pct)}"
    if raw > full:
        pl = f"suma {fmt(raw, 'pl')} pkt, ograniczona do maksimum: {pl}"
        en = f"sum {fmt(raw)} points, capped at the maximum: {en}"
    elif raw < 0:
        pl = f"suma {fmt(raw, 'pl')} pkt, przyjęto 0: {pl}"
        en = f"sum {fmt(raw)} points, taken as 0: {en}"
    if band_label is not None and isinstance(value, int | float):
        pl = f"wartość {fmt(value, 'pl')} → przedział „{band_label.pl}”: {pl}"
        en = f"value {fmt(value)} → band “{band_label.en}”: {en}"
    return _both(pl, en)


def _count(n: int, kind: Literal["question", "section"]) -> Text:
    # Polish genitive after "średnia ważona" / "z": 1 pytania, 2 pytań; 1 obszaru, 2 obszarów
    if kind == "question":
        return _both(f"{n} {'pytania' if n == 1 else 'pytań'}", f"{n} question{'s' * (n != 1)}")
    return _both(f"{n} {'obszaru' if n == 1 else 'obszarów'}", f"{n} dimension{'s' * (n != 1)}")


def mean_text(
    kind: Literal["question", "section"],
    pairs: Sequence[tuple[float, float]],
    result: float | None,
) -> Text:
    """E.g. "średnia ważona 3 pytań: (50×1 + 75×2 + 100×1) / 4 = 75%"."""
    if result is None or not pairs:
        if kind == "question":
            return _both(
                "brak ocenionych pytań – wynik nieustalony", "no scored questions – no score"
            )
        return _both(
            "brak ocenionych obszarów – wynik nieustalony", "no scored dimensions – no score"
        )
    count = _count(len(pairs), kind)
    weights = sum(w for _, w in pairs)
    terms_pl = " + ".join(f"{fmt(p, 'pl')}×{fmt(w, 'pl')}" for p, w in pairs)
    terms_en = " + ".join(f"{fmt(p)}×{fmt(w)}" for p, w in pairs)
    return _both(
        f"średnia ważona {count.pl}: ({terms_pl}) / {fmt(weights, 'pl')} = "
        f"{fmt_percent(result, 'pl')}",
        f"weighted mean of {count.en}: ({terms_en}) / {fmt(weights)} = {fmt_percent(result)}",
    )


def target_text(explanation: Text, target: float, gap: float | None) -> Text:
    if gap is None:
        extra = _both(f"cel {fmt_percent(target, 'pl')}", f"target {fmt_percent(target)}")
    else:
        extra = _both(
            f"cel {fmt_percent(target, 'pl')} → luka {fmt(gap, 'pl')} pkt proc.",
            f"target {fmt_percent(target)} → gap {fmt(gap)} percentage points",
        )
    return _join(explanation, extra)


def overall_text(
    pairs: Sequence[tuple[float, float]], overall: float | None, level_label: Text | None
) -> Text:
    text = mean_text("section", pairs, overall)
    if level_label is not None:
        text = _join(text, _both(f"poziom „{level_label.pl}”", f"level “{level_label.en}”"))
    return text


def coverage_text(
    answered: int, total: int, coverage: float | None, provisional: bool, rule: VerdictRule
) -> Text:
    if coverage is None:
        return _both(
            "brak pytań do udokumentowania – pokrycie nieustalone, wynik wstępny",
            "no questions to evidence – coverage undefined, the result is provisional",
        )
    of = _count(total, "question")
    text = _both(
        f"{answered} z {of.pl} (bez ukrytych i „nie dotyczy”) ma ocenioną odpowiedź = "
        f"{fmt_percent(coverage, 'pl')}",
        f"{answered} of {of.en} (excluding hidden and n/a) have a scored answer = "
        f"{fmt_percent(coverage)}",
    )
    if provisional:
        limit = rule.provisional_below_coverage
        text = _join(
            text,
            _both(
                f"poniżej {fmt_percent(limit, 'pl')} – wynik wstępny",
                f"below {fmt_percent(limit)} – the result is provisional",
            ),
            " – ",
        )
    return text


def verdict_texts(
    verdict: str,
    capped: str,
    overall: float | None,
    weak_sections: Sequence[tuple[Text, float]],
    failures: Sequence[tuple[Text, float | None]],
    rule: VerdictRule,
) -> tuple[Text, ...]:
    """The rule that decided the base verdict, then one line per critical failure."""
    reasons: list[Text] = []
    ready_min = rule.ready_min_overall
    cond_min = rule.conditional_min_overall
    if overall is None:
        reasons.append(
            _both(
                "Brak ocenionych odpowiedzi – nie można stwierdzić gotowości",
                "No scored answers – readiness cannot be established",
            )
        )
    else:
        o_pl, o_en = fmt_percent(overall, "pl"), fmt_percent(overall)
        sec_pl, sec_en = (
            fmt_percent(rule.ready_min_section, "pl"),
            fmt_percent(rule.ready_min_section),
        )
        if verdict == "ready":
            reasons.append(
                _both(
                    f"Gotowość: wynik ogólny {o_pl} ≥ {fmt_percent(ready_min, 'pl')} "
                    f"i każdy obszar ≥ {sec_pl}",
                    f"Ready: overall score {o_en} ≥ {fmt_percent(ready_min)} "
                    f"and every dimension ≥ {sec_en}",
                )
            )
        elif verdict == "conditional" and overall >= ready_min:
            reasons.append(
                _both(
                    f"Gotowość warunkowa: wynik ogólny {o_pl} ≥ {fmt_percent(ready_min, 'pl')}, "
                    f"ale nie każdy obszar osiąga {sec_pl}",
                    f"Conditionally ready: overall score {o_en} ≥ {fmt_percent(ready_min)}, "
                    f"but not every dimension reaches {sec_en}",
                )
            )
            for title, section_percent in weak_sections:
                reasons.append(
                    _both(
                        f"Obszar „{title.pl}”: {fmt_percent(section_percent, 'pl')} < {sec_pl}",
                        f"Dimension “{title.en}”: {fmt_percent(section_percent)} < {sec_en}",
                    )
                )
        elif verdict == "conditional":
            reasons.append(
                _both(
                    f"Gotowość warunkowa: wynik ogólny {o_pl} < {fmt_percent(ready_min, 'pl')} "
                    f"(próg gotowości), ale ≥ {fmt_percent(cond_min, 'pl')}",
                    f"Conditionally ready: overall score {o_en} < {fmt_percent(ready_min)} "
                    f"(readiness threshold) but ≥ {fmt_percent(cond_min)}",
                )
            )
        else:
            reasons.append(
                _both(
                    f"Brak gotowości: wynik ogólny {o_pl} < {fmt_percent(cond_min, 'pl')} "
                    "(próg gotowości warunkowej)",
                    f"Not ready: overall score {o_en} < {fmt_percent(cond_min)} "
                    "(conditional readiness threshold)",
                )
            )
    cap = VERDICT_LABELS[rule.critical_cap]
    if capped != verdict:
        effect = _both(f"werdykt obniżony do: {cap.pl}", f"verdict lowered to: {cap.en}")
    else:
        effect = _both(
            f"werdykt nie może przekroczyć: {cap.pl}", f"the verdict cannot exceed: {cap.en}"
        )
    below_pl, below_en = fmt_percent(rule.critical_below, "pl"), fmt_percent(rule.critical_below)
    for question, percent in failures:
        if percent is None:
            why = _both(
                "odpowiedź „nie wiem” (liczona jako 0%)", "answered “don't know” (counts as 0%)"
            )
        else:
            why = _both(
                f"{fmt_percent(percent, 'pl')} < {below_pl}", f"{fmt_percent(percent)} < {below_en}"
            )
        reasons.append(
            _both(
                f"Pytanie krytyczne „{question.pl}”: {why.pl} – {effect.pl}",
                f"Critical question “{question.en}”: {why.en} – {effect.en}",
            )
        )
    return tuple(reasons)
