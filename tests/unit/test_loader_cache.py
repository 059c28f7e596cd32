"""Parsed questionnaires are kept by content hash: the same text is parsed once per
process, a changed text is parsed again, and an invalid one is never kept."""

from __future__ import annotations

import pytest
import yaml

from audit_app.config import Config
from audit_app.domain import yaml_lines
from audit_app.domain.loader import QuestionnaireInvalid, load_questionnaire_text

SHIPPED = (Config.SHIPPED_QUESTIONNAIRES_DIR / "crm-implementation-risk.yaml").read_text("utf-8")


def test_the_same_text_is_parsed_once_and_a_changed_text_again() -> None:
    first = load_questionnaire_text(SHIPPED, "a.yaml")
    assert load_questionnaire_text(SHIPPED, "a.yaml") is first
    changed = SHIPPED.replace("id: crm-implementation-risk", "id: changed-risk", 1)
    other = load_questionnaire_text(changed, "a.yaml")
    assert other is not first
    assert (other.id, first.id) == ("changed-risk", "crm-implementation-risk")
    assert other.content_hash != first.content_hash


def test_an_invalid_text_is_reported_every_time() -> None:
    broken = SHIPPED.replace("id: crm-implementation-risk", "id: [never closed", 1)
    for _ in range(2):
        with pytest.raises(QuestionnaireInvalid):
            load_questionnaire_text(broken, "b.yaml")


def test_libyaml_parses_and_only_plain_types_are_built() -> None:
    assert issubclass(yaml_lines.LineLoader, yaml.CSafeLoader)  # PyYAML's wheels ship it
    assert issubclass(yaml_lines.LineLoader, yaml.constructor.SafeConstructor)
