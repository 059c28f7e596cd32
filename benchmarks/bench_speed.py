"""Start-up: `create_app()` and a whole `audit-app audits list` process, next to
importing the libraries the app is built on in a bare interpreter.

    .venv/bin/python benchmarks/bench_speed.py [--rounds 9]      (or: make bench)

Every case is a new process (the way gunicorn's master, a worker without --preload, a
cron job or a person at the command line pays it), on a migrated temporary SQLite
database, with the project's bytecode compiled (as an installed package has it).
The figure is the CPU time (user + system) of the child process, from `getrusage`: on
a shared machine it is steadier than the wall clock. Rounds alternate the cases; the
ratio is the median of the paired ratios within a round.

* bare: `import flask, flask_sqlalchemy, flask_babel, flask_login, flask_wtf,
  flask_migrate, flask_limiter, yaml, jsonschema` (what any app of this kind imports);
* create_app: CPU of the `create_app()` call itself, in a process that has imported
  those libraries first (the app's own start-up: its modules, models, blueprints,
  reading the questionnaires);
* audits list: `audit-app audits list`, the whole process.

The rows of issue 19's table go to `_goals.record` (printed together by `make bench`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _goals import record  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LIBRARIES = (
    "flask, flask_sqlalchemy, flask_babel, flask_login, flask_wtf, flask_migrate, "
    "flask_limiter, yaml, jsonschema"
)
BARE = f"import {LIBRARIES}"
CREATE_APP = f"""
import json, time
from pathlib import Path
import {LIBRARIES}
started = time.process_time()
import audit_app.models
models = time.process_time() - started
from audit_app import create_app
app = create_app()
total = time.process_time() - started
from audit_app.domain import loader
loader._parsed.clear()  # read the questionnaires again, uncached, to time that part
again = time.process_time()
loader.load_folders([Path(app.config["SHIPPED_QUESTIONNAIRES_DIR"])])
questionnaires = time.process_time() - again
print(json.dumps({{"total": total, "models": models, "questionnaires": questionnaires}}))
"""


def child_cpu(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    """(CPU seconds of the child process, its standard output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(  # noqa: S603 - our own interpreter and scripts
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{command} failed:\n{done.stderr}")
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return used, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-speed-"))
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        PYTHONPATH=str(ROOT),
        DATABASE_URL=f"sqlite:///{workdir / 'speed.sqlite'}",
        SECRET_KEY="bench-" + "x" * 32,
        FLASK_APP="audit_app",
    )
    python = str(sys.executable)
    cli = str(BIN / "audit-app")
    subprocess.run(  # noqa: S603 - compile once, as an installed package is
        [python, "-m", "compileall", "-q", str(ROOT / "audit_app")], env=env, check=True
    )
    child_cpu([cli, "db", "upgrade"], env)
    child_cpu([cli, "audits", "list"], env)  # warm the file cache

    bare: list[float] = []
    listing: list[float] = []
    create: list[float] = []
    models: list[float] = []
    questionnaires: list[float] = []
    for _ in range(args.rounds):
        bare.append(child_cpu([python, "-c", BARE], env)[0])
        listing.append(child_cpu([cli, "audits", "list"], env)[0])
        parts = json.loads(child_cpu([python, "-c", CREATE_APP], env)[1].strip())
        create.append(parts["total"])
        models.append(parts["models"])
        questionnaires.append(parts["questionnaires"])
    ratio = statistics.median(a / b for a, b in zip(listing, bare, strict=True))
    create_s = statistics.median(create)
    models_s, questionnaires_s = statistics.median(models), statistics.median(questionnaires)
    rest_s = create_s - models_s - questionnaires_s
    print(f"# Start-up ({args.rounds} rounds, medians of CPU seconds of each new process)")
    print()
    print("| case | CPU s | vs bare imports |")
    print("|---|---|---|")
    print(f"| bare: import {LIBRARIES} | {statistics.median(bare):.3f} | 1.00x |")
    print(f"| create_app() after those imports | {create_s:.3f} | |")
    print(f"| `audit-app audits list`, whole process | {statistics.median(listing):.3f} "
          f"| {ratio:.2f}x |")  # fmt: skip
    print(f"- of create_app(): mapping the SQLAlchemy models {models_s:.3f} s, reading the "
          f"questionnaires {questionnaires_s:.3f} s, the rest (the app's modules, "
          f"extensions, URL rules) {rest_s:.3f} s")  # fmt: skip
    print(f"- load average at the end: {os.getloadavg()[0]:.1f}")
    in_the_way = (
        f"models {models_s:.2f} s, questionnaires {questionnaires_s:.2f} s, "
        f"modules and URL rules {rest_s:.2f} s"
    )
    record("`create_app()` (CPU, after importing its libraries)", f"{create_s:.2f} s",
           "<= 0.4 s", create_s <= 0.4, in_the_way)  # fmt: skip
    record("`audit-app audits list` vs the bare imports (CPU)", f"{ratio:.2f}x", "<= 1.5x",
           ratio <= 1.5, f"bare {statistics.median(bare):.2f} s + create_app() "
           f"{create_s:.2f} s + the command")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    sys.exit(main())
