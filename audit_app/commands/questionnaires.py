"""`audit-app questionnaires check|list|show` and `audit-app score`: no database needed."""

from __future__ import annotations

import json
import reprlib
import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask

from audit_app.commands.result_text import result_as_text
from audit_app.config import Config
from audit_app.domain.answers import Answers, validate_answer, visible_question_ids
from audit_app.domain.load_errors import QuestionnaireInvalid
from audit_app.domain.loader import (
    MAX_QUESTIONNAIRE_BYTES,
    load_folders,
    load_questionnaire,
)
from audit_app.domain.present import PresentInput, StoredAnswer, present
from audit_app.domain.questionnaire import Band, Questionnaire
from audit_app.domain.recommendations import items_to_dicts, recommend
from audit_app.domain.scoring import result_to_dict, score, to_json
from audit_app.domain.yaml_lines import YamlSyntaxError, read_yaml
from audit_app.wording import translator

LANG = click.Choice(["pl", "en"])
ANSWER_ERRORS = {
    "wrong_type": "this kind of value does not fit the question's type",
    "unknown_option": "not one of the question's options",
    "not_a_number": "a number is expected",
    "out_of_range": "the number is outside every scored band",
    "dont_know_not_allowed": "'dont_know' is not allowed on this question",
    "na_not_allowed": "'na' (not applicable) is not allowed on this question",
}


@click.group("questionnaires")
def questionnaires_group() -> None:
    """Validate, list and show questionnaires."""


@questionnaires_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Validate questionnaire files or folders (default: the folders the app reads).

    Exit 0 when all are valid, 1 with `file:line: message` lines otherwise."""
    chosen = paths or tuple(catalogue_folders())
    report = load_folders([path for path in chosen if path.is_dir()])
    errors, warnings = report.errors, report.warnings
    valid = len(report.questionnaires)
    for path in chosen:
        if path.is_dir():
            continue
        try:
            load_questionnaire(path)
            valid += 1
        except QuestionnaireInvalid as invalid:
            errors.extend(invalid.errors)
    for error in errors:
        click.echo(str(error), err=True)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{valid} valid questionnaire(s), {len(errors)} error(s).")
    sys.exit(1 if errors else 0)


def catalogue_folders() -> list[Path]:
    """The folders the app reads: shipped, QUESTIONNAIRES_DIR, published in the browser."""
    uploads = Config.UPLOADED_QUESTIONNAIRES_DIR
    if not uploads:
        uploads = str(Path(Flask("audit_app").instance_path) / "questionnaires")
    folders = [Config.SHIPPED_QUESTIONNAIRES_DIR, *Config.QUESTIONNAIRES_DIR, Path(uploads)]
    return [folder for folder in folders if folder.is_dir()]


def _catalogue() -> dict[str, Questionnaire]:
    return load_folders(catalogue_folders()).questionnaires


def _get(questionnaire_id: str) -> Questionnaire:
    questionnaire = _catalogue().get(questionnaire_id)
    if questionnaire is None:
        raise click.ClickException(
            f"no valid questionnaire with id '{questionnaire_id}'; "
            "see `audit-app questionnaires list`"
        )
    return questionnaire


@questionnaires_group.command("list")
@click.option("--lang", type=LANG, default="en")
def list_questionnaires(lang: str) -> None:
    """Id, version, number of questions and title of each valid questionnaire."""
    for q in sorted(_catalogue().values(), key=lambda q: q.id):
        click.echo(
            f"{q.id:<28} {q.version:<8} {len(q.questions):>3} questions  {q.title.get(lang)}"
        )


@questionnaires_group.command("show")
@click.argument("questionnaire_id")
@click.option("--lang", type=LANG, default="en")
def show(questionnaire_id: str, lang: str) -> None:
    """Print a questionnaire: sections, questions and their answer options."""
    q = _get(questionnaire_id)
    click.echo(f"{q.title.get(lang)} ({q.id} {q.version}, sha256 {q.content_hash[:12]})")
    click.echo(q.description.get(lang))
    for section in q.sections:
        click.echo(f"\n## {section.title.get(lang)}  [{section.id}, weight {section.weight:g}]")
        for question in section.questions:
            flag = " *critical*" if question.critical else ""
            click.echo(f"- {question.id} ({question.type}, weight {question.weight:g}){flag}")
            click.echo(f"  {question.text.get(lang)}")
            for option in question.choices:
                click.echo(f"    {option.value}: {option.label.get(lang)} ({option.score:g} pt)")
            for band in question.bands:
                click.echo(
                    f"    {band_range(band, lang)}: {band.label.get(lang)} ({band.score:g} pt)"
                )


RANGE_WORDS = {
    "en": ("below {max}", "{min} or more", "{min} to under {max}"),
    "pl": ("poniżej {max}", "{min} lub więcej", "od {min} do mniej niż {max}"),
}


def band_range(band: Band, lang: str) -> str:
    """A band's limits in words: an open end is not printed as `None`."""
    below, at_least, between = RANGE_WORDS[lang]
    if band.min is None:
        return below.format(max=f"{band.max:g}")
    if band.max is None:
        return at_least.format(min=f"{band.min:g}")
    return between.format(min=f"{band.min:g}", max=f"{band.max:g}")


