"""Keep report text within the glyphs of the report fonts.

A character missing from the @font-face fonts makes WeasyPrint search the system fonts
for it, which can take very long (Kozea/WeasyPrint#2811) or print an empty box. Text
from users (notes, names) is therefore reduced to what DejaVu Sans regular and bold
both cover; anything else becomes U+FFFD, visibly "a character we cannot print".
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
REPLACEMENT = "\ufffd"
ALWAYS = {ord("\n"), ord("\t")}


def _ranges(codepoints: set[int]) -> str:
    parts: list[str] = []
    ordered = sorted(codepoints)
    start = previous = ordered[0]
    for cp in ordered[1:] + [-1]:
        if cp == previous + 1:
            previous = cp
            continue
        parts.append(
            re.escape(chr(start)) + ("-" + re.escape(chr(previous)) if previous > start else "")
        )
        start = previous = cp
    return "".join(parts)


@lru_cache(maxsize=4)
def _unprintable(fonts_dir: str) -> re.Pattern[str] | None:
    covered: set[int] | None = None
    for name in FONT_FILES:
        path = Path(fonts_dir) / name
        if not path.is_file():
            return None
        from fontTools.ttLib import TTFont  # imported when a report is first made

        with TTFont(str(path), lazy=True) as font:
            cmap = set(font.getBestCmap())
        covered = cmap if covered is None else covered & cmap
    if not covered:
        return None
    return re.compile("[^" + _ranges(covered | ALWAYS) + "]")


def printable(value: Any, fonts_dir: Path) -> Any:
    """`value` (nested dicts/lists/strings) with characters the fonts lack replaced."""
    pattern = _unprintable(str(fonts_dir))
    if pattern is None:
        return value
    # One pass over all the text at C speed; the walk only when something must change.
    if not pattern.search(json.dumps(value, ensure_ascii=False)):
        return value
    return _clean(value, pattern)


def _clean(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(REPLACEMENT, value) if pattern.search(value) else value
    if isinstance(value, dict):
        return {k: _clean(v, pattern) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v, pattern) for v in value]
    return value
