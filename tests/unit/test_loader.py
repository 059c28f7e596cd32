"""Tests of the questionnaire loader: YAML -> Questionnaire, and every error it reports."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from audit_app.domain.loader import (
    MAX_QUESTIONNAIRE_BYTES,
    LoadError,
    LoadReport,
    QuestionnaireInvalid,
    load_directory,
    load_folders,
    load_questionnaire,
    load_questionnaire_bytes,
    load_questionnaire_text,
    schema_path,
)
from audit_app.domain.questionnaire import (
    Band,
    Condition,
    Option,
    Recommendation,
    TargetProfile,
    Text,
    VerdictRule,
)

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "example-questionnaire.yaml"
GUIDE = ROOT / "docs" / "questionnaire-format.md"


def errors_of(text: str, source: str = "test.yaml") -> list[LoadError]:
    with pytest.raises(QuestionnaireInvalid) as caught:
        load_questionnaire_text(text, source)
    return caught.value.errors


def base() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((FIXTURES / "valid.yaml").read_text(encoding="utf-8"))
    return data


def dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def only_error(data: dict[str, Any], fragment: str, on_line_with: str | None = None) -> LoadError:
    """Load `data`; exactly one error is expected, containing `fragment`.

    `on_line_with`: text that the error's line must contain in the dumped YAML.
    """
    text = dump(data)
    errors = errors_of(text)
    assert len(errors) == 1, "\n".join(map(str, errors))
    error = errors[0]
    assert fragment in error.message, error.message
    if on_line_with is not None:
        assert on_line_with in text.splitlines()[error.line - 1], (error, text)
    return error


def question(data: dict[str, Any], qid: str) -> dict[str, Any]:
    for section in data["sections"]:
        for q in section["questions"]:
            if q["id"] == qid:
                found: dict[str, Any] = q
                return found
    raise KeyError(qid)


# -- valid files ------------------------------------------------------------------


def test_valid_file_loads_into_the_right_objects() -> None:
    path = FIXTURES / "valid.yaml"
    q = load_questionnaire(path)

    assert (q.id, q.version) == ("test-audit", "2.1")
    assert q.title == Text(pl="Audyt testowy", en="Test audit")
    assert q.organisation_types == ("company", "ngo")
    assert [(r.id, r.label.en) for r in q.roles] == [("boss", "Boss")]
    assert q.source_path == str(path)

    agree = q.scales["agree"]
    assert agree.options == (
        Option(value="0", score=0.0, label=Text("Nie", "No")),
        Option(value="yes", score=3.0, label=Text("Tak", "Yes"), anchor=Text("Zawsze", "Always")),
    )
    assert (agree.dont_know, agree.not_applicable) == (True, False)

    assert [(lv.id, lv.min) for lv in q.levels] == [("start", 0.0), ("good", 50.5)]
    assert q.levels[0].description == Text("Początek", "Beginning")
    assert q.verdict == VerdictRule(ready_min_overall=70.0, critical_cap="not_ready")
    assert q.targets == (TargetProfile("company", 65.0, {"s1": 50.0}),)

    s1, s2 = q.sections
    assert (s1.id, s1.weight, s1.description) == (
        "s1",
        2.5,
        Text("Opis sekcji", "Section description"),
    )
    assert s1.recommendations == (
        Recommendation(
            id="rs1",
            below=40.0,
            text=Text("Popraw sekcję", "Improve the section"),
            impact="medium",
            effort="high",
            horizon=Text("Kwartał", "A quarter"),
        ),
    )
    assert s2.weight == 1.0 and s2.description is None

    q1, q2, q3, q4, q5 = q.questions
    assert q1.type == "scale" and q1.scale is agree
    assert q1.text == Text("Pytanie 1", "Question 1")  # surrounding spaces are trimmed
    assert (q1.weight, q1.critical, q1.dont_know, q1.not_applicable) == (3.0, True, False, False)
    assert q1.help == Text("Pomoc", "Help") and q1.evidence == Text("Dowód", "Evidence")
    assert q1.line == 39
    assert q1.points_for_full_score == 3.0

    assert q2.type == "single" and [o.value for o in q2.options] == ["a", "b"]
    assert q2.show_if == Condition(question="q1", equals=("yes", "0"))
    assert q2.requires == "q1"
    assert (q2.dont_know, q2.not_applicable) == (True, True)
    assert [r.id for r in q2.recommendations] == ["r2"]

    assert q3.type == "multiple" and q3.max_score == 2.0 and not q3.not_applicable
    assert [o.value for o in q3.options] == ["1", "2", "3"]  # integers become text
    assert q3.show_if == Condition(question="q2", min_score=50.0)

    assert q4.bands == (
        Band(min=None, max=10.0, score=0.0, label=Text("Mało", "Few")),
        Band(min=10.0, max=None, score=5.0, label=Text("Dużo", "Many")),
    )
    assert q4.unit == Text("szt.", "pcs")
    assert q5.type == "text" and not q5.scored

    assert q.section_of("q4") is s2
    assert q.target_for("company") is q.targets[0]


def test_documented_example_loads() -> None:
    q = load_questionnaire(EXAMPLE)
    assert q.id == "example-library-crm"
    types = {question.type for question in q.questions}
    assert types == {"scale", "single", "multiple", "number", "text"}


def test_guide_contains_the_example_verbatim() -> None:
    example = EXAMPLE.read_text(encoding="utf-8")
    assert example in GUIDE.read_text(encoding="utf-8")


def test_schema_file_is_a_valid_2020_12_schema_and_forbids_unknown_keys() -> None:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"

    def objects(node: Any) -> list[dict[str, Any]]:
        found = []
        if isinstance(node, dict):
            if node.get("type") == "object":
                found.append(node)
            for child in node.values():
                found.extend(objects(child))
        return found

    for obj in objects(schema):
        assert "additionalProperties" in obj, obj.get("description")
        if "properties" in obj:
            assert obj["additionalProperties"] is False
            for name, prop in obj["properties"].items():
                assert "description" in prop or "$ref" in prop, name


def test_bytes_and_text_loading_and_hash() -> None:
    data = (FIXTURES / "valid.yaml").read_bytes()
    from_bytes = load_questionnaire_bytes(data, "upload.yaml")
    from_text = load_questionnaire_text(data.decode("utf-8"), "upload.yaml")
    assert from_bytes == from_text
    assert from_bytes.source_path == "upload.yaml"
    assert re.fullmatch(r"[0-9a-f]{64}", from_bytes.content_hash)


def test_hash_changes_when_content_changes(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    shutil.copy(FIXTURES / "valid.yaml", path)
    first = load_questionnaire(path).content_hash
    assert load_questionnaire(path).content_hash == first
    path.write_text(path.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert load_questionnaire(path).content_hash != first


# -- a file with many mistakes ------------------------------------------------------

BROKEN_EXPECTED = [
    (2, "id: 'Broken Audit' is not a valid questionnaire id"),
    (3, 'version: must be text, not the number 1; put it in quotes so it is read as text: "1.0"'),
    (4, "title: missing 'en' translation; add 'en: ...' with the English text"),
    (5, "description.en: missing 'en' translation (the text is empty)"),
    (6, "organisation_types[1]: 'school' is not allowed; use one of: library, company, public"),
    (10, "scale 'agree', option #1, value: must be text or a whole number, not true"),
    (12, "duplicate option value '2' (already used at line 11)"),
    (14, "level 'low', min: the first level must start at 0, not 10"),
    (15, "levels must go up: min 5 is not above the previous level's min 10"),
    (18, "conditional_min_overall (70) is higher than ready_min_overall (50)"),
    (19, "critical_cap: 'never' is not allowed; use one of: conditional, not_ready"),
    (23, "unknown section 'people'; use one of the section ids: basics"),
    (25, "section 'basics': missing required key 'title'"),
    (26, "unknown key 'titel' (did you mean 'title'?); allowed keys here are: id, title,"),
    (27, "section 'basics', weight: must be greater than 0, but it is 0"),
    (33, "question 'q1', critical: a critical question must always be answered"),
    (34, "refers to 'q2', a later question (line 35); show_if may only refer to an earlier"),
    (35, "question 'q2': a 'single' question needs 'options'"),
    (38, "'requires' goes round in a circle: q2 -> q3 -> q2"),
    (45, "this band starts at 5 but the band before ends at 10"),
    (46, "gap between 20 and 30"),
    (47, "duplicate question id 'q1' (already used at line 29)"),
    (50, "question 'q1', options: the list is empty"),
    (50, "'options' is not used by 'text' questions"),
    (51, "text questions are never scored, so they cannot have recommendations"),
    (52, "recommendation 'r1', impact: 'huge' is not allowed; use one of: low, medium, high"),
]


def test_broken_file_reports_every_mistake_with_file_and_line() -> None:
    path = FIXTURES / "broken.yaml"
    with pytest.raises(QuestionnaireInvalid) as caught:
        load_questionnaire(path)
    errors = caught.value.errors
    found = [(e.line, e.message) for e in errors]
    for line, fragment in BROKEN_EXPECTED:
        assert any(at == line and fragment in message for at, message in found), (
            f"line {line}: {fragment!r} not in\n" + "\n".join(map(str, errors))
        )
    assert len(errors) == len(BROKEN_EXPECTED), "\n".join(map(str, errors))
    assert all(e.path == str(path) for e in errors)
    assert [e.line for e in errors] == sorted(e.line for e in errors)
    assert str(errors[0]).startswith(f"{path}:2: id: ")
    assert str(path) in str(caught.value)


def test_yes_no_hint_quotes_the_source_text() -> None:
    data = base()
    data["scales"]["agree"]["options"][1]["value"] = True
    del question(data, "q2")["show_if"]
    text = dump(data).replace("value: true", "value: on")
    (error,) = errors_of(text)
    assert "YAML reads unquoted yes/no/true/false/on/off as true/false" in error.message
    assert 'put the value in quotes: "on"' in error.message


def test_syntax_error_becomes_a_load_error_with_its_line() -> None:
    path = FIXTURES / "syntax_error.yaml"
    with pytest.raises(QuestionnaireInvalid) as caught:
        load_questionnaire(path)
    (error,) = caught.value.errors
    assert error.path == str(path)
    assert error.line == 4  # where the unclosed quote starts
    assert error.message.startswith("YAML syntax error: ")
    assert "quotes are closed" in error.message
    assert "while scanning a quoted scalar" in error.message
    assert str(error) == f"{path}:4: {error.message}"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("schema: 1\nid: x\n\ttitle: y\n", 3, "indent with spaces, never with tabs"),
        ("a: 1\n---\nb: 2\n", 2, "keep one questionnaire per file"),
        ("", 1, "the file is empty"),
        ("- a\n- b\n", 1, "the file must hold keys such as schema, id, title and sections"),
        ("a: \x00\n", 1, "character that YAML does not allow"),
        ("[" * 3000 + "]" * 3000, 1, "nested too deeply"),
    ],
)
def test_unusable_yaml(text: str, line: int, fragment: str) -> None:
    (error,) = errors_of(text)
    assert error.line == line and fragment in error.message, error


def test_yaml_level_problems_are_reported_with_schema_problems() -> None:
    text = dump(base()).replace("schema: 1\n", "schema: 1\nschema: 1\n", 1)
    text = text.replace("weight: 3\n", "weight: .inf\n")
    messages = [(e.line, e.message) for e in errors_of(text)]
    assert messages[0] == (
        2,
        "schema: duplicate key 'schema' (already given at line 1); keep only one of them",
    )
    assert any("'.inf' is not a usable number" in m for _, m in messages)
    assert len(messages) == 2


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"schema: 1\nid: caf\xe9\n")
    with pytest.raises(QuestionnaireInvalid) as caught:
        load_questionnaire(path)
    assert [(e.line, "UTF-8" in e.message) for e in caught.value.errors] == [(2, True)]


def test_an_oversized_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    # Valid YAML (one long comment), so only the size can be the reason.
    path.write_bytes(b"schema: 1\n#" + b"x" * MAX_QUESTIONNAIRE_BYTES + b"\n")
    with pytest.raises(QuestionnaireInvalid) as caught:
        load_questionnaire(path)
    (error,) = caught.value.errors
    assert error.line == 0
    assert f"at most {MAX_QUESTIONNAIRE_BYTES // 1024} KB" in error.message


def test_missing_file_is_reported_without_line(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(QuestionnaireInvalid) as caught:
        load_questionnaire(path)
    (error,) = caught.value.errors
    assert error.line == 0 and str(error).startswith(f"{path}: cannot read the file")


# -- schema messages ------------------------------------------------------------------


def test_unknown_key_lists_allowed_keys() -> None:
    data = base()
    data["sections"][0]["titel"] = data["sections"][0].pop("title")
    errors = errors_of(dump(data))
    messages = [e.message for e in errors]
    assert messages == [
        "section 's1': missing required key 'title' (title of the section); add it",
        "section 's1', titel: unknown key 'titel' (did you mean 'title'?); allowed keys here are: "
        "id, title, description, weight, recommendations, questions",
    ]


def test_missing_translation() -> None:
    data = base()
    del question(data, "q2")["text"]["en"]
    only_error(data, "question 'q2', text: missing 'en' translation", on_line_with="text:")


def test_wrong_type_and_enum() -> None:
    data = base()
    question(data, "q1")["weight"] = "heavy"
    question(data, "q2")["type"] = "singel"
    messages = [e.message for e in errors_of(dump(data))]
    assert (
        "question 'q1', weight: must be a number, not text ('heavy'); write a number" in messages[0]
    )
    assert messages[1] == (
        "question 'q2', type: 'singel' is not allowed (did you mean 'single'?); "
        "use one of: scale, single, multiple, number, text"
    )


def test_invalid_id_and_scale_name() -> None:
    data = base()
    question(data, "q5")["id"] = "Q 5"
    data["scales"]["Bad Scale"] = data["scales"]["agree"]
    errors = errors_of(dump(data))
    assert {e.message.split(": ", 1)[1].split(";")[0] for e in errors} == {
        "'Q 5' is not a valid id",
        "'Bad Scale' is not a valid id",
    }


# -- semantic checks --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "change", "fragment"),
    [
        (
            "question",
            lambda d: d["sections"][1]["questions"][0].update(id="q1"),
            "duplicate question id 'q1'",
        ),
        ("section", lambda d: d["sections"][1].update(id="s1"), "duplicate section id 's1'"),
        (
            "option",
            lambda d: d["sections"][0]["questions"][1]["options"][1].update(value="a"),
            "duplicate option value 'a'",
        ),
        (
            "recommendation",
            lambda d: d["sections"][0]["recommendations"][0].update(id="r2"),
            "duplicate recommendation id 'r2'",
        ),
        ("level", lambda d: d["levels"][1].update(id="start"), "duplicate level id 'start'"),
        (
            "role",
            lambda d: d["respondent_roles"].append(copy.deepcopy(d["respondent_roles"][0])),
            "duplicate role id 'boss'",
        ),
    ],
)
def test_duplicate_ids(kind: str, change: Any, fragment: str) -> None:
    data = base()
    change(data)
    error = only_error(data, fragment, on_line_with="a" if kind == "option" else None)
    assert "already used at line" in error.message


def test_option_values_are_compared_after_normalising_numbers() -> None:
    data = base()
    data["scales"]["agree"]["options"][1]["value"] = "0"
    del question(data, "q2")["show_if"]
    only_error(data, "duplicate option value '0'")


def test_reserved_option_values_and_recommendation_ids() -> None:
    data = base()
    question(data, "q2")["options"][0]["value"] = "na"
    del question(data, "q3")["show_if"]
    only_error(data, "'na' is reserved for the answer \"not applicable\"", on_line_with="na")

    data = base()
    question(data, "q2")["recommendations"][0]["id"] = "facts-q2"
    only_error(data, "ids starting with 'facts-' are reserved", on_line_with="facts-q2")


def test_unknown_scale() -> None:
    data = base()
    question(data, "q1")["scale"] = "agreement"
    only_error(data, "unknown scale 'agreement'", on_line_with="scale: agreement")


@pytest.mark.parametrize(
    ("qid", "change", "fragment"),
    [
        ("q1", lambda q: q.pop("scale"), "a 'scale' question needs 'scale'"),
        ("q2", lambda q: q.pop("options"), "a 'single' question needs 'options'"),
        ("q3", lambda q: q.pop("options"), "a 'multiple' question needs 'options'"),
        ("q4", lambda q: q.pop("bands"), "a 'number' question needs 'bands'"),
        (
            "q5",
            lambda q: q.update(options=[{"value": 1, "score": 1, "label": {"pl": "a", "en": "a"}}]),
            "'options' is not used by 'text' questions",
        ),
        (
            "q5",
            lambda q: q.update(
                recommendations=[
                    {
                        "id": "rx",
                        "below": 50,
                        "impact": "low",
                        "effort": "low",
                        "text": {"pl": "a", "en": "a"},
                    }
                ]
            ),
            "text questions are never scored, so they cannot have recommendations",
        ),
        (
            "q2",
            lambda q: q.update(bands=[{"score": 1, "label": {"pl": "a", "en": "a"}}]),
            "'bands' is not used by 'single' questions",
        ),
        ("q4", lambda q: q.update(max_score=3), "'max_score' is not used by 'number' questions"),
    ],
)
def test_type_specific_requirements(qid: str, change: Any, fragment: str) -> None:
    data = base()
    change(question(data, qid))
    error = only_error(data, fragment)
    assert error.message.startswith(f"question '{qid}'")


def test_show_if_must_refer_to_an_existing_earlier_question() -> None:
    data = base()
    question(data, "q2")["show_if"]["question"] = "q9"
    only_error(data, "refers to unknown question 'q9'", on_line_with="question: q9")

    data = base()
    question(data, "q2")["show_if"] = {"question": "q4", "min_score": 10}
    only_error(data, "refers to 'q4', a later question (line ", on_line_with="question: q4")

    data = base()
    question(data, "q2")["show_if"] = {"question": "q2", "min_score": 10}
    only_error(
        data, "refers to 'q2', this question itself; show_if may only refer to an earlier question"
    )


def test_show_if_equals_must_be_options_of_the_referenced_question() -> None:
    data = base()
    question(data, "q2")["show_if"]["equals"] = ["yes", "maybe"]
    only_error(
        data, "'maybe' is not an answer of question 'q1'; use one of: 0, yes", on_line_with="maybe"
    )


def test_show_if_needs_exactly_one_condition() -> None:
    data = base()
    question(data, "q3")["show_if"]["equals"] = ["a"]
    only_error(data, "give either 'equals' or 'min_score', not both")


def test_requires_must_exist() -> None:
    data = base()
    question(data, "q2")["requires"] = "q0"
    only_error(data, "refers to unknown question 'q0'", on_line_with="requires: q0")


def test_requires_may_point_forward_but_not_in_a_cycle() -> None:
    data = base()
    question(data, "q1")["requires"] = "q3"  # forward reference is fine
    question(data, "q3")["requires"] = "q2"  # q2 -> q1 -> q3 -> q2
    error = only_error(data, "'requires' goes round in a circle: q1 -> q3 -> q2 -> q1")
    assert "remove one of these 'requires'" in error.message

    data = base()
    question(data, "q4")["requires"] = "q4"
    only_error(data, "circle: q4 -> q4")


def test_levels_start_at_zero_and_ascend() -> None:
    data = base()
    data["levels"][0]["min"] = 5
    only_error(data, "the first level must start at 0, not 5", on_line_with="min: 5")

    data = base()
    data["levels"][1]["min"] = 0
    only_error(data, "levels must go up: min 0 is not above the previous level's min 0")


@pytest.mark.parametrize(
    ("bands", "fragment"),
    [
        ([(None, 10), (5, None)], "this band starts at 5 but the band before ends at 10"),
        ([(None, 10), (12, None)], "gap between 10 and 12"),
        ([(None, 10), (10, 10), (10, None)], "min (10) must be below max (10)"),
        ([(None, 10), (None, None)], "only the first band may leave out 'min'"),
        ([(None, None), (10, None)], "only the last band may leave out 'max'"),
        ([(20, None), (None, 10)], "only the first band may leave out 'min'"),
    ],
)
def test_bands_ordered_without_overlaps_or_gaps(
    bands: list[tuple[float | None, float | None]], fragment: str
) -> None:
    data = base()
    q4 = question(data, "q4")
    q4["bands"] = []
    for index, (low, high) in enumerate(bands):
        band: dict[str, Any] = {"score": index, "label": {"pl": "p", "en": "e"}}
        if low is not None:
            band["min"] = low
        if high is not None:
            band["max"] = high
        q4["bands"].append(band)
    errors = errors_of(dump(data))
    assert any(fragment in e.message for e in errors), errors


def test_verdict_thresholds_in_order() -> None:
    data = base()
    data["verdict"]["conditional_min_overall"] = 80
    only_error(data, "conditional_min_overall (80) is higher than ready_min_overall (70)")

    data = base()
    data["verdict"] = {"ready_min_overall": 30}  # default conditional is 40
    only_error(
        data,
        "conditional_min_overall (40) is higher than ready_min_overall (30)",
        on_line_with="ready_min_overall",
    )


def test_critical_question_may_not_allow_not_applicable() -> None:
    data = base()
    data["scales"]["agree"]["not_applicable"] = True
    only_error(data, "a critical question must always be answered", on_line_with="critical: true")

    data = base()
    question(data, "q2")["critical"] = True
    only_error(data, "add 'not_applicable: false' to the question")

    data = base()
    question(data, "q2").update(critical=True, not_applicable=False)
    load_questionnaire_text(dump(data), "ok.yaml")


def test_target_sections_must_exist() -> None:
    data = base()
    data["targets"][0]["sections"]["s3"] = 40
    only_error(data, "unknown section 's3'; use one of the section ids: s1, s2", on_line_with="s3:")


def test_target_organisation_type_must_be_listed() -> None:
    data = base()
    data["targets"][0]["organisation_type"] = "library"
    only_error(data, "'library' is not listed in organisation_types (company, ngo)")


def test_every_text_needs_both_languages_non_empty() -> None:
    data = base()
    data["levels"][1]["label"]["pl"] = "   "
    question(data, "q2")["options"][0]["label"]["en"] = ""
    errors = errors_of(dump(data))
    assert [e.message for e in errors] == [
        "level 'good', label.pl: missing 'pl' translation (the text is empty); "
        "write the Polish text",
        "question 'q2', option 'a', label.en: missing 'en' translation (the text is empty); "
        "write the English text",
    ]


@pytest.mark.parametrize("where", ["section", "question"])
def test_weights_must_be_positive(where: str) -> None:
    data = base()
    target = data["sections"][0] if where == "section" else question(data, "q1")
    target["weight"] = 0 if where == "section" else -1
    only_error(data, "weight: must be greater than 0", on_line_with="weight:")


def test_options_need_a_positive_best_score() -> None:
    data = base()
    for option in question(data, "q2")["options"]:
        option["score"] = 0
    only_error(data, "no option scores more than 0 points")


# -- directories ------------------------------------------------------------------------


def test_load_directory_keeps_good_files_and_reports_bad_ones() -> None:
    directory = FIXTURES / "directory"
    report = load_directory(directory)
    assert isinstance(report, LoadReport)
    assert list(report.questionnaires) == ["test-audit"]
    # c_same_id.yml (version 9.9) has the id of a_good.yaml (2.1): the newer one is used.
    assert report.questionnaires["test-audit"].source_path == str(directory / "c_same_id.yml")
    by_file = {(Path(e.path).name, e.line) for e in report.errors}
    assert by_file == {("b_bad.yaml", 13), ("b_bad.yaml", 16)}
    (warning,) = report.warnings
    assert (Path(warning.path).name, warning.line) == ("a_good.yaml", 2)


def _questionnaire_file(folder: Path, name: str, version: str, title: str = "Test audit") -> Path:
    data = base()
    data["version"] = version
    data["title"]["en"] = title
    path = folder / name
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(data), encoding="utf-8")
    return path


def test_the_same_id_in_two_folders_the_newer_version_wins_with_a_warning(tmp_path: Path) -> None:
    shipped, extra = tmp_path / "shipped", tmp_path / "extra"
    _questionnaire_file(shipped, "test.yaml", "2.1", "Shipped")
    newer = _questionnaire_file(extra, "test.yaml", "2.10", "Newer")
    report = load_folders([shipped, extra])
    assert report.errors == []
    assert report.questionnaires["test-audit"].title.en == "Newer"
    (warning,) = report.warnings
    assert warning.path == str(shipped / "test.yaml") and warning.line == 2
    assert f"is also in {newer}; version 2.10 is used and this version 2.1 is not" in str(warning)

    older_later = load_folders([extra, shipped])  # order does not matter, the version does
    assert older_later.questionnaires["test-audit"].title.en == "Newer"
    _questionnaire_file(extra, "test.yaml", "2.1", "Same version")
    same = load_folders([shipped, extra])
    assert same.questionnaires["test-audit"].title.en == "Shipped"
    assert same.warnings[0].path == str(extra / "test.yaml")


def test_only_files_declaring_schema_are_read_as_questionnaires(tmp_path: Path) -> None:
    _questionnaire_file(tmp_path, "q.yaml", "1.0")
    (tmp_path / "answers.yaml").write_text("q01: 2\nq02: yes\n", encoding="utf-8")
    (tmp_path / "notes.yml").write_text("# schema: not a key\nnote: x\n", encoding="utf-8")
    report = load_folders([tmp_path])
    assert list(report.questionnaires) == ["test-audit"]
    assert report.errors == [] and report.warnings == []


def test_a_comma_inside_a_one_line_text_asks_for_quotes() -> None:
    text = dump(base()).replace("title:\n  pl: Audyt testowy\n  en: Test audit\n", "")
    text += "title: {pl: Tylko przez dostawcę, za opłatą, en: Test audit}\n"
    (error,) = errors_of(text)
    assert error.message == (
        "title.za opłatą: unknown key 'za opłatą': a comma inside a one-line text "
        "{pl: ..., en: ...} ends the text; put the text in quotes, "
        'e.g. {pl: "..., za opłatą", en: ...}'
    )
    assert error.line == text.count("\n")


def test_load_directory_that_does_not_exist(tmp_path: Path) -> None:
    report = load_directory(tmp_path / "missing")
    assert report.questionnaires == {} and len(report.errors) == 1


# -- fuzzing ----------------------------------------------------------------------------

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
_structures = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=10) | st.integers(), children, max_size=4)
    ),
    max_leaves=30,
)


def _expect_only_questionnaire_invalid(text: str) -> None:
    try:
        load_questionnaire_text(text, "fuzz.yaml")
    except QuestionnaireInvalid as exc:
        assert exc.errors
        assert all(isinstance(e, LoadError) and e.line >= 0 for e in exc.errors)


_YAML_ISH = st.lists(
    st.sampled_from([*":-[]{}'\"\n #&*!|>%@`,?ab019.~\t", "yes", "no", "  ", "- "]), max_size=80
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.text() | _YAML_ISH)
def test_fuzz_random_text(text: str) -> None:
    _expect_only_questionnaire_invalid(text)


@settings(max_examples=300, deadline=None)
@given(_structures)
def test_fuzz_random_structures(value: Any) -> None:
    _expect_only_questionnaire_invalid(yaml.safe_dump(value))


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            found.extend(_paths(child, (*prefix, key)))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found.extend(_paths(child, (*prefix, index)))
    return found


_VALID = base()
_VALID_PATHS = [p for p in _paths(_VALID) if p]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_VALID_PATHS), _structures), min_size=1, max_size=3))
def test_fuzz_mutated_valid_questionnaire(mutations: list[tuple[tuple[Any, ...], Any]]) -> None:
    data = copy.deepcopy(_VALID)
    for path, value in mutations:
        node: Any = data
        try:
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    _expect_only_questionnaire_invalid(yaml.safe_dump(data, sort_keys=False))
