"""Print issue 19's table from the rows the benchmarks of this `make bench` run recorded
(BENCH_GOALS, see _goals.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _goals import HEADER, line, read  # noqa: E402


def main() -> int:
    rows = read(Path(os.environ.get("BENCH_GOALS", "")))
    print("# Goals (issue 19: speed where people wait; issue 16: peer benchmark): this run")
    print()
    print(HEADER)
    for row in rows:
        print(line(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
