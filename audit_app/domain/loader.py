"""Load questionnaire YAML files into `Questionnaire` objects.

Reading happens in three passes, each collecting every problem it finds:
1. YAML syntax, with the line of every value (`yaml_lines`),
2. structure, against `questionnaires/schema/questionnaire.schema.json` (`schema_check`),
3. meaning: ids, references, orderings, thresholds (`semantic_check`).
If any pass found a problem, `QuestionnaireInvalid` carries all of them.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit_app.domain.load_errors import LoadError, QuestionnaireInvalid, Reporter
from audit_app.domain.questionnaire import (
    Band,
    Condition,
    Level,
    Level3,
    Option,
    Question,
    Questionnaire,
    QuestionType,
    Recommendation,
    Role,
    Scale,
    Section,
    TargetProfile,
    Text,
    VerdictRule,
)
from audit_app.domain.schema_check import check_schema, questionnaire_schema, schema_path
from audit_app.domain.semantic_check import SemanticChecker, option_value
from audit_app.domain.yaml_lines import YamlDocument, YamlPath, YamlSyntaxError, read_yaml

__all__ = [
    "LoadError",
    "LoadReport",
    "QuestionnaireInvalid",
    "declares_schema",
    "load_directory",
    "load_folders",
    "load_questionnaire",
    "load_questionnaire_bytes",
    "load_questionnaire_text",
    "questionnaire_schema",
    "schema_path",
]

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadReport:
    """Result of loading folders: the good questionnaires by id, all errors, and the
    files set aside because another file has the same id."""

    questionnaires: dict[str, Questionnaire] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)
    warnings: list[LoadError] = field(default_factory=list)


def load_questionnaire(path: str | os.PathLike[str]) -> Questionnaire:
    """Load one YAML file; raise QuestionnaireInvalid listing every problem in it."""
    questionnaire, _ = _load_file(Path(path), str(path))
    return questionnaire


def load_questionnaire_text(text: str, source: str = "<text>") -> Questionnaire:
    """Load a questionnaire from YAML text; `source` names it in errors."""
    digest = hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()
    questionnaire, _ = _load_text(text, source, digest)
    return questionnaire


def load_questionnaire_bytes(data: bytes, source: str) -> Questionnaire:
    """Load a questionnaire from the bytes of a file (e.g. an upload)."""
    questionnaire, _ = _load_bytes(data, source)
    return questionnaire


def load_directory(path: str | os.PathLike[str]) -> LoadReport:
    """Load the questionnaires of one folder (see `load_folders`)."""
    return load_folders([Path(path)])


def declares_schema(data: bytes) -> bool:
    """Whether a file says it is a questionnaire: a top-level `schema:` line. Other YAML
    files in a folder (answers files, notes) are left alone."""
    return _SCHEMA_LINE.search(data) is not None


_SCHEMA_LINE = re.compile(rb"^(?:\xef\xbb\xbf)?schema[ \t]*:", re.MULTILINE)


def version_key(version: str) -> tuple[int, ...]:
    """ "1.10" sorts after "1.9"; the schema allows only digits and dots."""
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def load_folders(folders: Sequence[str | os.PathLike[str]]) -> LoadReport:
    """Load every *.yaml / *.yml file declaring `schema:` directly in each folder, folders in
    the given order and files in name order.

    A bad file never stops the others. When two files have the same id, the higher
    version is used and the other is named in a warning; with equal versions the first
    one found is kept.
    """
    report = LoadReport()
    origin: dict[str, tuple[str, YamlDocument]] = {}
    for folder in folders:
        directory = Path(folder)
        if not directory.is_dir():
            report.errors.append(LoadError(str(folder), 0, "directory not found; check the path"))
            continue
        for file in sorted(p for p in directory.iterdir() if p.suffix in YAML_SUFFIXES):
            _load_into(report, origin, file)
    return report


def _load_into(report: LoadReport, origin: dict[str, tuple[str, YamlDocument]], file: Path) -> None:
    source = str(file)
    try:
        if not file.is_file() or not declares_schema(file.read_bytes()):
            return
        questionnaire, doc = _load_file(file, source)
    except OSError:
        return  # removed while the folder was read
    except QuestionnaireInvalid as exc:
        report.errors.extend(exc.errors)
        return
    known = report.questionnaires.get(questionnaire.id)
    if known is None:
        origin[questionnaire.id] = (source, doc)
        report.questionnaires[questionnaire.id] = questionnaire
        return
    if version_key(questionnaire.version) > version_key(known.version):
        skipped, (skipped_source, skipped_doc) = known, origin[questionnaire.id]
        origin[questionnaire.id] = (source, doc)
        report.questionnaires[questionnaire.id] = questionnaire
    else:
        skipped, skipped_source, skipped_doc = questionnaire, source, doc
    used = report.questionnaires[questionnaire.id]
    report.warnings.append(
        LoadError(
            skipped_source,
            skipped_doc.line(("id",)),
            f"id: the questionnaire '{used.id}' is also in {origin[used.id][0]}; version "
            f"{used.version} is used and this version {skipped.version} is not; remove one "
            "of the files or raise the version of the one to use",
        )
    )


# -- reading -------------------------------------------------------------------


def _load_file(path: Path, source: str) -> tuple[Questionnaire, YamlDocument]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise QuestionnaireInvalid(
            [LoadError(source, 0, f"cannot read the file ({reason})")]
        ) from None
    return _load_bytes(data, source)


# The largest questionnaire we ship is 134 KB; an order of magnitude above that is a
# mistake (or an attack), not a questionnaire, and parsing it would only waste memory.
MAX_QUESTIONNAIRE_BYTES = 2 * 1024 * 1024


def _load_bytes(data: bytes, source: str) -> tuple[Questionnaire, YamlDocument]:
    if len(data) > MAX_QUESTIONNAIRE_BYTES:
        message = (
            f"the file is {len(data) // 1024} KB; a questionnaire may be at most "
            f"{MAX_QUESTIONNAIRE_BYTES // 1024} KB: split it or remove what is not needed"
        )
        raise QuestionnaireInvalid([LoadError(source, 0, message)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = "the file is not UTF-8 text; save it with the UTF-8 encoding"
        raise QuestionnaireInvalid([LoadError(source, line, message)]) from None
    return _load_text(text, source, hashlib.sha256(data).hexdigest())


# Parsed questionnaires by (content hash, source): the catalogue reloads every file of a
# folder when one of them changes, and stored versions are parsed per process; the same
# content is parsed once. Only valid questionnaires are kept (they are frozen).
_PARSED_MAX = 64
_parsed: OrderedDict[tuple[str, str], tuple[Questionnaire, YamlDocument]] = OrderedDict()
_parsed_lock = threading.Lock()


def _load_text(text: str, source: str, content_hash: str) -> tuple[Questionnaire, YamlDocument]:
    key = (content_hash, source)
    with _parsed_lock:
        found = _parsed.get(key)
        if found is not None:
            _parsed.move_to_end(key)
            return found
    parsed = _parse_text(text, source, content_hash)
    with _parsed_lock:
        _parsed[key] = parsed
        while len(_parsed) > _PARSED_MAX:
            _parsed.popitem(last=False)
    return parsed


def _parse_text(text: str, source: str, content_hash: str) -> tuple[Questionnaire, YamlDocument]:
    try:
        doc = read_yaml(text)
    except YamlSyntaxError as exc:
        raise QuestionnaireInvalid([LoadError(source, exc.line, exc.message)]) from None
    reporter = Reporter(source, doc)
    for problem in doc.problems:
        reporter.add(problem.path, problem.message, line=problem.line)
    if doc.data is not None or not doc.problems:
        check_schema(doc.data, reporter)
        SemanticChecker(doc.data, reporter).run()
    if reporter.errors:
        raise QuestionnaireInvalid(reporter.sorted_errors())
    questionnaire = _Builder(doc).questionnaire(source, content_hash)
    return questionnaire, doc


# -- building (the data is valid here) -------------------------------------------


def _text(data: Any) -> Text:
    return Text(pl=str(data["pl"]).strip(), en=str(data["en"]).strip())


def _optional_text(data: Any) -> Text | None:
    return _text(data) if data is not None else None


def _level3(value: Any) -> Level3:
    if value == "low":
        return "low"
    if value == "medium":
        return "medium"
    return "high"


def _question_type(value: Any) -> QuestionType:
    types: dict[str, QuestionType] = {
        "scale": "scale",
        "single": "single",
        "multiple": "multiple",
        "number": "number",
        "text": "text",
    }
    return types[str(value)]


def _float_or_none(value: Any) -> float | None:
    return float(value) if value is not None else None


def _option(data: dict[str, Any]) -> Option:
    return Option(
        value=option_value(data["value"]) or "",
        score=float(data["score"]),
        label=_text(data["label"]),
        anchor=_optional_text(data.get("anchor")),
    )


def _recommendation(data: dict[str, Any]) -> Recommendation:
    return Recommendation(
        id=str(data["id"]),
        below=float(data["below"]),
        text=_text(data["text"]),
        impact=_level3(data["impact"]),
        effort=_level3(data["effort"]),
        horizon=_optional_text(data.get("horizon")),
        title=_optional_text(data.get("title")),
    )


class _Builder:
    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data
        self.scales = {
            str(name): Scale(
                id=str(name),
                options=tuple(_option(o) for o in scale["options"]),
                dont_know=bool(scale.get("dont_know", True)),
                not_applicable=bool(scale.get("not_applicable", True)),
            )
            for name, scale in (self.data.get("scales") or {}).items()
        }

    def questionnaire(self, source: str, content_hash: str) -> Questionnaire:
        data = self.data
        return Questionnaire(
            id=str(data["id"]),
            version=str(data["version"]),
            title=_text(data["title"]),
            description=_text(data["description"]),
            organisation_types=tuple(str(t) for t in data["organisation_types"]),
            roles=tuple(
                Role(id=str(r["id"]), label=_text(r["label"]))
                for r in data.get("respondent_roles") or ()
            ),
            scales=self.scales,
            sections=tuple(
                self.section(s, ("sections", i)) for i, s in enumerate(data["sections"])
            ),
            levels=tuple(
                Level(
                    id=str(level["id"]),
                    min=float(level["min"]),
                    label=_text(level["label"]),
                    description=_optional_text(level.get("description")),
                )
                for level in data["levels"]
            ),
            verdict=self.verdict(data.get("verdict") or {}),
            targets=tuple(
                TargetProfile(
                    organisation_type=str(t["organisation_type"]),
                    overall=float(t["overall"]),
                    sections={str(k): float(v) for k, v in (t.get("sections") or {}).items()},
                )
                for t in data.get("targets") or ()
            ),
            source_path=source,
            content_hash=content_hash,
        )

    @staticmethod
    def verdict(data: dict[str, Any]) -> VerdictRule:
        defaults = VerdictRule()
        return VerdictRule(
            ready_min_overall=float(data.get("ready_min_overall", defaults.ready_min_overall)),
            ready_min_section=float(data.get("ready_min_section", defaults.ready_min_section)),
            conditional_min_overall=float(
                data.get("conditional_min_overall", defaults.conditional_min_overall)
            ),
            critical_below=float(data.get("critical_below", defaults.critical_below)),
            critical_cap="not_ready" if data.get("critical_cap") == "not_ready" else "conditional",
            provisional_below_coverage=float(
                data.get("provisional_below_coverage", defaults.provisional_below_coverage)
            ),
        )

    def section(self, data: dict[str, Any], path: YamlPath) -> Section:
        return Section(
            id=str(data["id"]),
            title=_text(data["title"]),
            questions=tuple(
                self.question(q, (*path, "questions", i)) for i, q in enumerate(data["questions"])
            ),
            weight=float(data.get("weight", 1.0)),
            description=_optional_text(data.get("description")),
            recommendations=tuple(_recommendation(r) for r in data.get("recommendations") or ()),
        )

    def question(self, data: dict[str, Any], path: YamlPath) -> Question:
        qtype = _question_type(data["type"])
        scale = self.scales[str(data["scale"])] if qtype == "scale" else None
        condition = data.get("show_if")
        return Question(
            id=str(data["id"]),
            type=qtype,
            text=_text(data["text"]),
            weight=float(data.get("weight", 1.0)),
            critical=bool(data.get("critical", False)),
            help=_optional_text(data.get("help")),
            evidence=_optional_text(data.get("evidence")),
            scale=scale,
            options=tuple(_option(o) for o in data.get("options") or ()),
            bands=tuple(
                Band(
                    min=_float_or_none(b.get("min")),
                    max=_float_or_none(b.get("max")),
                    score=float(b["score"]),
                    label=_text(b["label"]),
                )
                for b in data.get("bands") or ()
            ),
            unit=_optional_text(data.get("unit")),
            max_score=_float_or_none(data.get("max_score")),
            dont_know=bool(data.get("dont_know", scale.dont_know if scale else True)),
            not_applicable=bool(
                data.get("not_applicable", scale.not_applicable if scale else True)
            ),
            show_if=(
                Condition(
                    question=str(condition["question"]),
                    equals=tuple(option_value(v) or "" for v in condition.get("equals") or ()),
                    min_score=_float_or_none(condition.get("min_score")),
                )
                if condition is not None
                else None
            ),
            requires=str(data["requires"]) if data.get("requires") is not None else None,
            recommendations=tuple(_recommendation(r) for r in data.get("recommendations") or ()),
            line=self.doc.line(path),
        )
