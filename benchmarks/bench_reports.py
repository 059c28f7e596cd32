"""Time to render each report design, next to WeasyPrint alone on the same HTML.

    .venv/bin/python benchmarks/bench_reports.py [--repeat 7]      (or: make bench)

For two realistic organisations in a temporary SQLite database:

* library: the library questionnaire (15 questions), 3 submitted audits;
* general: the crm-readiness questionnaire with all 38 questions answered, the
  current audit and 3 earlier ones (with notes, evidence and agreed actions);

and for each design (full, brief, progress) it measures, in one long-lived process
after a warm-up render:

* ours: the whole report as the app makes it: context from the database, charts,
  Jinja HTML, WeasyPrint with the cached fonts and stylesheets;
* weasy: WeasyPrint alone on the finished HTML of that same render, with the same
  cached font configuration and parsed stylesheets, writing the same tagged PDF/UA-1;
* tagging: the extra CPU WeasyPrint spends writing that HTML tagged rather than untagged
  (the price of an accessible PDF, paid inside WeasyPrint);
* fresh: WeasyPrint on the same HTML with a new FontConfiguration and stylesheets
  parsed again (what rendering costs without the per-process caches).

Ours and weasy alternate within each repetition (and swap order every other one);
the ratio is the median of the paired ratios ours/weasy, so it is the cost of our own
work on top of WeasyPrint. Wall-clock and CPU time of the process are both given: on
a shared machine the CPU ratio is the steadier one. "Own work" is the part of each
"ours" render outside WeasyPrint's call (context from the database, charts, Jinja),
timed inside the same render: it does not depend on the noise between two renders.
The first render of each design in the process is reported separately (cold).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _goals import record  # noqa: E402


def machine() -> list[str]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    harfbuzz_subset = any(
        Path(p, "libharfbuzz-subset.so.0").exists()
        for p in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib", "/lib")
    )
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores visible; RAM {memory}",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}, WeasyPrint {version('weasyprint')}, "
        f"pydyf {version('pydyf')}, libharfbuzz-subset: {'yes' if harfbuzz_subset else 'no'}",
    ]


def timed(func: Callable[..., Any], *args: Any) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process, func(*args)); garbage from the
    previous measurement is collected first so that it is not charged to this one."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    value = func(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=9, help="timed repetitions per case")
    args = parser.parse_args()

    started = time.perf_counter()
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import path2url

    import_seconds = time.perf_counter() - started

    from flask_migrate import upgrade

    from audit_app import create_app
    from audit_app.extensions import db
    from audit_app.reporting.pdf import renderer
    from audit_app.services.questionnaires import catalogue
    from audit_app.services.report_archive import render_audit
    from tests.support.sample import sample_history

    workdir = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite'}",
            "SECRET_KEY": "benchmark",
            "TESTING": True,
        }
    )
    app.logger.disabled = True
    rows: list[str] = []
    cpu_ratios: list[float] = []
    with app.app_context():
        upgrade()
        cases = {
            "library": sample_history(catalogue().get("library-crm-audit"), audits=3, seed=11),
            "general": sample_history(
                catalogue().get("crm-readiness"),
                organisation_name="Żabka Consulting sp. z o.o.",
                organisation_type="company",
                audits=4,
                seed=12,
            ),
        }
        db.session.commit()
        engine = renderer(app.config["REPORTS_DIR"])

        def fresh(design_id: str, html: str) -> bytes:
            design = engine.design(design_id)
            config = FontConfiguration()
            fetcher = engine.fetcher()
            sheets = [
                CSS(filename=str(p), url_fetcher=fetcher, font_config=config)
                for p in design.stylesheets
            ]
            folder = engine.root / design.template.split("/", 1)[0]
            return bytes(
                HTML(
                    string=html, base_url=path2url(str(folder)) + "/", url_fetcher=fetcher
                ).write_pdf(stylesheets=sheets, font_config=config)
            )

        for case, history in cases.items():
            audit = history.current
            answered = sum(1 for a in audit.answers if a.value is not None)
            for design in ("full", "brief", "progress"):
                cold, _cpu, (_context, first) = timed(render_audit, audit, design, "pl")
                ours: list[float] = []
                alone: list[float] = []
                ours_cpu: list[float] = []
                alone_cpu: list[float] = []
                uncached: list[float] = []
                own: list[float] = []
                tagging: list[float] = []
                html = first.html

                def untagged(html: str, design: str = design) -> tuple[float, float, Any]:
                    return timed(lambda: engine.html_to_pdf(design, html, tagged=False))

                for rep in range(args.repeat):
                    # Alternate the order so that drift on a busy machine cancels out.
                    if rep % 2:
                        a_wall, a_cpu, _pdf = timed(engine.html_to_pdf, design, html)
                    o_wall, o_cpu, (_context, rendered) = timed(render_audit, audit, design, "pl")
                    html = rendered.html
                    # Our own part of this render: everything but WeasyPrint's call.
                    own.append(o_wall - rendered.timings["pdf"])
                    if not rep % 2:
                        a_wall, a_cpu, _pdf = timed(engine.html_to_pdf, design, html)
                    _u_wall, u_cpu, _pdf = untagged(html)
                    tagging.append(a_cpu / u_cpu - 1)
                    ours.append(o_wall)
                    alone.append(a_wall)
                    ours_cpu.append(o_cpu)
                    alone_cpu.append(a_cpu)
                # Without the caches, measured apart so it does not disturb the pairs.
                for _ in range(max(3, args.repeat // 2)):
                    f_wall, _f_cpu, _pdf = timed(fresh, design, html)
                    uncached.append(f_wall)
                wall_ratio = statistics.median(o / a for o, a in zip(ours, alone, strict=True))
                cpu_ratio = statistics.median(
                    o / a for o, a in zip(ours_cpu, alone_cpu, strict=True)
                )
                rows.append(
                    f"| {case} ({answered} answers, {len(history.audits)} audits) | {design} "
                    f"| {first.pages} | {len(first.pdf) // 1024} KB | {cold:.2f} "
                    f"| {statistics.median(ours):.3f} | {statistics.median(alone):.3f} "
                    f"| {wall_ratio:.3f} "
                    f"| {statistics.median(ours_cpu):.3f} | {statistics.median(alone_cpu):.3f} "
                    f"| **{cpu_ratio:.3f}** | {statistics.median(own) * 1000:.0f} ms "
                    f"({statistics.median(own) / statistics.median(alone):.1%}) "
                    f"| {statistics.median(tagging):+.1%} "
                    f"| {statistics.median(uncached):.3f} |"
                )
                print(rows[-1], file=sys.stderr, flush=True)
                cpu_ratios.append(cpu_ratio)

    print("Machine:")
    print("\n".join(machine()))
    print(f"- `import weasyprint` in this process: {import_seconds:.2f} s")
    print(f"- repetitions per case: {args.repeat} (medians; ratio = median of paired ratios)")
    print(f"- load average at the end: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print()
    print(
        "| audit | design | pages | PDF | cold s | ours s | alone s | ratio (wall) "
        "| ours CPU s | alone CPU s | ratio (CPU) | own work (of alone) | tagging (CPU) "
        "| fresh fonts+CSS s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    worst = max(cpu_ratios)
    record("PDF, every design, vs WeasyPrint alone on the same HTML (CPU)",
           f"{min(cpu_ratios):.2f}-{worst:.2f}x", "<= 1.2x, kept", worst <= 1.2,
           f"{args.repeat} repetitions per design")  # fmt: skip


if __name__ == "__main__":
    main()
