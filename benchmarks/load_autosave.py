"""Autosave under concurrency, through the real HTTP server.

    .venv/bin/python benchmarks/load_autosave.py                    # SQLite file
    .venv/bin/python benchmarks/load_autosave.py --database postgresql
        [--url postgresql+psycopg://postgres@127.0.0.1:5432/loadtest]
    options: --clients 100 --workers 4 --worker-class sync|gthread --threads 4
             --time-limit 120

1. A fresh database (a new SQLite file in a temporary folder; or the PostgreSQL
   database `loadtest`, created if missing and emptied), migrated with Alembic, with one
   consultant, organisation and crm-readiness audit per client; each organisation is
   also assigned to the next client's consultant (for the conflict phase).
2. gunicorn serves `create_app()` on 127.0.0.1 (login rate limit off: all the clients
   log in from one address). Every client logs in over HTTP and opens its audit.
3. Load: all clients start at once (a barrier) and each sends 40 autosaves
   (`POST /audits/<id>/answers/<question>`, JSON, X-CSRFToken): the 38 questions
   (37 scored + 1 text), then re-saves of two answers with the `base_revision` their
   first save returned.
4. Conflicts: for every audit, its consultant and the next client's consultant save
   the text answer at the same moment, both based on the same revision. The rule
   (docs/reliability.md): exactly one is stored (200), the other gets 409 with the
   stored version; neither is silently lost.
5. Verification in the database: every answer holds the last value its client sent
   and the expected revision; the 409s saw the winner's value. No 5xx, no transport
   errors, nothing cut off by the time limit. Exit status 1 on any failure.

Prints requests/s, p50/p99 latency, errors, and "database is locked" lines from the
server log.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _webtools import USER_AGENT, Gunicorn, machine_lines, percentile  # noqa: E402

if TYPE_CHECKING:
    from audit_app.domain.questionnaire import Questionnaire

PASSWORD = "load-test-password-2026"  # noqa: S105 - throwaway accounts in a throwaway database
QUESTIONNAIRE = "crm-readiness"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/loadtest"
CONFLICT_QUESTION = "q38_success_in_a_year"
RESAVED = 2  # re-saves per client after answering every question


# --------------------------------------------------------------------------- database


def prepare_postgresql(url: str) -> None:
    """Create the database if missing, then empty its public schema (never the test
    suite's: refused before anything is touched)."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = parsed.database
    test_url = os.environ.get("TEST_DATABASE_URL")
    if name == "test" or (test_url and make_url(test_url).database == name):
        raise SystemExit(f"refusing to empty the database {name!r}: the test suite uses it")
    admin = parsed.set(drivername="postgresql", database="postgres")
    dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')  # name from our own option
    target = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(target, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


def seed(url: str, clients: int, secret: str, untuned: bool) -> list[tuple[str, int]]:
    """Migrate and create one consultant, organisation and audit per client; returns
    (email, audit id) per client."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from audit_app import create_app
    from audit_app.extensions import db
    from audit_app.models import Organisation, OrganisationAccess, User
    from audit_app.services import audits
    from audit_app.services.accounts import hash_password
    from audit_app.services.questionnaires import catalogue

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret})
    if untuned:
        from _apps import untune

        untune(app)
    with app.app_context():
        upgrade()
        questionnaire = catalogue().get(QUESTIONNAIRE)
        assert questionnaire is not None, f"questionnaire {QUESTIONNAIRE} not loaded"
        password_hash = hash_password(PASSWORD)
        users = [
            User(
                email=f"load{i:03d}@example.org",
                name=f"Load client {i}",
                password_hash=password_hash,
                role="consultant",
                language="en",
            )
            for i in range(clients)
        ]
        db.session.add_all(users)
        db.session.flush()
        organisations = [
            Organisation(name=f"Load test organisation {i}", type="company", created_by_id=u.id)
            for i, u in enumerate(users)
        ]
        db.session.add_all(organisations)
        db.session.flush()
        db.session.add_all(
            OrganisationAccess(organisation_id=o.id, user_id=users[(i + 1) % clients].id)
            for i, o in enumerate(organisations)
        )
        started = [
            audits.start_audit(o, questionnaire, u)
            for o, u in zip(organisations, users, strict=True)
        ]
        db.session.commit()
        result = [(u.email, a.id) for u, a in zip(users, started, strict=True)]
        if untuned:  # back to the rollback journal a new SQLite file starts with
            db.session.execute(text("PRAGMA journal_mode=DELETE"))
        db.session.remove()
        db.engine.dispose()
    return result


def stored_answers(url: str, secret: str, untuned: bool) -> dict[tuple[int, str], tuple[Any, int]]:
    from sqlalchemy import select

    from audit_app import create_app
    from audit_app.extensions import db
    from audit_app.models import Answer

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret})
    if untuned:
        from _apps import untune

        untune(app)
    with app.app_context():
        rows = {
            (a.audit_id, a.question_id): (a.value, a.revision)
            for a in db.session.scalars(select(Answer))
        }
        db.session.remove()
        db.engine.dispose()
    return rows


def answer_plan(questionnaire: Questionnaire, rng: random.Random) -> list[tuple[str, Any]]:
    """40 saves: (question id, valid value) for every question of the questionnaire,
    then RESAVED re-saves of the first questions with another value."""
    plan: list[tuple[str, Any]] = []
    for question in questionnaire.questions:
        choices = [option.value for option in question.choices]
        if question.type in ("scale", "single"):
            value: Any = rng.choice(choices)
        elif question.type == "multiple":
            value = rng.sample(choices, rng.randint(1, len(choices)))
        elif question.type == "number":
            low = next((b.min for b in question.bands if b.min is not None), 0)
            value = rng.randint(int(low), int(low) + 60)
        else:
            value = f"Answer {rng.randint(0, 10**9)}: zażółć gęślą jaźń"
        plan.append((question.id, value))
    for question in questionnaire.questions[:RESAVED]:
        first = dict(plan)[question.id]
        plan.append(
            (question.id, rng.choice([c.value for c in question.choices if c.value != first]))
        )
    return plan


# --------------------------------------------------------------------------- HTTP client

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Sample:
    phase: str
    status: int  # 0: transport error
    seconds: float
    body: dict[str, Any] = field(default_factory=dict)
    error: str = ""


class Client:
    def __init__(self, base: str, email: str, audit_id: int) -> None:
        self.base, self.email, self.audit_id = base, email, audit_id
        self.http = requests.Session()
        self.http.headers["User-Agent"] = USER_AGENT
        self.token = ""

    def login(self) -> None:
        page = self.http.get(f"{self.base}/login", timeout=30)
        token = CSRF.search(page.text)
        assert token, f"no CSRF token on /login ({page.status_code})"
        reply = self.http.post(
            f"{self.base}/login",
            data={"email": self.email, "password": PASSWORD, "csrf_token": token.group(1)},
            allow_redirects=False,
            timeout=60,
        )
        assert reply.status_code == 302, f"login {self.email}: {reply.status_code}"
        page = self.http.get(f"{self.base}/audits/{self.audit_id}", timeout=30)
        assert page.status_code == 200, f"audit page {self.audit_id}: {page.status_code}"
        match = CSRF.search(page.text)
        assert match, "no CSRF token on the audit page"
        self.token = match.group(1)

    def twin(self) -> Client:
        """Another connection in the same logged-in session (another browser tab)."""
        other = Client(self.base, self.email, self.audit_id)
        other.http.cookies.update(self.http.cookies)
        other.token = self.token
        return other

    def save(
        self, phase: str, audit_id: int, question_id: str, value: Any, base: int | None
    ) -> Sample:
        started = time.perf_counter()
        try:
            reply = self.http.post(
                f"{self.base}/audits/{audit_id}/answers/{question_id}",
                json={"value": value, "base_revision": base},
                headers={"X-CSRFToken": self.token, "Accept": "application/json"},
                timeout=30,
            )
        except requests.RequestException as error:
            return Sample(phase, 0, time.perf_counter() - started, error=repr(error))
        elapsed = time.perf_counter() - started
        try:
            body = reply.json()
        except ValueError:
            body = {"text": reply.text[:300]}
        return Sample(phase, reply.status_code, elapsed, body)


# --------------------------------------------------------------------------- run


@dataclass
class Outcome:
    problems: list[str] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    expected: dict[tuple[int, str], tuple[Any, int]] = field(default_factory=dict)
    load_seconds: float = 0.0
    conflicts: Counter[str] = field(default_factory=Counter)
    timed_out: bool = False


def run_load(clients: list[Client], plans: list[list[tuple[str, Any]]], deadline: float) -> Outcome:
    outcome = Outcome()
    lock = threading.Lock()
    barrier = threading.Barrier(len(clients))

    def answer_all(index: int) -> None:
        client, plan = clients[index], plans[index]
        revisions: dict[str, int] = {}  # question -> revision the last save returned
        last: dict[str, Any] = {}
        barrier.wait(timeout=max(1.0, deadline - time.monotonic()))
        for question_id, value in plan:
            if time.monotonic() > deadline:
                outcome.timed_out = True
                return
            # First saves say "I saw no stored answer" (0); re-saves name the revision.
            base = revisions.get(question_id, 0)
            sample = client.save("load", client.audit_id, question_id, value, base)
            outcome.samples.append(sample)
            if sample.status == 200 and sample.body.get("ok"):
                revisions[question_id] = int(sample.body["revision"])
                last[question_id] = value
            else:
                with lock:
                    outcome.problems.append(
                        f"load: audit {client.audit_id} {question_id}: {sample.status} "
                        f"{sample.body or sample.error}"
                    )
        with lock:
            for question_id, value in last.items():
                outcome.expected[(client.audit_id, question_id)] = (value, revisions[question_id])

    started = time.monotonic()
    _run_threads([lambda i=i: answer_all(i) for i in range(len(clients))])
    outcome.load_seconds = time.monotonic() - started
    return outcome


def run_conflicts(clients: list[Client], outcome: Outcome, deadline: float) -> None:
    """Each audit's text answer saved at once by its consultant and the next client's
    consultant, both based on the revision the load phase left."""
    count = len(clients)
    barrier = threading.Barrier(2 * count)
    results: dict[int, list[tuple[str, Sample]]] = {c.audit_id: [] for c in clients}
    lock = threading.Lock()

    def one(client: Client, audit_id: int, value: str) -> None:
        base = outcome.expected.get((audit_id, CONFLICT_QUESTION), (None, 0))[1]
        barrier.wait(timeout=max(1.0, deadline - time.monotonic()))
        if time.monotonic() > deadline:
            outcome.timed_out = True
            return
        sample = client.save("conflict", audit_id, CONFLICT_QUESTION, value, base)
        outcome.samples.append(sample)
        with lock:
            results[audit_id].append((value, sample))

    jobs: list[Callable[[], None]] = []
    for index, owner in enumerate(clients):
        partner = clients[(index + 1) % count].twin()
        mine = owner.twin()
        jobs.append(lambda c=mine, a=owner.audit_id: one(c, a, f"owner's version of {a}"))
        jobs.append(lambda c=partner, a=owner.audit_id: one(c, a, f"colleague's version of {a}"))
    _run_threads(jobs)
    for audit_id, pair in results.items():
        statuses = sorted(s.status for _, s in pair)
        if statuses != [200, 409]:
            outcome.conflicts["rule broken"] += 1
            outcome.problems.append(f"conflict: audit {audit_id}: statuses {statuses}")
            if statuses == [200, 200]:
                outcome.conflicts["both stored (one silently lost)"] += 1
            # Which one the database kept is reported by verify() as a wrong value.
            outcome.expected[(audit_id, CONFLICT_QUESTION)] = ("<one of the two>", -1)
            continue
        winner = next(v for v, s in pair if s.status == 200)
        loser = next(s for _, s in pair if s.status == 409)
        outcome.conflicts["one stored, one 409"] += 1
        base = outcome.expected[(audit_id, CONFLICT_QUESTION)][1]
        outcome.expected[(audit_id, CONFLICT_QUESTION)] = (winner, base + 1)
        if loser.body.get("value") != winner or not loser.body.get("conflict"):
            outcome.conflicts["409 without the winner's version"] += 1
            outcome.problems.append(
                f"conflict: audit {audit_id}: the 409 showed {loser.body.get('value')!r}, "
                f"stored {winner!r}"
            )


def _run_threads(jobs: list[Callable[[], None]]) -> None:
    errors: list[BaseException] = []

    def guarded(job: Callable[[], None]) -> None:
        try:
            job()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(job,), daemon=True) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    if errors:
        raise RuntimeError(f"{len(errors)} client threads failed: {errors[0]!r}")


def verify(outcome: Outcome, stored: dict[tuple[int, str], tuple[Any, int]]) -> Counter[str]:
    tally: Counter[str] = Counter()
    for key, (value, revision) in outcome.expected.items():
        if key not in stored:
            tally["missing"] += 1
            outcome.problems.append(f"verify: {key} missing")
        elif stored[key][0] != value:
            tally["wrong value"] += 1
            outcome.problems.append(f"verify: {key}: stored {stored[key][0]!r}, sent {value!r}")
        elif stored[key][1] != revision:
            tally["wrong revision"] += 1
            outcome.problems.append(f"verify: {key}: revision {stored[key][1]}, not {revision}")
        else:
            tally["intact"] += 1
    for key in stored.keys() - outcome.expected.keys():
        tally["unexpected"] += 1
        outcome.problems.append(f"verify: unexpected stored answer {key}")
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--url", help=f"PostgreSQL URL (default {DEFAULT_PG})")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int, default=4, help="per gthread worker")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds of load")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--untuned",
        action="store_true",
        help="SQLite without audit_app/db_sqlite.py's settings (the 'before')",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="load-autosave-"))
    if args.database == "sqlite":
        url = f"sqlite:///{workdir / 'load.sqlite'}"
    else:
        url = args.url or DEFAULT_PG
        prepare_postgresql(url)
    secret = os.urandom(16).hex()
    rng = random.Random(args.seed)  # noqa: S311 - test data, not secrets
    tuning = " (untuned: before db_sqlite.py)" if args.untuned else ""
    print(f"# Autosave load: {args.clients} clients x 40 saves, {args.database}{tuning}")
    if args.untuned and args.database != "sqlite":
        parser.error("--untuned is for SQLite")
    seeded = seed(url, args.clients, secret, args.untuned)
    from audit_app.config import Config
    from audit_app.domain.loader import load_questionnaire

    questionnaire = load_questionnaire(Config.SHIPPED_QUESTIONNAIRES_DIR / f"{QUESTIONNAIRE}.yaml")
    plans = [answer_plan(questionnaire, rng) for _ in seeded]
    assert all(len(p) == 40 for p in plans), "the plan is 40 saves per client"

    server = Gunicorn(
        "_apps:audit_app(untuned=True)" if args.untuned else "_apps:audit_app()",
        env={"DATABASE_URL": url, "SECRET_KEY": secret},
        workers=args.workers,
        worker_class=args.worker_class,
        threads=args.threads if args.worker_class == "gthread" else 1,
    )
    with server:
        clients = [Client(server.url, email, audit_id) for email, audit_id in seeded]
        login_started = time.monotonic()
        _run_in_batches([c.login for c in clients], batch=8)
        print(f"- {len(clients)} clients logged in over HTTP in "
              f"{time.monotonic() - login_started:.1f} s")  # fmt: skip
        deadline = time.monotonic() + args.time_limit
        outcome = run_load(clients, plans, deadline)
        run_conflicts(clients, outcome, deadline)
        log = server.log_text()
    journal = ""
    if args.database == "sqlite":
        connection = sqlite3.connect(workdir / "load.sqlite")
        journal = f" (journal mode {connection.execute('PRAGMA journal_mode').fetchone()[0]})"
        connection.close()
    stored = stored_answers(url, secret, args.untuned)
    tally = verify(outcome, stored)

    load = [s for s in outcome.samples if s.phase == "load"]
    latencies = [s.seconds * 1000 for s in load]
    statuses = Counter(s.status for s in outcome.samples)
    server_errors = sum(n for code, n in statuses.items() if code >= 500)
    transport = statuses.get(0, 0)
    locked = len(re.findall(r"database is locked", log))
    tracebacks = log.count("Traceback")
    print()
    for line in machine_lines([f"- {server.describe}; database {args.database}{journal}"]):
        print(line)
    print()
    print("| measure | value |\n|---|---|")
    print(f"| autosave requests (load phase) | {len(load)} in {outcome.load_seconds:.1f} s |")
    print(f"| requests/s | {len(load) / outcome.load_seconds:.0f} |")
    print(f"| latency p50 / p99 | {percentile(latencies, 50):.0f} ms / "
          f"{percentile(latencies, 99):.0f} ms |")  # fmt: skip
    print(f"| max latency | {max(latencies, default=0):.0f} ms |")
    print(f"| HTTP statuses (all phases) | {dict(sorted(statuses.items()))} |")
    print(f"| 5xx / transport errors | {server_errors} / {transport} |")
    print(f"| conflict pairs | {dict(outcome.conflicts)} |")
    print(f"| answers in the database | {dict(tally)} (expected {len(outcome.expected)}) |")
    print(f"| 'database is locked' in server log / tracebacks | {locked} / {tracebacks} |")
    print(f"| stopped by the time limit | {'yes' if outcome.timed_out else 'no'} |")
    failed = bool(outcome.problems or server_errors or transport or outcome.timed_out)
    if outcome.problems:
        print(f"\n{len(outcome.problems)} problems, first ones:")
        for problem in outcome.problems[:12]:
            print(f"  {problem}")
    if tracebacks:
        last = log[log.rfind("Traceback") :].splitlines()
        print("\nlast server traceback ends with:\n  " + "\n  ".join(last[-4:]))
    print("\nRESULT:", "FAIL" if failed else "OK (no answer lost, no 5xx, conflict rule held)")
    if failed:
        print(f"(database kept in {workdir})")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


def _run_in_batches(jobs: list[Callable[[], None]], batch: int) -> None:
    for start in range(0, len(jobs), batch):
        _run_threads(jobs[start : start + batch])


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    sys.exit(main())
