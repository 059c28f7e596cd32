"""Rows of issue 19's table (speed where people wait), each figure next to its goal.

Each benchmark script calls `record(...)` for the rows it measures; with BENCH_GOALS set
(`make bench` sets it to a temporary file) the rows are appended there as JSON lines
and `benchmarks/goals.py` prints them as one table at the end of the run. Without it,
each row is printed where it is measured.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

HEADER = "| what | measured | goal | met | note |\n|---|---|---|---|---|"


def line(row: dict[str, str]) -> str:
    return f"| {row['what']} | {row['measured']} | {row['goal']} | {row['met']} | {row['note']} |"


def record(what: str, measured: str, goal: str, met: bool, note: str = "") -> None:
    row = {"what": what, "measured": measured, "goal": goal, "met": "yes" if met else "NO",
           "note": note}  # fmt: skip
    target = os.environ.get("BENCH_GOALS")
    if target:
        with Path(target).open("a", encoding="utf-8") as out:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        print(f"goal: {line(row)}")


def read(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    return [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines() if text]
