"""The published JSON Schema is as strict as a schema can be: every invalid example in
the guide's list of messages (docs/questionnaire-format.md, section 8) that a schema
can express is rejected by the schema alone, so an editor flags what the tool rejects."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from audit_app.domain.loader import QuestionnaireInvalid, load_questionnaire_text, schema_path

ROOT = Path(__file__).parents[2]
GUIDE = ROOT / "docs" / "questionnaire-format.md"
EXAMPLE = ROOT / "docs" / "examples" / "example-questionnaire.yaml"
Data = dict[str, Any]


def guide_rows() -> list[str]:
    """The first message of each row of the tables in sections 8.2 and 8.3."""
    text = GUIDE.read_text(encoding="utf-8")
    part = text[text.index("### 8.2") : text.index("## 9.")]
    return [m.group(1) for m in re.finditer(r"^\| `([^`]+)`", part, re.MULTILINE)]


def q(data: Data, qid: str) -> Data:
    found: Data = next(x for s in data["sections"] for x in s["questions"] if x["id"] == qid)
    return found


def setting(*path: Any, value: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        node = data
        for key in path[:-1]:
            node = q(node, key[2:]) if isinstance(key, str) and key.startswith("q:") else node[key]
        node[path[-1]] = value

    return change


def removing(*path: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        node = data
        for key in path[:-1]:
            node = q(node, key[2:]) if isinstance(key, str) and key.startswith("q:") else node[key]
        del node[path[-1]]

    return change


def both(*changes: Callable[[Data], None]) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        for one in changes:
            one(data)

    return change


def zero_scores(*path: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        node = data
        for key in path:
            node = q(node, key[2:]) if isinstance(key, str) and key.startswith("q:") else node[key]
        for item in node:
            item["score"] = 0

    return change


SCALE_OPTIONS = ("scales", "maturity", "options")
# Row of the guide (its first message) -> files the schema must reject.
CAUGHT: dict[str, list[Callable[[Data], None]]] = {
    "unknown key 'titel' (did you mean 'title'?); allowed keys here are: ...": [
        setting("titel", value={"pl": "a", "en": "b"})
    ],
    "unknown key 'za opłatą': a comma inside a one-line text {pl: ..., en: ...} ends the "
    'text; put the text in quotes, e.g. {pl: "..., za opłatą", en: ...}': [
        setting("q:q02", "options", 0, "label", "za opłatą", value=None)
    ],
    "missing required key 'type' ...; add it": [removing("q:q01", "type")],
    "missing 'en' translation; add 'en: ...' with the English text": [removing("title", "en")],
    "missing 'pl' translation (the text is empty)": [
        setting("title", "pl", value=""),
        setting("q:q01", "text", "pl", value="   "),
    ],
    "must give the text in both languages as pl and en": [setting("title", value="Audit")],
    "must be text or a whole number, not true (a yes/no value); ... put the value in quotes: "
    '"yes"': [setting("q:q02", "options", 0, "value", value=True)],
    "must be text, not the number 1; put it in quotes ...": [setting("version", value=1.0)],
    "must be a number, not text ('heavy')": [setting("q:q01", "weight", value="heavy")],
    "'singel' is not allowed (did you mean 'single'?); use one of: ...": [
        setting("q:q02", "type", value="singel")
    ],
    "'Q 1' is not a valid id; use only lowercase letters a-z, digits, '-' and '_' ...": [
        setting("q:q01", "id", value="Q 1")
    ],
    "must be greater than 0, but it is 0": [setting("q:q01", "weight", value=0)],
    "must be at most 100, but it is 120": [setting("verdict", "ready_min_overall", value=120)],
    "the list is empty; add at least one item": [setting("q:q02", "options", value=[])],
    "must be 1, not 2": [setting("schema", value=2)],
    "'na' is reserved for the answer \"not applicable\"": [
        setting("q:q02", "options", 0, "value", value="na"),
        setting(*SCALE_OPTIONS, 0, "value", value="dont_know"),
        setting("q:q01", "recommendations", 0, "id", value="facts-q01"),
    ],
    "a 'single' question needs 'options'": [
        removing("q:q02", "options"),
        removing("q:q01", "scale"),
        removing("q:q04", "options"),
        removing("q:q06", "bands"),
    ],
    "'options' is not used by 'text' questions (only by 'single' and 'multiple' questions)": [
        lambda data: q(data, "q08").update(options=copy.deepcopy(q(data, "q02")["options"])),
        setting("q:q01", "bands", value=[{"score": 1, "label": {"pl": "a", "en": "a"}}]),
        setting("q:q02", "scale", value="maturity"),
        setting("q:q06", "max_score", value=4),
    ],
    "text questions are never scored, so they cannot have recommendations": [
        lambda data: q(data, "q08").update(recommendations=q(data, "q02")["recommendations"]),
        setting("q:q08", "critical", value=True),
    ],
    "a critical question must always be answered, but this one allows 'not applicable'": [
        setting("q:q02", "critical", value=True),
        setting("q:q01", "type", value="single"),  # q01 gets options below
    ],
    "give either 'equals' or 'min_score', not both": [
        setting("q:q03", "show_if", "min_score", value=50),
        removing("q:q03", "show_if", "equals"),
    ],
    "the first level must start at 0, not 10": [setting("levels", 0, "min", value=10)],
    "only the first band may leave out 'min'": [removing("q:q06", "bands", 1, "min")],
    "no option scores more than 0 points": [
        zero_scores("q:q02", "options"),
        zero_scores(*SCALE_OPTIONS),
        zero_scores("q:q06", "bands"),
        both(removing("q:q04", "max_score"), zero_scores("q:q04", "options")),
    ],
}
# q01 as a 'single' question keeps critical: true and needs options to be a fair test.
CAUGHT["a critical question must always be answered, but this one allows 'not applicable'"][1] = (
    both(
        setting("q:q01", "type", value="single"),
        removing("q:q01", "scale"),
        removing("q:q01", "not_applicable"),
        lambda data: q(data, "q01").update(options=copy.deepcopy(q(data, "q02")["options"])),
    )
)

# Rows a JSON Schema cannot express, and why.
NOT_EXPRESSIBLE = {
    "duplicate question id 'q1' (already used at line 29)": "uniqueness of one key among items",
    "unknown scale 'agre' (did you mean 'agree'?); defined scales are: ...": "a reference",
    "show_if.question: refers to unknown question 'q9'": "a reference",
    "show_if.question: refers to 'q7', a later question (line 80)": "order of questions",
    "'maybe' is not an answer of question 'q1'; use one of: ...": "a reference",
    "'q8' is a text question without answer options": "the type of another question",
    "requires: refers to unknown question 'q0'": "a reference",
    "'requires' goes round in a circle: q2 -> q3 -> q2": "a walk through references",
    "levels must go up: min 5 is not above the previous level's min 10": "comparing items",
    "this band starts at 5 but the band before ends at 10": "comparing items",
    "conditional_min_overall (70) is higher than ready_min_overall (50)": "comparing two values",
    "unknown section 'people'; use one of the section ids: ...": "a reference",
    "'school' is not listed in organisation_types": "a reference",
    "the questionnaire id 'x' is also in <file>; version 1.1 is used ...": "two files",
}


def example() -> Data:
    data: Data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return data


def schema_errors(data: Data) -> list[str]:
    validator = Draft202012Validator(yaml.safe_load(schema_path().read_text(encoding="utf-8")))
    return [e.message for e in validator.iter_errors(data)]


def test_every_row_of_the_guide_is_either_caught_by_the_schema_or_explained() -> None:
    assert set(guide_rows()) == set(CAUGHT) | set(NOT_EXPRESSIBLE)


def test_the_example_and_the_shipped_questionnaires_pass_the_strict_schema() -> None:
    assert schema_errors(example()) == []
    for path in (ROOT / "questionnaires").glob("*.yaml"):
        assert schema_errors(yaml.safe_load(path.read_text(encoding="utf-8"))) == [], path


@pytest.mark.parametrize(
    ("row", "index"), [(row, i) for row, changes in CAUGHT.items() for i in range(len(changes))]
)
def test_the_schema_alone_rejects_each_invalid_example(row: str, index: int) -> None:
    data = example()
    CAUGHT[row][index](data)
    assert schema_errors(data), f"the schema accepts the example of: {row}"
    # ... and the loader too, with one message per problem (not one from each check).
    with pytest.raises(QuestionnaireInvalid) as caught:
        load_questionnaire_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    messages = [e.message for e in caught.value.errors]
    assert len(messages) == len(set(messages))
