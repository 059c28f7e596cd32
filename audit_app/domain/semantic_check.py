"""Checks the JSON Schema cannot express: ids, references, orderings, thresholds.

They run on the raw YAML data even when the schema found problems, so an author
sees every mistake at once. Every access is defensive: values of the wrong type
are skipped here because the schema check has already reported them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from audit_app.domain.load_errors import Reporter, did_you_mean
from audit_app.domain.questionnaire import DONT_KNOW, LANGUAGES, NOT_APPLICABLE
from audit_app.domain.yaml_lines import YamlPath

TEXT_KEYS = frozenset(
    {"title", "description", "text", "label", "anchor", "help", "evidence", "unit", "horizon"}
)
_LANGUAGE_NAMES = {"pl": "Polish", "en": "English"}
_TYPES = ("scale", "single", "multiple", "number", "text")
# Keys that only some question types use.
_USED_BY = {
    "scale": ("scale",),
    "options": ("single", "multiple"),
    "bands": ("number",),
    "unit": ("number",),
    "max_score": ("multiple",),
}
_NEEDS = {"scale": "scale", "single": "options", "multiple": "options", "number": "bands"}
_RESERVED_VALUES = {DONT_KNOW: '"don\'t know"', NOT_APPLICABLE: '"not applicable"'}
FACTS_PREFIX = "facts-"  # ids of the automatic "establish the facts" recommendations
_VERDICT_DEFAULTS = {"ready_min_overall": 60.0, "conditional_min_overall": 40.0}


def number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def option_value(value: Any) -> str | None:
    """Option values may be written as text or whole numbers; both become text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None


