"""`audit-app questionnaires ...` and `audit-app score`: exit codes and output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit_app.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def run(monkeypatch, tmp_path):
    from audit_app.config import Config

    monkeypatch.setattr(Config, "UPLOADED_QUESTIONNAIRES_DIR", str(tmp_path / "uploads"))
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_check_shipped_questionnaires(run):
    result = run("questionnaires", "check")
    assert result.exit_code == 0, result.output
    assert "3 valid questionnaire(s), 0 error(s)." in result.output


def test_check_broken_file_reports_file_and_line(run, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "schema: 1\nid: Bad Id\nversion: '1.0.0'\ntitel: {pl: a, en: b}\n", encoding="utf-8"
    )
    result = run("questionnaires", "check", str(broken))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(str(broken))]
    assert any(f"{broken}:4:" in line and "titel" in line for line in lines), result.output
    assert any(f"{broken}:2:" in line for line in lines), result.output


def test_list_and_show(run):
    listed = run("questionnaires", "list")
    assert "library-crm-audit" in listed.output and "crm-readiness" in listed.output
    shown = run("questionnaires", "show", "library-crm-audit", "--lang", "pl")
    assert "Czy biblioteka posiada mechanizmy do rozpoznawania" in shown.output
    missing = run("questionnaires", "show", "no-such-thing")
    assert missing.exit_code == 1
    assert "no valid questionnaire with id 'no-such-thing'" in missing.output


def test_score_json_matches_the_engine(run):
    result = run(
        "score", "library-crm-audit", str(FIXTURES / "answers" / "library.yaml"), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["result"]["overall"] == pytest.approx((175 / 3 + 275) / 6)
    assert payload["result"]["verdict"] == "conditional"
    assert payload["recommendations"][0]["category"] == "quick_win"


def test_score_text_in_polish(run):
    result = run(
        "score", "crm-implementation-risk", str(FIXTURES / "answers" / "risk.yaml"), "--lang", "pl"
    )
    assert result.exit_code == 0, result.output
    assert "Wynik ogólny: 68,2%" in result.output
    assert "Rekomendacje" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("q01_identify_users: 7\n", "not one of the question's options"),
        ("nope: 2\n", "'nope' is not a question of library-crm-audit"),
        ("[1, 2]\n", "expected a mapping of question id -> answer"),
        ("q01_identify_users: [\n", "not valid YAML"),
        ("q03_user_preferences: yes\n", "quote yes/no answers"),
        ("q01_identify_users: na\n", "'na' (not applicable) is not allowed"),
    ],
)
def test_malformed_answers_file_gives_a_clear_error(run, tmp_path, content, message):
    answers = tmp_path / "answers.yaml"
    answers.write_text(content, encoding="utf-8")
    result = run("score", "library-crm-audit", str(answers))
    assert result.exit_code == 1
    assert message in result.output


def test_show_prints_band_limits_in_words_never_none(run):
    shown = run("questionnaires", "show", "crm-readiness")
    assert "[None" not in shown.output and "None)" not in shown.output
    assert "below 10: below 10% (0 pt)" in shown.output
    assert "10 to under 25:" in shown.output
    polish = run("questionnaires", "show", "crm-readiness", "--lang", "pl")
    assert "poniżej 10:" in polish.output and "od 10 do mniej niż 25:" in polish.output


def test_an_answer_to_a_hidden_question_is_warned_about(run, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("q09_phased_roadmap: 'no'\nq10_pilot_first: 'yes'\n", encoding="utf-8")
    result = run("score", "crm-readiness", str(answers), "--format", "json")
    assert result.exit_code == 0
    assert (
        f"{answers}: warning: q10_pilot_first is answered but hidden by its condition"
        in result.stderr
    )


def test_check_reads_the_extra_folders_too(run, tmp_path, monkeypatch):
    from audit_app.config import Config

    extra = tmp_path / "extra"
    extra.mkdir()
    source = (Config.SHIPPED_QUESTIONNAIRES_DIR / "crm-readiness.yaml").read_text("utf-8")
    (extra / "copy.yaml").write_text(source, encoding="utf-8")
    (extra / "answers.yaml").write_text("q01: 2\n", encoding="utf-8")
    monkeypatch.setattr(Config, "QUESTIONNAIRES_DIR", [extra])
    result = run("questionnaires", "check")
    assert result.exit_code == 0
    assert "3 valid questionnaire(s), 0 error(s)." in result.output
    assert f"warning: {extra / 'copy.yaml'}:" in result.stderr


def _alias_bomb(levels: int = 8) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    lines.append(f"q01_identify_users: *a{levels}")
    return "\n".join(lines) + "\n"


def test_answers_file_alias_bomb_is_refused_quickly_and_briefly(run, tmp_path):
    """Issue 14.5: an 8-level alias bomb took 8.9 s and 1.87 GB and printed 312 MB."""
    answers = tmp_path / "answers.yaml"
    answers.write_text(_alias_bomb(), encoding="utf-8")
    result = run("score", "library-crm-audit", str(answers))
    assert result.exit_code == 1
    assert "expands to too many values" in result.output
    assert len(result.output) < 2_000


def test_answers_file_size_is_capped(run, tmp_path):
    """Issue 14.5: a 50 MB answers file took 31 s; the cap is the questionnaires' 2 MiB."""
    answers = tmp_path / "answers.yaml"
    answers.write_text("# padding\n" * (2 * 1024 * 1024 // 10 + 1), encoding="utf-8")
    result = run("score", "library-crm-audit", str(answers))
    assert result.exit_code == 1
    assert "larger than 2048 KB" in result.output


def test_answers_file_problems_are_listed_briefly(run, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        f"q01_identify_users: {'x' * 5000}\n" + "".join(f"nope{i}: 2\n" for i in range(500)),
        encoding="utf-8",
    )
    result = run("score", "library-crm-audit", str(answers))
    assert result.exit_code == 1
    assert "... and 481 more problems" in result.output
    lines = result.output.splitlines()
    assert len(lines) == 21  # 20 problems and the remainder
    assert "q01_identify_users" in lines[0] and max(len(line) for line in lines) < 300
