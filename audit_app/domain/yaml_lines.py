"""Read YAML with a `yaml.SafeLoader` subclass that remembers the line of every value.

The result is plain data (dict, list, str, int, float, bool, None) plus a map from
each value's path (a tuple of keys and list indexes) to its 1-based line: for a
mapping entry the line of its key, for a list item the line of the item. Problems
that YAML itself does not treat as errors (duplicate keys, odd tags, numbers that
cannot be used) are collected instead of being silently accepted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

PathPart = str | int
YamlPath = tuple[PathPart, ...]

MAX_DEPTH = 40  # nesting deeper than this is never a questionnaire
MAX_NODES = 200_000  # guards against alias bombs ("billion laughs")
MAX_INT = 10**15

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


@dataclass(frozen=True)
class YamlProblem:
    """Something wrong in the YAML text: the path it concerns (may be empty) and its line."""

    path: YamlPath
    line: int
    message: str


class YamlSyntaxError(Exception):
    """The text is not valid YAML at all."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class YamlDocument:
    data: Any
    lines: dict[YamlPath, int] = field(default_factory=dict)
    raw: dict[YamlPath, str] = field(default_factory=dict)  # source text of each scalar
    problems: list[YamlProblem] = field(default_factory=list)

    def line(self, path: YamlPath) -> int:
        """Line of `path`, or of its nearest ancestor that has one."""
        current = tuple(path)
        while current:
            if current in self.lines:
                return self.lines[current]
            current = current[:-1]
        return self.lines.get((), 1)


class _TooLarge(Exception):
    pass