def fmt(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _dicts(container: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    items = container.get(key) if isinstance(container, dict) else None
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield index, item


def _id(item: dict[str, Any]) -> str | None:
    ident = item.get("id")
    return ident if isinstance(ident, str) and ident else None


@dataclass
class _QuestionInfo:
    order: int
    path: YamlPath
    data: dict[str, Any]

    @property
    def type(self) -> str | None:
        value = self.data.get("type")
        return value if isinstance(value, str) and value in _TYPES else None


class SemanticChecker:
    def __init__(self, data: Any, reporter: Reporter) -> None:
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}
        self.report = reporter
        scales = self.data.get("scales")
        self.scales: dict[str, Any] = scales if isinstance(scales, dict) else {}
        self.questions: dict[str, _QuestionInfo] = {}  # by id, first of each id
        self.all_questions: list[_QuestionInfo] = []
        self.section_ids: list[str] = []

    def add(self, path: YamlPath, message: str) -> None:
        self.report.add(path, message)

    def run(self) -> None:
        if not self.data:
            return
        self.check_texts((), self.data)
        self.check_unique_ids(
            [(("respondent_roles", i), r) for i, r in _dicts(self.data, "respondent_roles")], "role"
        )
        for name, scale in self.scales.items():
            if isinstance(scale, dict):
                self.check_options(("scales", name, "options"), scale.get("options"), "single")
        self.check_levels()
        self.check_verdict()
        self.collect_questions()
        recommendations: dict[str, YamlPath] = {}
        for si, section in _dicts(self.data, "sections"):
            self.check_unique_ids(
                [
                    (("sections", si, "recommendations", i), r)
                    for i, r in _dicts(section, "recommendations")
                ],
                "recommendation",
                recommendations,
            )
            for qi, question in _dicts(section, "questions"):
                path: YamlPath = ("sections", si, "questions", qi)
                self.check_unique_ids(
                    [
                        ((*path, "recommendations", i), r)
                        for i, r in _dicts(question, "recommendations")
                    ],
                    "recommendation",
                    recommendations,
                )
        for info in self.all_questions:
            self.check_question(info)
        self.check_requires_cycles()
        self.check_targets()

    # -- generic -------------------------------------------------------------

    def check_texts(self, path: YamlPath, value: Any) -> None:
        if isinstance(value, dict):
            if path and path[-1] in TEXT_KEYS:
                for lang in LANGUAGES:
                    text = value.get(lang)
                    if isinstance(text, str) and not text.strip():
                        self.add(
                            (*path, lang),
                            f"missing '{lang}' translation (the text is empty); "
                            f"write the {_LANGUAGE_NAMES[lang]} text",
                        )
            for key, child in value.items():
                self.check_texts((*path, key), child)
        elif isinstance(value, list):
            for index, child in enumerate(value):
                self.check_texts((*path, index), child)

    def check_unique_ids(
        self,
        items: list[tuple[YamlPath, dict[str, Any]]],
        kind: str,
        seen: dict[str, YamlPath] | None = None,
    ) -> None:
        seen = {} if seen is None else seen
        for path, item in items:
            ident = _id(item)
            if ident is None:
                continue
            if kind == "recommendation" and ident.startswith(FACTS_PREFIX):
                self.add(
                    (*path, "id"),
                    f"ids starting with '{FACTS_PREFIX}' are reserved for the automatic "
                    '"establish the facts" recommendations; choose another id',
                )
            if ident in seen:
                first = self.report.line((*seen[ident], "id"))
                self.add(
                    (*path, "id"),
                    f"duplicate {kind} id '{ident}' (already used at line {first}); "
                    f"give each {kind} its own id",
                )
            else:
                seen[ident] = path

    def check_options(
        self, path: YamlPath, options: Any, qtype: str, max_score: Any = None
    ) -> list[str]:
        """Check an option list; return its (normalised) values."""
        if not isinstance(options, list):
            return []
        values: dict[str, int] = {}
        scores: list[float] = []
        for index, option in enumerate(options):
            if not isinstance(option, dict):
                continue
            value = option_value(option.get("value"))
            if value in _RESERVED_VALUES:
                self.add(
                    (*path, index, "value"),
                    f"'{value}' is reserved for the answer {_RESERVED_VALUES[value]}; "
                    "choose another option value",
                )
            elif value is not None:
                if value in values:
                    self.add(
                        (*path, index, "value"),
                        f"duplicate option value '{value}' (already used at line "
                        f"{self.report.line((*path, values[value], 'value'))}); "
                        "give each option its own value",
                    )
                else:
                    values[value] = index
            score = number(option.get("score"))
            if score is not None:
                scores.append(score)
        if scores and len(scores) == len(options):
            if qtype == "multiple":
                if number(max_score) is None and sum(s for s in scores if s > 0) <= 0:
                    self.add(
                        path,
                        "no option has a positive score, so nobody could reach 100 %; "
                        "give at least one option a score above 0",
                    )
            elif max(scores) <= 0:
                self.add(
                    path,
                    "no option scores more than 0 points, so nobody could reach 100 %; "
                    "give the best option a positive score (e.g. 4)",
                )
        return list(values)

    # -- top level -------------------------------------------------------------

    def check_levels(self) -> None:
        levels = list(_dicts(self.data, "levels"))
        self.check_unique_ids([(("levels", i), level) for i, level in levels], "level")
        previous: float | None = None
        for position, (index, level) in enumerate(levels):
            minimum = number(level.get("min"))
            if minimum is None:
                continue
            path: YamlPath = ("levels", index, "min")
            if position == 0 and minimum != 0:
                self.add(
                    path,
                    f"the first level must start at 0, not {fmt(minimum)}, so every score has "
                    "a level; set 'min: 0'",
                )
            if previous is not None and minimum <= previous:
                self.add(
                    path,
                    f"levels must go up: min {fmt(minimum)} is not above the previous level's "
                    f"min {fmt(previous)}; list the levels from lowest to highest, "
                    "each with a higher min",
                )
            previous = minimum

    def check_verdict(self) -> None:
        verdict = self.data.get("verdict")
        if not isinstance(verdict, dict):
            return
        values = {
            key: number(verdict.get(key, default)) for key, default in _VERDICT_DEFAULTS.items()
        }
        ready, conditional = values["ready_min_overall"], values["conditional_min_overall"]
        if ready is None or conditional is None or conditional <= ready:
            return
        key = (
            "conditional_min_overall"
            if "conditional_min_overall" in verdict
            else "ready_min_overall"
        )
        self.add(
            ("verdict", key),
            f"conditional_min_overall ({fmt(conditional)}) is higher than "
            f"ready_min_overall ({fmt(ready)}); "
            "lower conditional_min_overall or raise ready_min_overall",
        )

    def collect_questions(self) -> None:
        sections = list(_dicts(self.data, "sections"))
        self.check_unique_ids([(("sections", i), s) for i, s in sections], "section")
        self.section_ids = [ident for _, s in sections if (ident := _id(s)) is not None]
        order = 0
        for si, section in sections:
            for qi, question in _dicts(section, "questions"):
                path: YamlPath = ("sections", si, "questions", qi)
                ident = _id(question)
                order += 1
                info = _QuestionInfo(order, path, question)
                self.all_questions.append(info)
                if ident is None:
                    continue
                if ident in self.questions:
                    first = self.report.line((*self.questions[ident].path, "id"))
                    self.add(
                        (*path, "id"),
                        f"duplicate question id '{ident}' (already used at line {first}); "
                        "give each question its own id",
                    )
                    continue
                self.questions[ident] = info

    def check_targets(self) -> None:
        listed = self.data.get("organisation_types")
        org_types = [t for t in listed if isinstance(t, str)] if isinstance(listed, list) else []
        seen: dict[str, int] = {}
        for index, target in _dicts(self.data, "targets"):
            path: YamlPath = ("targets", index)
            org = target.get("organisation_type")
            if isinstance(org, str):
                if org in seen:
                    self.add(
                        (*path, "organisation_type"),
                        f"there is already a target for '{org}' "
                        f"(line {self.report.line(('targets', seen[org]))}); "
                        "keep one target per organisation type",
                    )
                else:
                    seen[org] = index
                if org_types and org not in org_types:
                    self.add(
                        (*path, "organisation_type"),
                        f"'{org}' is not listed in organisation_types ({', '.join(org_types)}); "
                        "add it there or remove this target",
                    )
            sections = target.get("sections")
            if isinstance(sections, dict):
                for section_id in sections:
                    if section_id not in self.section_ids:
                        self.add(
                            (*path, "sections", section_id),
                            f"unknown section '{section_id}'"
                            f"{did_you_mean(section_id, self.section_ids)}; "
                            f"use one of the section ids: {', '.join(self.section_ids)}",
                        )

    # -- questions -------------------------------------------------------------

    def scale_of(self, question: dict[str, Any]) -> dict[str, Any] | None:
        name = question.get("scale")
        scale = self.scales.get(name) if isinstance(name, str) else None
        return scale if isinstance(scale, dict) else None

    def allows(self, question: dict[str, Any], key: str) -> bool:
        """Whether the question offers the special answer `key` (dont_know/not_applicable)."""
        own = question.get(key)
        if isinstance(own, bool):
            return own
        scale = self.scale_of(question) if question.get("type") == "scale" else None
        inherited = scale.get(key, True) if scale is not None else True
        return inherited if isinstance(inherited, bool) else True

    def choices(self, question: dict[str, Any]) -> list[str] | None:
        """Option values of a question, or None when it has no options."""
        qtype = question.get("type")
        if qtype == "scale":
            scale = self.scale_of(question)
            options = scale.get("options") if scale is not None else None
        elif qtype in ("single", "multiple"):
            options = question.get("options")
        else:
            return None
        if not isinstance(options, list):
            return []
        values = [option_value(o.get("value")) for o in options if isinstance(o, dict)]
        return list(dict.fromkeys(v for v in values if v is not None))

    def check_question(self, info: _QuestionInfo) -> None:
        q, path, qtype = info.data, info.path, info.type
        if qtype is not None:
            self.check_type_keys(q, path, qtype)
        if "scale" in q and isinstance(q.get("scale"), str) and qtype in (None, "scale"):
            name = q["scale"]
            if name not in self.scales:
                defined = list(self.scales)
                known = (
                    f"defined scales are: {', '.join(defined)}"
                    if defined
                    else "no scales are defined"
                )
                self.add(
                    (*path, "scale"),
                    f"unknown scale '{name}'{did_you_mean(name, defined)}; {known}; "
                    "fix the name or define the scale under 'scales:'",
                )
        if qtype in ("single", "multiple"):
            self.check_options((*path, "options"), q.get("options"), qtype, q.get("max_score"))
        if qtype == "number":
            self.check_bands((*path, "bands"), q.get("bands"))
        scale_unknown = qtype == "scale" and self.scale_of(q) is None
        if (
            q.get("critical") is True
            and qtype != "text"
            and not (scale_unknown and "not_applicable" not in q)
            and self.allows(q, "not_applicable")
        ):
            self.add(
                (*path, "critical"),
                "a critical question must always be answered, but this one allows "
                "'not applicable'; add 'not_applicable: false' to the question "
                "or remove 'critical: true'",
            )
        self.check_show_if(info)
        self.check_requires(info)

    def check_type_keys(self, q: dict[str, Any], path: YamlPath, qtype: str) -> None:
        needed = _NEEDS.get(qtype)
        if needed is not None and needed not in q:
            how = {
                "scale": "add 'scale: <id>' naming one of the scales under 'scales:'",
                "options": "add 'options:' with the answer options (value, score, label)",
                "bands": "add 'bands:' with the number ranges and their scores",
            }[needed]
            self.add(path, f"a '{qtype}' question needs '{needed}'; {how}")
        for key, types in _USED_BY.items():
            if key in q and qtype not in types:
                users = " and ".join(f"'{t}'" for t in types)
                self.add(
                    (*path, key),
                    f"'{key}' is not used by '{qtype}' questions (only by {users} questions); "
                    "remove it or change the question's type",
                )
        if qtype == "text":
            if "recommendations" in q:
                self.add(
                    (*path, "recommendations"),
                    "text questions are never scored, so they cannot have "
                    "recommendations; remove them or change the question's type",
                )
            if q.get("critical") is True:
                self.add(
                    (*path, "critical"),
                    "text questions are never scored, so they cannot be critical; "
                    "remove 'critical: true'",
                )

    def check_bands(self, path: YamlPath, bands: Any) -> None:
        if not isinstance(bands, list):
            return
        previous_max: float | None = None
        last = len(bands) - 1
        scores: list[float] = []
        for index, band in enumerate(bands):
            if not isinstance(band, dict):
                previous_max = None
                continue
            where: YamlPath = (*path, index)
            low, high = number(band.get("min")), number(band.get("max"))
            score = number(band.get("score"))
            if score is not None:
                scores.append(score)
            if ("min" in band and low is None) or ("max" in band and high is None):
                previous_max = None
                continue
            if low is None and index > 0:
                self.add(
                    where,
                    "only the first band may leave out 'min'; "
                    "add 'min:' equal to the previous band's max",
                )
            if high is None and index < last:
                self.add(
                    where,
                    "only the last band may leave out 'max'; "
                    "add 'max:' equal to the next band's min",
                )
            if low is not None and high is not None and low >= high:
                self.add(
                    where,
                    f"min ({fmt(low)}) must be below max ({fmt(high)}); "
                    "a band covers min <= value < max",
                )
            elif low is not None and previous_max is not None:
                if low < previous_max:
                    self.add(
                        (*where, "min"),
                        f"this band starts at {fmt(low)} but the band before ends at "
                        f"{fmt(previous_max)}; bands must be in ascending order without "
                        f"overlaps, so start this band at {fmt(previous_max)}",
                    )
                elif low > previous_max:
                    self.add(
                        (*where, "min"),
                        f"gap between {fmt(previous_max)} and {fmt(low)}: a number in "
                        f"between would match no band; start this band at {fmt(previous_max)}",
                    )
            previous_max = high
        if scores and len(scores) == len(bands) and max(scores) <= 0:
            self.add(
                path,
                "no band scores more than 0 points, so nobody could reach 100 %; "
                "give the best band a positive score",
            )

    def check_show_if(self, info: _QuestionInfo) -> None:
        condition = info.data.get("show_if")
        if not isinstance(condition, dict):
            return
        path: YamlPath = (*info.path, "show_if")
        has_equals, has_min = "equals" in condition, "min_score" in condition
        if has_equals and has_min:
            self.add(path, "give either 'equals' or 'min_score', not both; remove one of them")
        elif not has_equals and not has_min:
            self.add(
                path,
                "say when to show the question: add 'equals: [<answer values>]' "
                "or 'min_score: <percent>'",
            )
        ref = condition.get("question")
        if not isinstance(ref, str):
            return
        target = self.questions.get(ref)
        if target is None:
            self.add(
                (*path, "question"),
                f"refers to unknown question '{ref}'{did_you_mean(ref, list(self.questions))}; "
                "use the id of an earlier question",
            )
            return
        if target.order >= info.order:
            which = (
                "this question itself"
                if target is info
                else f"a later question (line {self.report.line(target.path)})"
            )
            self.add(
                (*path, "question"),
                f"refers to '{ref}', {which}; show_if may only refer to an earlier "
                f"question, so move '{ref}' above this question or refer to another one",
            )
            return
        target_type = target.type
        if has_equals:
            allowed = self.choices(target.data)
            if allowed is None:
                if target_type is not None:
                    fix = (
                        "use 'min_score' instead"
                        if target_type == "number"
                        else "refer to a question with options"
                    )
                    self.add(
                        (*path, "equals"),
                        f"'{ref}' is a {target_type} question without answer options; {fix}",
                    )
            elif allowed:
                for special, key in ((DONT_KNOW, "dont_know"), (NOT_APPLICABLE, "not_applicable")):
                    if self.allows(target.data, key):
                        allowed.append(special)
                values = condition.get("equals")
                for index, raw in enumerate(values if isinstance(values, list) else []):
                    value = option_value(raw)
                    if value is not None and value not in allowed:
                        self.add(
                            (*path, "equals", index),
                            f"'{value}' is not an answer of question '{ref}'"
                            f"{did_you_mean(value, allowed)}; use one of: {', '.join(allowed)}",
                        )
        if has_min and target_type == "text":
            self.add(
                (*path, "min_score"),
                f"'{ref}' is a text question and has no score; 'min_score' needs a scored question",
            )

    def check_requires(self, info: _QuestionInfo) -> None:
        ref = info.data.get("requires")
        if not isinstance(ref, str):
            return
        target = self.questions.get(ref)
        if target is None:
            self.add(
                (*info.path, "requires"),
                f"refers to unknown question '{ref}'"
                f"{did_you_mean(ref, list(self.questions))}; "
                "use the id of the prerequisite question",
            )
        elif target.type == "text":
            self.add(
                (*info.path, "requires"),
                f"'{ref}' is a text question, which has no score or "
                "recommendations; name a scored prerequisite question or remove 'requires'",
            )

    def check_requires_cycles(self) -> None:
        reported: set[frozenset[str]] = set()
        for start in self.questions:
            chain: list[str] = []
            current: str | None = start
            while current is not None and current in self.questions and current not in chain:
                chain.append(current)
                nxt = self.questions[current].data.get("requires")
                current = nxt if isinstance(nxt, str) else None
            if current is None or current not in chain:
                continue
            cycle = chain[chain.index(current) :]
            if frozenset(cycle) in reported:
                continue
            reported.add(frozenset(cycle))
            first = min(cycle, key=lambda q: self.questions[q].order)
            at = cycle.index(first)
            ordered = cycle[at:] + cycle[:at]
            route = " -> ".join([*ordered, first])
            self.add(
                (*self.questions[first].path, "requires"),
                f"'requires' goes round in a circle: {route}; "
                "a question cannot require itself, directly or through others, "
                "so remove one of these 'requires'",
            )