def hidden_answer_warnings(path: Path, questionnaire: Questionnaire, answers: Answers) -> list[str]:
    """Answers to questions the conditions hide: they are not scored, and the author of
    the file should know rather than see them vanish."""
    visible = visible_question_ids(questionnaire, answers)
    warnings = []
    for question_id in answers:
        question = questionnaire.question(question_id)
        if question_id in visible or question is None or question.show_if is None:
            continue
        condition = question.show_if
        warnings.append(
            f"{path}: warning: {question_id} is answered but hidden by its condition "
            f"(shown only when {condition.question} is answered accordingly); "
            "the answer is not scored"
        )
    return warnings


# An answers file is a few KB; it is read with the questionnaires' loader and limits
# (size cap, SafeLoader subclass, a budget of values so nested aliases cannot explode).
MAX_ANSWERS_BYTES = MAX_QUESTIONNAIRE_BYTES
MAX_LISTED_PROBLEMS = 20


def read_answers(path: Path, questionnaire: Questionnaire) -> tuple[dict[str, Any], str | None]:
    """Answers file: question id -> answer, or {answers: ..., organisation_type: ...}."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_ANSWERS_BYTES + 1)
        if len(raw) > MAX_ANSWERS_BYTES:
            raise click.ClickException(
                f"{path}: the file is larger than {MAX_ANSWERS_BYTES // 1024} KB; "
                "an answers file needs one line per question"
            )
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path}: cannot read the file ({error})") from error
    try:
        doc = read_yaml(text)
    except YamlSyntaxError as error:
        raise click.ClickException(
            f"{path}:{error.line}: not valid YAML ({error.message})"
        ) from None
    if doc.problems:
        raise click.ClickException(_listed([f"{path}:{p.line}: {p.message}" for p in doc.problems]))
    data = doc.data
    organisation_type = None
    if isinstance(data, dict) and isinstance(data.get("answers"), dict):
        organisation_type = data.get("organisation_type")
        data = data["answers"]
    if not isinstance(data, dict):
        raise click.ClickException(
            f"{path}: expected a mapping of question id -> answer, e.g. `q01_identify_users: 2`"
        )
    problems = []
    answers: dict[str, Any] = {}
    for key, value in data.items():
        question = questionnaire.question(str(key))
        if question is None:
            problems.append(f"{path}: '{key}' is not a question of {questionnaire.id}")
            continue
        if isinstance(value, bool):
            problems.append(f'{path}: {key}: quote yes/no answers, e.g. "yes"')
            continue
        if isinstance(value, int) and question.type in ("scale", "single"):
            value = str(value)
        if isinstance(value, list):
            value = [str(v) for v in value]
        problem = validate_answer(question, value) if value is not None else None
        if problem:
            got = reprlib.repr(value)
            problems.append(f"{path}: {key}: {ANSWER_ERRORS.get(problem, problem)} (got {got})")
            continue
        answers[str(key)] = value
    if problems:
        raise click.ClickException(_listed(problems))
    for warning in hidden_answer_warnings(path, questionnaire, answers):
        click.echo(warning, err=True)
    return answers, organisation_type


def _listed(problems: list[str]) -> str:
    shown = problems[:MAX_LISTED_PROBLEMS]
    if len(problems) > len(shown):
        shown.append(f"... and {len(problems) - len(shown)} more problems")
    return "\n".join(shown)


@click.command("score")
@click.argument("questionnaire_id")
@click.argument("answers_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "output", type=click.Choice(["json", "text"]), default="text")
@click.option("--lang", type=LANG, default="en")
@click.option("--organisation-type", default=None, help="Use this type's target profile.")
def score_command(
    questionnaire_id: str, answers_file: Path, output: str, lang: str, organisation_type: str | None
) -> None:
    """Score a file of answers and print the result with recommendations."""
    questionnaire = _get(questionnaire_id)
    answers, file_type = read_answers(answers_file, questionnaire)
    result = score(questionnaire, answers, organisation_type or file_type)
    items = recommend(questionnaire, result)
    t = translator(lang)
    model = present(
        PresentInput(questionnaire, result, {k: StoredAnswer(v) for k, v in answers.items()}), t
    )
    if output == "json":
        payload = {
            "result": result_to_dict(result),
            "recommendations": items_to_dicts(items),
            "model": to_json(model),
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(result_as_text(model, t))


@questionnaires_group.command("blank")
@click.argument("questionnaire_id")
@click.option("--format", "output", type=click.Choice(["xlsx", "pdf"]), required=True)
@click.option("--lang", type=LANG, default="pl")
@click.option(
    "-o", "--output", "target", type=click.Path(dir_okay=False, path_type=Path), required=True
)
def blank(questionnaire_id: str, output: str, lang: str, target: Path) -> None:
    """Write a blank answer workbook (xlsx, for workshops in Excel; read it back with
    `audit-app audits import-answers`) or a printable blank questionnaire (pdf)."""
    from audit_app.paper.blank_pdf import blank_pdf
    from audit_app.workbooks.blank import blank_workbook

    questionnaire = _get(questionnaire_id)
    if output == "xlsx":
        data = blank_workbook(questionnaire, lang)
    else:
        data = blank_pdf(questionnaire, lang, Config.REPORTS_DIR)
    target.write_bytes(data)
    click.echo(f"{target}: {questionnaire.id} {questionnaire.version} ({lang}, {output})")