# libyaml's parser (CSafeLoader) composes the node tree about 10x faster than the pure
# Python one; the nodes carry the same line marks, and everything below (lines, limits,
# problems, constructors) works on the nodes either way.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """A safe loader that records the line of every mapping entry and list item.

    Use `read_yaml`; scalars are still built by SafeLoader's constructors, so only
    plain YAML types ever come out (no Python objects).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.doc = YamlDocument(data=None)
        self._budget = MAX_NODES
        self._open: set[int] = set()

    def read_document(self) -> YamlDocument:
        node = self.get_single_node()
        if node is None:
            self._problem(
                (), 1, "the file is empty; start from docs/examples/example-questionnaire.yaml"
            )
            return self.doc
        self.doc.lines[()] = node.start_mark.line + 1
        try:
            self.doc.data = self._convert(node, (), 0)
        except _TooLarge:
            self.doc.data = None
            self._problem(
                (),
                1,
                "the file expands to too many values (are aliases nested?); "
                "write the content out without '*' aliases",
            )
        return self.doc

    def _problem(self, path: YamlPath, line: int, message: str) -> None:
        self.doc.problems.append(YamlProblem(path, line, message))

    def _convert(self, node: Node, path: YamlPath, depth: int) -> Any:
        self._budget -= 1
        if self._budget < 0:
            raise _TooLarge
        line = node.start_mark.line + 1
        if depth > MAX_DEPTH:
            self._problem(path, line, "the content is nested too deeply; check the indentation")
            return None
        if isinstance(node, ScalarNode):
            return self._scalar(node, path, line)
        if id(node) in self._open:
            self._problem(
                path, line, "an alias ('*') refers to the value that contains it; remove the alias"
            )
            return None
        self._open.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                self._check_tag(node, _SEQ_TAG, path, line)
                items = []
                for index, item in enumerate(node.value):
                    item_path = (*path, index)
                    self.doc.lines[item_path] = item.start_mark.line + 1
                    items.append(self._convert(item, item_path, depth + 1))
                return items
            if isinstance(node, MappingNode):
                self._check_tag(node, _MAP_TAG, path, line)
                return self._mapping(node, path, depth)
            return None  # pragma: no cover - the composer only makes the three node kinds
        finally:
            self._open.discard(id(node))

    def _check_tag(self, node: Node, expected: str, path: YamlPath, line: int) -> None:
        if node.tag != expected:
            self._problem(path, line, f"the YAML tag '{node.tag}' is not supported here; remove it")

    def _mapping(self, node: MappingNode, path: YamlPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                self._problem(
                    path,
                    key_line,
                    "a key must be a single word, not a list or mapping; "
                    "check the indentation and the ':'",
                )
                continue
            key = str(key_node.value)
            if key == "<<" and key_node.tag == "tag:yaml.org,2002:merge":
                self._problem(
                    path,
                    key_line,
                    "merge keys ('<<:') are not supported; write the keys out in full",
                )
                continue
            if key in first_line:
                self._problem(
                    (*path, key),
                    key_line,
                    f"duplicate key '{key}' (already given at line {first_line[key]}); "
                    "keep only one of them",
                )
                continue
            first_line[key] = key_line
            entry_path = (*path, key)
            self.doc.lines[entry_path] = key_line
            result[key] = self._convert(value_node, entry_path, depth + 1)
        return result

    def _scalar(self, node: ScalarNode, path: YamlPath, line: int) -> Any:
        text = str(node.value)
        self.doc.raw[path] = text
        if node.tag == _TIMESTAMP_TAG:
            return text  # dates stay text: no date field exists, and bad dates must not crash
        try:
            value = self.construct_object(node)
        except Exception:
            if not str(node.tag).startswith("tag:yaml.org,2002:"):
                self._problem(path, line, f"the YAML tag '{node.tag}' is not supported; remove it")
                return text
            self._problem(
                path,
                line,
                f"cannot read the value '{text}'; if it is meant as text, put it in quotes",
            )
            return text
        if isinstance(value, float) and not math.isfinite(value):
            self._problem(
                path, line, f"'{text}' is not a usable number; write an ordinary number such as 10"
            )
            return None
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
            self._problem(path, line, f"the number {text} is too large; use a smaller number")
            return None
        if value is None or isinstance(value, bool | int | float | str):
            return value
        return text  # e.g. !!binary: keep the source text


def read_yaml(text: str) -> YamlDocument:
    """Parse `text`; raise YamlSyntaxError when it is not YAML at all."""
    loader: LineLoader | None = None
    try:
        loader = LineLoader(text)
        return loader.read_document()
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in (exc.problem or ""):  # libyaml's own depth limit
            raise YamlSyntaxError(
                _mark_line(exc), "the content is nested too deeply; check the indentation"
            ) from None
        line = _mark_line(exc)
        raise YamlSyntaxError(line, _syntax_message(exc, _indented_with_tab(text, line))) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        raise YamlSyntaxError(
            line,
            f"the file contains a character that YAML does not allow ({exc.reason}); "
            "remove it or save the file as plain UTF-8 text",
        ) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, f"YAML error: {exc}; check the file against the example") from None
    except RecursionError:
        raise YamlSyntaxError(
            1, "the content is nested too deeply; check the indentation"
        ) from None
    finally:
        if loader is not None:
            loader.dispose()


def _mark_line(exc: yaml.MarkedYAMLError) -> int:
    mark = exc.problem_mark or exc.context_mark
    if "end of stream" in (exc.problem or "") and exc.context_mark is not None:
        mark = exc.context_mark  # e.g. an unclosed quote: point at where it was opened
    return mark.line + 1 if mark is not None else 1


def _indented_with_tab(text: str, line: int) -> bool:
    """Whether that line's indentation holds a tab (libyaml's message does not say so)."""
    lines = text.split("\n", line)
    if line > len(lines):
        return False
    content = lines[line - 1]
    return "\t" in content[: len(content) - len(content.lstrip(" \t"))]


def _syntax_message(exc: yaml.MarkedYAMLError, tab_indent: bool = False) -> str:
    problem = exc.problem or "invalid YAML"
    context = exc.context or ""
    if context:
        mark = exc.context_mark
        where = f" (line {mark.line + 1})" if mark is not None else ""
        message = f"YAML syntax error: {context}{where}, {problem}"
    else:
        message = f"YAML syntax error: {problem}"
    if "'\\t'" in problem or "tab character" in problem or tab_indent:
        hint = "indent with spaces, never with tabs"
    elif "single document" in context:
        hint = "keep one questionnaire per file and remove extra '---' lines"
    else:
        hint = "check the indentation, the ':' after each key and that quotes are closed"
    return f"{message}; {hint}"
