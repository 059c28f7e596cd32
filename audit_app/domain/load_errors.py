"""Errors found while loading a questionnaire, and how their places are named."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from audit_app.domain.yaml_lines import YamlDocument, YamlPath


@dataclass(frozen=True)
class LoadError:
    """One problem in a questionnaire file. `line` is 1-based; 0 = not tied to a line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class QuestionnaireInvalid(Exception):
    """A questionnaire file has errors; `errors` lists all of them, ordered by line."""

    def __init__(self, errors: list[LoadError]) -> None:
        self.errors = list(errors)
        count = len(self.errors)
        header = f"{count} problem{'s' if count != 1 else ''} in the questionnaire"
        super().__init__("\n".join([header, *(str(e) for e in self.errors)]))


# Lists whose items are named in messages, and how.
_NAMED_LISTS = {
    "sections": "section",
    "questions": "question",
    "respondent_roles": "role",
    "levels": "level",
    "recommendations": "recommendation",
    "options": "option",
    "bands": "band",
    "targets": "target",
}
# Ids unique in the whole file: naming them is enough, no need for the section.
_GLOBAL_IDS = {"question", "recommendation"}


def _item_label(kind: str, item: Any, index: int) -> str:
    if isinstance(item, dict):
        if kind == "option":
            value = item.get("value")
            if isinstance(value, str | int) and not isinstance(value, bool):
                return f"option '{value}'"
        elif kind == "target":
            org = item.get("organisation_type")
            if isinstance(org, str):
                return f"target '{org}'"
        elif kind != "band":
            ident = item.get("id")
            if isinstance(ident, str) and ident:
                return f"{kind} '{ident}'"
    return f"{kind} #{index + 1}"


def describe(data: Any, path: YamlPath) -> str:
    """A readable name for the place `path` in `data`, e.g. "question 'q03', text.en"."""
    parts: list[str] = []
    plain = False  # whether parts[-1] is a chain of plain keys
    node: Any = data
    i = 0
    while i < len(path):
        key = path[i]
        child: Any = None
        if isinstance(node, dict) and isinstance(key, str):
            child = node.get(key)
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            child = node[key]
        nxt = path[i + 1] if i + 1 < len(path) else None
        if isinstance(key, str) and key in _NAMED_LISTS and isinstance(nxt, int):
            kind = _NAMED_LISTS[key]
            item = child[nxt] if isinstance(child, list) and 0 <= nxt < len(child) else None
            label = _item_label(kind, item, nxt)
            if kind in _GLOBAL_IDS and label.startswith(f"{kind} '"):
                parts = [label]
            else:
                parts.append(label)
            plain = False
            node = item
            i += 2
            continue
        if key == "scales" and i == 0 and isinstance(nxt, str):
            parts.append(f"scale '{nxt}'")
            plain = False
            node = child.get(nxt) if isinstance(child, dict) else None
            i += 2
            continue
        text = f"[{key}]" if isinstance(key, int) else str(key)
        if plain:
            parts[-1] += text if isinstance(key, int) else f".{text}"
        else:
            parts.append(text)
            plain = True
        node = child
        i += 1
    return ", ".join(parts) if parts else "top level"


def did_you_mean(word: str, choices: list[str]) -> str:
    match = get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


class Reporter:
    """Collects errors for one file, naming the place and line of each."""

    def __init__(self, source: str, doc: YamlDocument) -> None:
        self.source = source
        self.doc = doc
        self.errors: list[LoadError] = []
        self._seen: set[tuple[int, str]] = set()

    def line(self, path: YamlPath) -> int:
        return self.doc.line(path)

    def add(self, path: YamlPath, message: str, *, line: int | None = None) -> None:
        where = describe(self.doc.data, path)
        full = f"{where}: {message}"
        at = self.line(path) if line is None else line
        if (at, full) not in self._seen:
            self._seen.add((at, full))
            self.errors.append(LoadError(self.source, at, full))

    def sorted_errors(self) -> list[LoadError]:
        return sorted(self.errors, key=lambda e: e.line)
