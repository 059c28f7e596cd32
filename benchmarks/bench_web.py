"""Web pages and autosave against the bare-Flask ceiling, on the same gunicorn setup.

    .venv/bin/python benchmarks/bench_web.py [--rounds 3 --duration 10 --connections 8
        --workers 4 --organisations 10000 --audits 1000]          (or: make bench)

A temporary SQLite database (migrated, WAL as the app sets it) is filled with bulk
inserts: 10,000 organisations of one consultant, 1,000 crm-readiness audits with all
38 answers each (one organisation has a history of 20 submitted audits, the others
are spread, 70 % submitted), agreed actions, and one audit in progress to answer.

Two gunicorn servers run side by side with the same settings (4 sync workers):
the real app (`create_app()`, login rate limit off) and bare Flask (`_apps.bare_app`).
wrk (8 connections, 10 s, --latency) measures, in rounds that alternate the routes so
that the machine's background noise falls on all of them alike:

* bare "hello" and a bare page rendering a 40-field form (legend, help, 5 radios and a
  note each) from a dict with Jinja: the ceiling;
* the questionnaire page (`GET /audits/<id>`, first section) and the autosave call
  (`POST /audits/<id>/answers/<question>`, JSON, a different value each time so every
  call writes);
* the list pages at that size: organisations index (page 1, and a search), the
  dashboard, and the history of the organisation with 20 audits.

Ratios are medians of the per-round ratios (same round, same background load).
Every URL is checked first (200, not a redirect to the login page) and wrk must
report no non-2xx responses and no socket errors, or the run fails.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _goals import record  # noqa: E402
from _webtools import USER_AGENT, Gunicorn, WrkResult, machine_lines, wrk  # noqa: E402

PASSWORD = "bench-password-2026"  # noqa: S105 - throwaway account in a throwaway database
READINESS = "crm-readiness"
SCALE_QUESTIONS = [
    "q01_customer_vision",
    "q04_multi_year_budget",
    "q05_measurable_objectives",
    "q06_segmentation",
    "q07_relationship_economics",
    "q08_strategy_communicated",
]
WORDS = ["Biblioteka", "Fundacja", "Spółdzielnia", "Stowarzyszenie", "Urząd", "Centrum",
         "Ośrodek", "Muzeum", "Szkoła", "Przychodnia", "Teatr", "Dom Kultury"]  # fmt: skip
PLACES = ["Łódź", "Kraków", "Gdańsk", "Poznań", "Wrocław", "Lublin", "Białystok", "Toruń",
          "Rzeszów", "Opole", "Kielce", "Olsztyn", "Zielona Góra", "Żywiec"]  # fmt: skip
TYPES = ["library", "company", "public", "ngo", "other"]


@dataclass
class Data:
    url: str
    email: str
    answer_audit: int
    history_organisation: int
    counts: dict[str, int] = field(default_factory=dict)


def build(path: Path, organisations: int, audits: int, history: int, secret: str) -> Data:
    from flask_migrate import upgrade
    from sqlalchemy import func, insert, select

    from audit_app import create_app
    from audit_app.domain.scoring import result_to_dict, score
    from audit_app.extensions import db
    from audit_app.models import Action, Answer, Audit, AuditSectionScore, Organisation, User
    from audit_app.models.organisations import search_key_of
    from audit_app.services.accounts import hash_password
    from audit_app.services.questionnaires import catalogue, store_version
    from tests.support.sample import every_answer

    url = f"sqlite:///{path}"
    rng = random.Random(2026)  # noqa: S311 - test data
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret})
    now = datetime.now(UTC)
    with app.app_context():
        upgrade()
        questionnaire = catalogue().get(READINESS)
        assert questionnaire is not None
        version = store_version(questionnaire)
        user = User(
            email="bench@example.org",
            name="Konsultantka",
            password_hash=hash_password(PASSWORD),
            role="consultant",
            language="pl",
        )
        db.session.add(user)
        db.session.flush()
        names = [
            (f"{rng.choice(WORDS)} {rng.choice(PLACES)} {n:05d}", rng.choice(PLACES))
            for n in range(organisations)
        ]
        db.session.execute(  # a bulk insert fires no ORM events: the search key is given
            insert(Organisation),
            [
                {
                    "name": name,
                    "type": rng.choice(TYPES),
                    "city": city,
                    "search_key": search_key_of(name, city),
                    "created_by_id": user.id,
                    "created_at": now - timedelta(days=rng.randint(0, 900)),
                }
                for name, city in names
            ],
        )
        ids = list(db.session.scalars(select(Organisation.id).order_by(Organisation.id)))
        history_org, answer_org = ids[0], ids[1]
        answers = every_answer(questionnaire)
        result = score(questionnaire, answers, "library")
        frozen = result_to_dict(result)
        audit_rows = []
        for n in range(audits - 1):
            own_history = n < history
            submitted = own_history or rng.random() < 0.7
            started = now - timedelta(
                days=30 * (history - n) if own_history else rng.randint(1, 700)
            )
            audit_rows.append(
                {
                    "organisation_id": history_org if own_history else rng.choice(ids[2:]),
                    "questionnaire_version_id": version.id,
                    "status": "submitted" if submitted else "in_progress",
                    "created_by_id": user.id,
                    "started_at": started,
                    "submitted_at": started + timedelta(days=3) if submitted else None,
                    "result": frozen if submitted else None,
                    "overall": result.overall if submitted else None,
                    "verdict": result.verdict if submitted else None,
                }
            )
        db.session.execute(insert(Audit), audit_rows)
        answer_audit = Audit(
            organisation_id=answer_org,
            questionnaire_version_id=version.id,
            created_by_id=user.id,
        )
        db.session.add(answer_audit)
        db.session.flush()
        audit_ids = list(db.session.scalars(select(Audit.id).order_by(Audit.id)))
        db.session.execute(
            insert(Answer),
            [
                {
                    "audit_id": audit_id,
                    "question_id": question_id,
                    "value": value,
                    "note": "",
                    "evidence": "",
                    "revision": 1,
                    "updated_at": now,
                    "updated_by_id": user.id,
                }
                for audit_id in audit_ids
                if audit_id != answer_audit.id
                for question_id, value in answers.items()
            ],
        )
        # Area scores as a submission writes them (audit_section_scores).
        submitted_ids = db.session.scalars(select(Audit.id).where(Audit.status == "submitted"))
        db.session.execute(
            insert(AuditSectionScore),
            [
                {"audit_id": audit_id, "section_id": s.section_id, "score": s.percent}
                for audit_id in list(submitted_ids)
                for s in result.sections
            ],
        )
        db.session.execute(
            insert(Action),
            [
                {
                    "audit_id": audit_id,
                    "recommendation_id": f"rec-{n}",
                    "title": "Warsztat wizji z kierownikami i pierwszą linią",
                    "owner": "Dyrektor",
                    "due_date": (now + timedelta(days=rng.randint(-20, 90))).date(),
                    "status": rng.choice(["todo", "in_progress", "done"]),
                    "created_at": now,
                    "updated_at": now,
                }
                for n, audit_id in enumerate(audit_ids[: audits // 2])
            ],
        )
        db.session.commit()
        counts = {
            name: db.session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in (
                ("organisations", Organisation),
                ("audits", Audit),
                ("answers", Answer),
                ("actions", Action),
            )
        }
        data = Data(url, user.email, answer_audit.id, history_org, counts)
        db.session.remove()
        db.engine.dispose()
    return data


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def log_in(base: str, email: str, audit_id: int) -> tuple[str, str]:
    """(Cookie header, CSRF token) of a logged-in session that has opened the audit."""
    http = requests.Session()
    http.headers["User-Agent"] = USER_AGENT
    page = http.get(f"{base}/login", timeout=30)
    token = CSRF.search(page.text)
    assert token
    reply = http.post(
        f"{base}/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)},
        allow_redirects=False,
        timeout=30,
    )
    assert reply.status_code == 302, reply.status_code
    page = http.get(f"{base}/audits/{audit_id}", timeout=30)
    token = CSRF.search(page.text)
    assert page.status_code == 200 and token
    cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
    return cookie, token.group(1)


def fetch(url: str, headers: dict[str, str], data: bytes | None = None) -> tuple[int, int, str]:
    headers = {"User-Agent": USER_AGENT, **headers}
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 - ours
    with urllib.request.urlopen(request, timeout=30) as reply:  # noqa: S310 - our own server
        body = reply.read()
        return reply.status, len(body), reply.url


AUTOSAVE_LUA = """
local questions = {%(questions)s}
local counter = 0
request = function()
  counter = counter + 1
  local q = questions[(counter %% #questions) + 1]
  local value = tostring(math.floor(counter / #questions) %% 5)
  local headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Content-Type"] = "application/json"
  headers["Accept"] = "application/json"
  headers["X-CSRFToken"] = "%(token)s"
  return wrk.format("POST", "/audits/%(audit)d/answers/" .. q, headers,
                    '{"value": "' .. value .. '"}')
end
"""


@dataclass
class Case:
    name: str
    server: Gunicorn
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    script: str | None = None
    note: str = ""
    results: list[WrkResult] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # worker CPU per request

    @property
    def base(self) -> str:
        return self.server.url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--audits", type=int, default=1_000)
    parser.add_argument("--history", type=int, default=20)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-web-"))
    secret = os.urandom(16).hex()
    started = time.perf_counter()
    data = build(workdir / "bench.sqlite", args.organisations, args.audits, args.history, secret)
    print(f"# Web pages and autosave: data built in {time.perf_counter() - started:.0f} s: "
          f"{data.counts}")  # fmt: skip

    env = {"DATABASE_URL": data.url, "SECRET_KEY": secret}
    bare = Gunicorn("_apps:bare_app()", workers=args.workers)
    real = Gunicorn("_apps:audit_app()", env=env, workers=args.workers)
    with bare, real:
        cookie, token = log_in(real.url, data.email, data.answer_audit)
        session = {"Cookie": cookie}
        cases = [
            Case("bare Flask: hello", bare, "/hello"),
            Case("bare Flask: 40-field form from a dict", bare, "/form"),
            Case("signed-in layout alone (empty page)", real, "/_bench/layout", session),
            Case("questionnaire page (first section)", real,
                 f"/audits/{data.answer_audit}", session),
            Case("autosave (JSON POST, writes)", real,
                 f"/audits/{data.answer_audit}/answers/q01_customer_vision", session,
                 AUTOSAVE_LUA % {"questions": ", ".join(f'"{q}"' for q in SCALE_QUESTIONS),
                                 "token": token, "audit": data.answer_audit}),
            Case("organisations index, page 1", real, "/organisations", session),
            Case("organisations search 'łódź'", real,
                 "/organisations?q=%C5%82%C3%B3d%C5%BA", session),
            Case("dashboard", real, "/", session),
            Case(f"history ({args.history} audits)", real,
                 f"/organisations/{data.history_organisation}/history", session),
        ]  # fmt: skip
        for case in cases:
            if case.script is None:
                status, size, final = fetch(case.base + case.path, case.headers)
                assert status == 200 and "/login" not in final, (case.name, status, final)
                case.note = f"{size / 1024:.0f} KB"
            else:
                body = b'{"value": "2"}'
                status, size, _ = fetch(
                    case.base + case.path,
                    {**case.headers, "Content-Type": "application/json",
                     "X-CSRFToken": token, "Accept": "application/json"},
                    body,
                )  # fmt: skip
                assert status == 200, (case.name, status)
                case.note = f"{size} B reply"
        for number in range(args.rounds):
            for case in cases:
                cpu = case.server.worker_cpu_seconds()
                result = wrk(
                    case.base + case.path,
                    connections=args.connections,
                    duration=args.duration,
                    headers=case.headers,
                    script=case.script,
                )
                if result.non_2xx or result.socket_errors:
                    print(f"FAIL {case.name}: {result.non_2xx} non-2xx, "
                          f"{result.socket_errors} socket errors\n{result.raw}")  # fmt: skip
                    return 1
                case.results.append(result)
                used = case.server.worker_cpu_seconds() - cpu
                case.cpu_ms.append(1000 * used / max(result.requests, 1))
            print(f"- round {number + 1}/{args.rounds} done")
        # Still logged in at the end (wrk would count a redirect to the login page as 3xx).
        status, _, final = fetch(cases[3].base + cases[3].path, session)
        assert status == 200 and "/login" not in final

    shutil.rmtree(workdir, ignore_errors=True)
    hello, form = cases[0], cases[1]
    print()
    print(f"Setup: {real.describe}; wrk {args.connections} connections, {args.duration} s "
          f"per run, {args.rounds} rounds (medians); SQLite in WAL mode.")  # fmt: skip
    for line in machine_lines([f"- load average at the end: {os.getloadavg()[0]:.1f}"]):
        print(line)
    print()
    print("| route | requests/s | p50 ms | p99 ms | vs hello | vs form page | worker CPU "
          "ms/request | CPU vs form page | size |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for case in cases:
        rps = statistics.median(r.requests_per_s for r in case.results)
        p50 = statistics.median(r.p50_ms for r in case.results)
        p99 = statistics.median(r.p99_ms for r in case.results)
        vs_hello = statistics.median(
            c.requests_per_s / h.requests_per_s
            for c, h in zip(case.results, hello.results, strict=True)
        )
        vs_form = statistics.median(
            c.requests_per_s / f.requests_per_s
            for c, f in zip(case.results, form.results, strict=True)
        )
        cpu = statistics.median(case.cpu_ms)
        cpu_vs_form = statistics.median(
            c / f for c, f in zip(case.cpu_ms, form.cpu_ms, strict=True)
        )
        print(f"| {case.name} | {rps:,.0f} | {p50:.1f} | {p99:.1f} | {vs_hello:.2f} | "
              f"{vs_form:.2f} | {cpu:.2f} | {cpu_vs_form:.1f}x | {case.note} |")  # fmt: skip
    print()
    record_goals(cases, form)
    print("Per round requests/s: " + "; ".join(
        f"{c.name}: {', '.join(f'{r.requests_per_s:.0f}' for r in c.results)}" for c in cases
    ))  # fmt: skip
    return 0


# Issue 19's rows: (case name prefix, measure, goal, at least / at most).
GOALS = [
    ("questionnaire page", "rps", 0.6, "min"),
    ("autosave", "rps", 0.7, "min"),
    ("history", "cpu", 3.0, "max"),
    ("dashboard", "cpu", 3.0, "max"),
    ("organisations search", "cpu", 3.0, "max"),
]


def record_goals(cases: list[Case], form: Case) -> None:
    layout = next(c for c in cases if c.name.startswith("signed-in layout"))
    layout_cpu = statistics.median(layout.cpu_ms)
    layout_ratio = statistics.median(c / f for c, f in zip(layout.cpu_ms, form.cpu_ms, strict=True))
    for prefix, measure, goal, kind in GOALS:
        case = next(c for c in cases if c.name.startswith(prefix))
        if measure == "rps":
            value = statistics.median(
                c.requests_per_s / f.requests_per_s
                for c, f in zip(case.results, form.results, strict=True)
            )
            what, unit = f"{case.name} vs the bare 40-field form page, requests/s", "x"
        else:
            value = statistics.median(c / f for c, f in zip(case.cpu_ms, form.cpu_ms, strict=True))
            what, unit = f"{case.name}: worker CPU per request vs the form page", "x"
        met = value >= goal if kind == "min" else value <= goal
        cpu = statistics.median(case.cpu_ms)
        # What stands in the way, from the same run: the layout every signed-in page
        # pays before its own content, and what the page adds on top of it.
        note = (
            f"the signed-in layout alone: {layout_cpu:.1f} ms CPU ({layout_ratio:.2f}x the "
            f"form page); its own work on top: {cpu - layout_cpu:.1f} ms"
        )
        bound = f"{'>=' if kind == 'min' else '<='} {goal}{unit}"
        record(what, f"{value:.2f}{unit} ({cpu:.1f} ms CPU)", bound, met, "" if met else note)


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    sys.exit(main())
