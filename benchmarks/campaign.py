"""A campaign: many institutions answer the library audit through the JSON API and
request their PDF reports, which report workers render from a Redis queue.

    .venv/bin/python benchmarks/campaign.py                    # PostgreSQL + Redis
        [--url postgresql+psycopg://postgres@127.0.0.1:5432/campaign]
    .venv/bin/python benchmarks/campaign.py --database sqlite  # a temporary SQLite file
    options: --institutions 1000 --clients 50 --workers-rq 2 --design brief|full
             --lang pl|en --web-workers 4 --worker-class sync|gthread --threads 4
             --redis-url redis://127.0.0.1:6379/2 --bare-renders 20 --time-limit 3600
             --cold-questionnaire

1. A fresh database (PostgreSQL `campaign` by default, created if missing and emptied;
   never the test suite's `test`; or a new SQLite file), migrated with Alembic. Per
   institution, through the services (not over HTTP): a consultant (one argon2 hash
   computed once and reused: logins are not measured), a library organisation and a
   personal API token; and the questionnaire's version row, as in an installation that
   has used it before (`--cold-questionnaire` leaves it to the first audits, which then
   store it at the same moment: see services.questionnaires.store_version).
2. gunicorn serves `create_app()` on 127.0.0.1 and W report workers
   (`audit-app worker`, separate processes) wait on a queue of our own
   (`REPORT_QUEUE=campaign-<random>`, in the Redis database of `--redis-url`).
3. Campaign: C client threads take the institutions one after another, each with its
   own token, through `/api/v1`: read the questionnaire, start the library audit,
   answer every question (`PUT .../answers/<id>`, `base_revision` 0, a note on every
   third), submit, read the results, request the PDF (`POST .../reports`, 202).
4. The script polls the database (every 0.25 s) until every report request is finished
   or failed; then every client reads its request's status and downloads its PDF once.
5. Verification in the database: every audit submitted with exactly the answers sent,
   every request finished, every issued PDF starts with %PDF and its sha256 is the one
   stored (and the one the download carried).
6. Baseline: WeasyPrint alone (audit_app.reporting.pdf's cached fonts and stylesheets,
   as bench_reports.py measures it) on the HTML of one of those reports, in W processes
   at once: the PDFs/minute of the bare library on this machine, next to the campaign's.

Latency p50/p99 per kind of call, requests/s, statuses, queue wait and render time
(p50/p99 from the report_requests table), PDFs/minute; markdown tables on stdout,
progress on stderr. Exit status 1 on any failure: a 5xx or another unexpected status,
a transport error, a failed or unfinished report, a wrong answer or PDF, the time limit.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any
from unittest import mock

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _campaign_pages import enrol, organiser_pages, table  # noqa: E402
from _webtools import (  # noqa: E402
    BIN,
    ROOT,
    USER_AGENT,
    Gunicorn,
    machine_lines,
    percentile,
    process_cpu_seconds,
)
from load_autosave import prepare_postgresql  # noqa: E402

QUESTIONNAIRE = "library-crm-audit"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/campaign"
DEFAULT_REDIS = "redis://127.0.0.1:6379/2"
PASSWORD = "campaign-password-2026"  # noqa: S105 - throwaway accounts in a throwaway database
POLL_SECONDS = 0.25
CITIES = (
    "Łódź",
    "Kraków",
    "Gdańsk",
    "Poznań",
    "Wrocław",
    "Lublin",
    "Białystok",
    "Rzeszów",
    "Opole",
    "Kielce",
    "Toruń",
    "Zielona Góra",
    "Olsztyn",
    "Szczecin",
    "Katowice",
)
NOTES = (
    "Ankieta wśród czytelników 2025",
    "Raport roczny, rozdz. 3",
    "Rozmowa z kierownikami filii",
    "Ekran systemu bibliotecznego (moduł statystyk)",
)
# The status every kind of call must answer with.
EXPECTED = {
    "questionnaire": 200,
    "start": 201,
    "answer": 200,
    "submit": 200,
    "results": 200,
    "request": 202,
    "status": 200,
    "pdf": 200,
}
CAMPAIGN_CALLS = ("questionnaire", "start", "answer", "submit", "results", "request")


# --------------------------------------------------------------------------- database


@dataclass
class Institution:
    index: int
    organisation_id: int
    token: str
    audit_id: int = 0
    request_id: int = 0
    answers: dict[str, Any] = field(default_factory=dict)
    done: bool = False


def seed(url: str, count: int, secret: str, store_questionnaire: bool) -> list[Institution]:
    """Migrate, then one consultant, library organisation and API token per institution,
    through the services (the password is hashed once: logins are not measured). With
    `store_questionnaire`, the questionnaire's version row is stored too, as in an
    installation where the questionnaire has been used before."""
    from flask_migrate import upgrade

    from audit_app import create_app
    from audit_app.extensions import db
    from audit_app.services import accounts, api_tokens, organisations
    from audit_app.services.questionnaires import catalogue, store_version

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret})
    institutions: list[Institution] = []
    with app.app_context():
        upgrade()
        if store_questionnaire:
            questionnaire = catalogue().get(QUESTIONNAIRE)
            assert questionnaire is not None, f"questionnaire {QUESTIONNAIRE} not loaded"
            store_version(questionnaire)
        password_hash = accounts.hash_password(PASSWORD)
        with mock.patch.object(accounts, "hash_password", return_value=password_hash):
            for i in range(count):
                user = accounts.create_user(
                    email=f"campaign{i:04d}@example.org",
                    name=f"Konsultant {i + 1}",
                    password=PASSWORD,
                    role="consultant",
                    language="pl",
                )
                city = CITIES[i % len(CITIES)]
                organisation = organisations.create(
                    user,
                    name=f"Miejska Biblioteka Publiczna nr {i + 1} w {city}",
                    type="library",
                    size=("small", "medium", "large")[i % 3],
                    city=city,
                )
                _token, token_secret = api_tokens.create(user, "campaign benchmark")
                institutions.append(Institution(i, organisation.id, token_secret))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return institutions


def _utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they are UTC here."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


# --------------------------------------------------------------------------- HTTP client


@dataclass
class Sample:
    kind: str
    status: int  # 0: transport error
    seconds: float
    finished: float  # time.monotonic() when the answer arrived


class Api:
    """One client thread's connection (requests.Session: keep-alive where the server
    keeps connections open, i.e. gthread workers; sync workers close each one)."""

    def __init__(self, base: str, samples: list[Sample], problems: list[str]) -> None:
        self.base = base
        self.http = requests.Session()
        self.http.headers["User-Agent"] = USER_AGENT
        self.samples, self.problems = samples, problems

    def call(
        self, kind: str, method: str, path: str, token: str, body: Any = None, what: str = ""
    ) -> requests.Response | None:
        """The response when it has the expected status, else None (problem recorded)."""
        started = time.monotonic()
        try:
            reply = self.http.request(
                method,
                self.base + path,
                json=body,
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                timeout=120,
            )
        except requests.RequestException as error:
            now = time.monotonic()
            self.samples.append(Sample(kind, 0, now - started, now))
            self.problems.append(f"{kind} {what or path}: transport error {error!r}")
            return None
        now = time.monotonic()
        self.samples.append(Sample(kind, reply.status_code, now - started, now))
        if reply.status_code != EXPECTED[kind]:
            self.problems.append(f"{kind} {what or path}: {reply.status_code} {reply.text[:300]!r}")
            return None
        return reply


def campaign_one(api: Api, inst: Institution, rng: random.Random, design: str, lang: str) -> None:
    """One institution's whole audit through the API, ending with the report request."""
    tag = f"institution {inst.index}"
    reply = api.call(
        "questionnaire", "GET", f"/api/v1/questionnaires/{QUESTIONNAIRE}", inst.token, what=tag
    )
    if reply is None:
        return
    questions = [q for section in reply.json()["sections"] for q in section["questions"]]
    reply = api.call(
        "start",
        "POST",
        f"/api/v1/organisations/{inst.organisation_id}/audits",
        inst.token,
        {"questionnaire_id": QUESTIONNAIRE},
        tag,
    )
    if reply is None:
        return
    inst.audit_id = int(reply.json()["id"])
    for number, question in enumerate(questions):
        value = rng.choice([option["value"] for option in question["options"]])
        body: dict[str, Any] = {"value": value, "base_revision": 0}
        if number % 3 == 0:
            body["note"] = rng.choice(NOTES)
        path = f"/api/v1/audits/{inst.audit_id}/answers/{question['id']}"
        reply = api.call("answer", "PUT", path, inst.token, body, f"{tag} {question['id']}")
        if reply is None:
            return
        inst.answers[question["id"]] = value
    reply = api.call(
        "submit", "POST", f"/api/v1/audits/{inst.audit_id}/submit", inst.token, what=tag
    )
    if reply is None:
        return
    if reply.json().get("status") != "submitted":
        api.problems.append(f"submit {tag}: status {reply.json().get('status')!r}")
        return
    reply = api.call(
        "results", "GET", f"/api/v1/audits/{inst.audit_id}/results", inst.token, what=tag
    )
    if reply is None:
        return
    if not reply.json().get("frozen"):
        api.problems.append(f"results {tag}: not frozen")
        return
    reply = api.call(
        "request",
        "POST",
        f"/api/v1/audits/{inst.audit_id}/reports",
        inst.token,
        {"design": design, "lang": lang},
        tag,
    )
    if reply is None:
        return
    inst.request_id = int(reply.json()["id"])
    inst.done = True


def download_one(api: Api, inst: Institution, downloads: dict[int, str]) -> None:
    """The request's status, then its PDF; the sha256 must match everywhere."""
    tag = f"institution {inst.index}"
    reply = api.call("status", "GET", f"/api/v1/reports/{inst.request_id}", inst.token, what=tag)
    if reply is None:
        return
    status = reply.json()
    if status["status"] != "finished" or not status.get("report"):
        api.problems.append(f"status {tag}: {status['status']} {status.get('error')}")
        return
    reply = api.call("pdf", "GET", status["links"]["pdf"], inst.token, what=tag)
    if reply is None:
        return
    digest = hashlib.sha256(reply.content).hexdigest()
    if not reply.content.startswith(b"%PDF"):
        api.problems.append(f"pdf {tag}: not a PDF ({reply.content[:20]!r})")
    elif digest != status["report"]["sha256"] or digest != reply.headers.get("X-Content-SHA256"):
        api.problems.append(f"pdf {tag}: sha256 {digest} differs from the one announced")
    else:
        downloads[inst.index] = digest


def run_clients(
    count: int,
    jobs: list[Institution],
    work: Callable[[Api, Institution], None],
    base: str,
    deadline: float,
    samples: list[Sample],
    problems: list[str],
) -> tuple[float, bool]:
    """`count` threads take the institutions one after another; (seconds, cut off by
    the deadline)."""
    pending = iter(jobs)
    lock = threading.Lock()
    errors: list[BaseException] = []
    cut_off = threading.Event()

    def client() -> None:
        api = Api(base, samples, problems)
        try:
            while True:
                with lock:
                    inst = next(pending, None)
                if inst is None:
                    return
                if time.monotonic() > deadline:
                    cut_off.set()
                    return
                work(api, inst)
        except BaseException as error:  # noqa: BLE001 - reported by the caller
            errors.append(error)
        finally:
            api.http.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic() + 150))
    if any(thread.is_alive() for thread in threads):
        cut_off.set()
        problems.append("client threads still running at the time limit")
    if errors:
        raise RuntimeError(f"{len(errors)} client threads failed: {errors[0]!r}")
    return time.monotonic() - started, cut_off.is_set()


# --------------------------------------------------------------------------- report workers


class ReportWorkers:
    """W `audit-app worker` processes on one queue; stopped on exit (SIGTERM: RQ's warm
    shutdown, SIGKILL after 15 s). Ready when Redis lists all of them on the queue."""

    def __init__(self, count: int, env: dict[str, str], redis_url: str, queue: str) -> None:
        self.count, self.env, self.redis_url, self.queue = count, env, redis_url, queue
        self.processes: list[subprocess.Popen[bytes]] = []
        self.logs: list[Path] = []

    def __enter__(self) -> ReportWorkers:
        from redis import Redis
        from rq import Queue, Worker

        for _ in range(self.count):
            log = Path(tempfile.mkstemp(prefix="campaign-worker-", suffix=".log")[1])
            with log.open("wb") as out:
                self.processes.append(
                    subprocess.Popen(  # noqa: S603 - our own fixed command
                        [str(BIN / "audit-app"), "worker"],
                        cwd=ROOT,
                        env=self.env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
            self.logs.append(log)
        connection = Redis.from_url(self.redis_url)
        queue = Queue(self.queue, connection=connection)
        deadline = time.monotonic() + 60
        while len(Worker.all(queue=queue)) < self.count:
            if self.dead():
                raise RuntimeError(f"a report worker exited:\n{self.log_text()[-3000:]}")
            if time.monotonic() > deadline:
                self.__exit__(RuntimeError, None, None)
                raise RuntimeError("the report workers did not start within 60 s")
            time.sleep(POLL_SECONDS)
        connection.close()
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)

    def remove_logs(self) -> None:
        for log in self.logs:
            log.unlink(missing_ok=True)

    def dead(self) -> bool:
        return any(process.poll() is not None for process in self.processes)

    def cpu_seconds(self) -> float:
        return sum(process_cpu_seconds(p.pid) for p in self.processes)

    def log_text(self) -> str:
        return "\n".join(log.read_text(errors="replace") for log in self.logs if log.exists())


def clean_redis(redis_url: str, queue_name: str, engine: Any) -> None:
    """Remove our queue, its registries and its jobs (ids from report_requests) from
    Redis."""
    from redis import Redis
    from rq import Queue
    from rq.job import Job
    from sqlalchemy import select

    from audit_app.models import ReportRequest

    with engine.connect() as conn:
        job_ids = [j for (j,) in conn.execute(select(ReportRequest.job_id)) if j]
    connection = Redis.from_url(redis_url)
    try:
        Queue(queue_name, connection=connection).delete(delete_jobs=True)  # and from rq:queues
        for start in range(0, len(job_ids), 500):
            for job in Job.fetch_many(job_ids[start : start + 500], connection=connection):
                if job is not None:
                    job.delete()
        keys = list(connection.scan_iter(match=f"rq:*{queue_name}*", count=1000))
        if keys:
            connection.delete(*keys)
    finally:
        connection.close()


@dataclass
class Drain:
    """The PDFs rendered after the last client call, when only the workers run."""

    pdfs: int
    seconds: float
    cpu: float

    @property
    def per_minute(self) -> float:
        return self.pdfs / self.seconds * 60 if self.seconds else 0.0


def finished_count(engine: Any) -> int:
    from sqlalchemy import func, select

    from audit_app.models import ReportRequest

    query = select(func.count()).where(ReportRequest.status == "finished")
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def wait_for_reports(
    engine: Any, expected: int, deadline: float, workers: ReportWorkers
) -> tuple[Counter[str], str]:
    """Poll report_requests until every request is finished or failed, counting as
    failed the jobs RQ put in its failed registry too (a worker killed outright runs no
    failure callback, so its request shows `failed` only when somebody asks for its
    status); (statuses, with `failed in the worker`, why it stopped early or '')."""
    from redis import Redis
    from rq import Queue
    from rq.registry import FailedJobRegistry
    from sqlalchemy import func, select

    from audit_app.models import ReportRequest

    query = select(ReportRequest.status, func.count()).group_by(ReportRequest.status)
    connection = Redis.from_url(workers.redis_url)
    failed_jobs = FailedJobRegistry(queue=Queue(workers.queue, connection=connection))
    last_print = 0.0
    try:
        while True:
            with engine.connect() as conn:
                statuses = Counter({str(s): int(n) for s, n in conn.execute(query)})
            died = failed_jobs.count
            if died:
                statuses["failed in the worker"] = died
            if statuses["finished"] + statuses["failed"] + died >= expected:
                return statuses, ""
            if time.monotonic() - last_print > 10:
                print(f"  reports: {dict(statuses)}", file=sys.stderr)
                last_print = time.monotonic()
            if workers.dead():
                return statuses, "a report worker exited"
            if time.monotonic() > deadline:
                return statuses, "time limit"
            time.sleep(POLL_SECONDS)
    finally:
        connection.close()


# --------------------------------------------------------------------------- verification


@dataclass
class Verified:
    audits_submitted: int = 0
    answers_intact: int = 0
    requests: Counter[str] = field(default_factory=Counter)
    pdfs_valid: int = 0
    pdf_sizes: list[int] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    queue_wait: list[float] = field(default_factory=list)
    render: list[float] = field(default_factory=list)
    first_submitted: datetime | None = None
    first_requested: datetime | None = None
    first_started: datetime | None = None
    last_finished: datetime | None = None


def verify(
    engine: Any, institutions: list[Institution], downloads: dict[int, str], problems: list[str]
) -> Verified:
    from sqlalchemy import func, select

    from audit_app.models import Answer, Audit, IssuedReport, ReportRequest

    out = Verified()
    by_audit = {inst.audit_id: inst for inst in institutions if inst.audit_id}
    with engine.connect() as conn:
        total_audits = conn.scalar(select(func.count(Audit.id)))
        if total_audits != len(institutions):
            problems.append(f"verify: {total_audits} audits, expected {len(institutions)}")
        submitted: list[datetime] = []
        for audit_id, status, submitted_at in conn.execute(
            select(Audit.id, Audit.status, Audit.submitted_at)
        ):
            if status == "submitted" and audit_id in by_audit:
                out.audits_submitted += 1
                submitted.append(_utc(submitted_at))  # type: ignore[arg-type]
            else:
                problems.append(f"verify: audit {audit_id} is {status}")
        out.first_submitted = min(submitted, default=None)
        stored: dict[int, dict[str, Any]] = defaultdict(dict)
        for audit_id, question_id, value in conn.execute(
            select(Answer.audit_id, Answer.question_id, Answer.value)
        ):
            stored[audit_id][question_id] = value
        for audit_id, inst in by_audit.items():
            if stored.get(audit_id) == inst.answers and inst.answers:
                out.answers_intact += 1
            else:
                problems.append(f"verify: audit {audit_id}: answers differ from those sent")

        requests_by_id = {inst.request_id: inst for inst in institutions if inst.request_id}
        report_of: dict[int, int] = {}
        created, started, finished = [], [], []
        for row in conn.execute(
            select(
                ReportRequest.id,
                ReportRequest.audit_id,
                ReportRequest.status,
                ReportRequest.error,
                ReportRequest.report_id,
                ReportRequest.created_at,
                ReportRequest.started_at,
                ReportRequest.finished_at,
            )
        ):
            out.requests[row.status] += 1
            owner = requests_by_id.get(row.id)
            if owner is None or owner.audit_id != row.audit_id:
                problems.append(f"verify: unexpected report request {row.id}")
            if row.status != "finished" or row.report_id is None:
                problems.append(f"verify: request {row.id} {row.status} ({row.error})")
                continue
            report_of[row.report_id] = row.id
            c, s, f = _utc(row.created_at), _utc(row.started_at), _utc(row.finished_at)
            assert c is not None and s is not None and f is not None
            created.append(c)
            started.append(s)
            finished.append(f)
            out.queue_wait.append((s - c).total_seconds())
            out.render.append((f - s).total_seconds())
        out.first_requested = min(created, default=None)
        out.first_started = min(started, default=None)
        out.last_finished = max(finished, default=None)

        issued = conn.scalar(select(func.count(IssuedReport.id)))
        if issued != len(requests_by_id):
            problems.append(f"verify: {issued} issued reports, expected {len(requests_by_id)}")
        rows = conn.execution_options(stream_results=True, yield_per=50).execute(
            select(
                IssuedReport.id,
                IssuedReport.sha256,
                IssuedReport.pdf,
                IssuedReport.size,
                IssuedReport.pages,
            )
        )
        for report_id, sha256, pdf, size, pages in rows:
            pdf = bytes(pdf)
            request_id = report_of.get(report_id)
            owner = requests_by_id.get(request_id) if request_id else None
            if owner is None:
                problems.append(f"verify: issued report {report_id} belongs to no request")
            elif not pdf.startswith(b"%PDF") or hashlib.sha256(pdf).hexdigest() != sha256:
                problems.append(f"verify: report {report_id}: not a PDF or sha256 differs")
            elif size != len(pdf):
                problems.append(f"verify: report {report_id}: size {size} != {len(pdf)}")
            elif downloads.get(owner.index) != sha256:
                problems.append(f"verify: report {report_id}: the download differed")
            else:
                out.pdfs_valid += 1
                out.pdf_sizes.append(len(pdf))
                out.pages.append(int(pages))
    return out


# --------------------------------------------------------------------------- bare WeasyPrint


def report_html(url: str, secret: str, audit_id: int, design: str, lang: str) -> str:
    """The finished HTML of one campaign audit's report (as bench_reports.py gets it)."""
    from audit_app import create_app
    from audit_app.extensions import db
    from audit_app.models import Audit
    from audit_app.services.report_archive import render_audit

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret})
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit is not None
        _context, rendered = render_audit(audit, design, lang)
        db.session.remove()
        db.engine.dispose()
    return rendered.html


def _bare_process(
    reports_dir: str, design: str, html: str, renders: int, barrier: Any, results: Any
) -> None:
    from audit_app.reporting.pdf import ReportRenderer

    engine = ReportRenderer(Path(reports_dir))
    engine.html_to_pdf(design, html)  # warm-up: fonts and stylesheets, as a worker has
    barrier.wait(timeout=300)
    started, cpu = time.monotonic(), time.process_time()
    for _ in range(renders):
        pdf, _pages = engine.html_to_pdf(design, html)
        if not pdf.startswith(b"%PDF"):
            raise RuntimeError("WeasyPrint made no PDF")
    results.put((started, time.monotonic(), time.process_time() - cpu, renders))


@dataclass
class Bare:
    renders: int
    seconds: float
    cpu_per_pdf: float

    @property
    def per_minute(self) -> float:
        return self.renders / self.seconds * 60 if self.seconds else 0.0


def bare_weasyprint(html: str, design: str, processes: int, renders: int) -> Bare:
    """`processes` fresh processes render the same HTML `renders` times each, all
    starting together; PDFs per minute over the span from the first start to the last
    end."""
    from audit_app.config import Config

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    results = context.Queue()
    workers = [
        context.Process(
            target=_bare_process,
            args=(str(Config.REPORTS_DIR), design, html, renders, barrier, results),
        )
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=900) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    span = max(end for _, end, _, _ in outcomes) - min(start for start, _, _, _ in outcomes)
    total = sum(n for *_, n in outcomes)
    return Bare(total, span, sum(cpu for _, _, cpu, _ in outcomes) / total)


# --------------------------------------------------------------------------- report


def ms(values: list[float], p: float) -> str:
    return f"{percentile(values, p) * 1000:.0f}"


def seconds_text(values: list[float], p: float) -> str:
    return f"{percentile(values, p):.1f} s"


def versions() -> str:
    out = []
    try:
        import psycopg

        out.append(f"psycopg {psycopg.__version__}")
    except ImportError:
        pass
    for name in ("weasyprint", "rq", "redis"):
        out.append(f"{name} {version(name)}")
    return ", ".join(out)


def server_versions(engine: Any, redis_url: str) -> str:
    from redis import Redis
    from sqlalchemy import text

    parts = []
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            parts.append(str(conn.scalar(text("SHOW server_version"))).split()[0])
            parts[-1] = f"PostgreSQL {parts[-1]}"
        else:
            parts.append(f"SQLite {conn.scalar(text('select sqlite_version()'))}")
    connection = Redis.from_url(redis_url)
    parts.append(f"Redis {connection.info('server')['redis_version']}")
    connection.close()
    return ", ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--url", help=f"PostgreSQL URL (default {DEFAULT_PG})")
    parser.add_argument("--institutions", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50, help="concurrent API clients")
    parser.add_argument("--workers-rq", type=int, default=2, help="report worker processes")
    parser.add_argument("--design", choices=("brief", "full"), default="brief")
    parser.add_argument("--lang", choices=("pl", "en"), default="pl")
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int, default=4, help="per gthread worker")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--bare-renders", type=int, default=20, help="per baseline process")
    parser.add_argument("--time-limit", type=float, default=3600.0, help="seconds, all phases")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--page-repeat", type=int, default=10, help="organiser page requests")
    parser.add_argument("--report-repeat", type=int, default=2, help="campaign report PDFs")
    parser.add_argument(
        "--cold-questionnaire",
        action="store_true",
        help="do not store the questionnaire's version before the campaign: the first "
        "audits then store it concurrently (the race of services.questionnaires."
        "store_version)",
    )
    args = parser.parse_args()
    if min(args.institutions, args.clients, args.workers_rq, args.bare_renders) < 1:
        parser.error("counts must be at least 1")

    from redis import Redis
    from sqlalchemy import create_engine

    try:
        with Redis.from_url(args.redis_url, socket_connect_timeout=2) as connection:
            connection.ping()
    except Exception as error:  # noqa: BLE001 - any reason means: no Redis to use
        print(f"Redis at {args.redis_url} cannot be reached: {error!r}")
        return 1
    url = args.url or DEFAULT_PG
    workdir = Path(tempfile.mkdtemp(prefix="campaign-"))
    if args.database == "sqlite":
        url = f"sqlite:///{workdir / 'campaign.sqlite'}"
    else:
        prepare_postgresql(url)

    secret = os.urandom(16).hex()
    queue_name = f"campaign-{uuid.uuid4().hex[:12]}"
    print(
        f"# Campaign: {args.institutions} institutions, {args.clients} clients, "
        f"{args.workers_rq} report workers, design {args.design}, {args.database}"
    )
    started = run_started = time.monotonic()
    institutions = seed(url, args.institutions, secret, not args.cold_questionnaire)
    campaign_id = enrol(
        url, secret, [i.organisation_id for i in institutions], QUESTIONNAIRE, PASSWORD
    )
    seed_seconds = time.monotonic() - started
    print(f"- seeded {len(institutions)} institutions in {seed_seconds:.1f} s", file=sys.stderr)

    env = {
        "DATABASE_URL": url,
        "SECRET_KEY": secret,
        "REDIS_URL": args.redis_url,
        "REPORT_QUEUE": queue_name,
    }
    server = Gunicorn(
        "_apps:audit_app()",
        env=env,
        workers=args.web_workers,
        worker_class=args.worker_class,
        threads=args.threads if args.worker_class == "gthread" else 1,
        timeout=120,
    )
    workers = ReportWorkers(args.workers_rq, {**os.environ, **env}, args.redis_url, queue_name)
    engine = create_engine(url)
    samples: list[Sample] = []
    problems: list[str] = []
    downloads: dict[int, str] = {}
    page_timings: list[Any] = []
    stopped = ""
    deadline = time.monotonic() + args.time_limit
    try:
        with server, workers:
            print(
                f"- gunicorn at {server.url}, {args.workers_rq} workers on {queue_name}",
                file=sys.stderr,
            )
            web_cpu_before, rq_cpu_before = server.worker_cpu_seconds(), workers.cpu_seconds()

            def campaign_work(api: Api, inst: Institution) -> None:
                # The same answers for the same institution in every run.
                rng = random.Random(args.seed * 100_003 + inst.index)  # noqa: S311 - test data
                campaign_one(api, inst, rng, args.design, args.lang)

            campaign_started = time.monotonic()
            client_seconds, cut_off = run_clients(
                args.clients, institutions, campaign_work, server.url, deadline, samples, problems
            )
            web_cpu = server.worker_cpu_seconds() - web_cpu_before
            # From here on the report workers have the machine to themselves: their rate
            # and CPU per PDF in this "drain" phase compare with bare WeasyPrint without
            # the clients, gunicorn and PostgreSQL competing for the cores.
            drain_started, drain_cpu_before = time.monotonic(), workers.cpu_seconds()
            finished_before_drain = finished_count(engine)
            print(
                f"- clients done in {client_seconds:.1f} s; waiting for the PDFs", file=sys.stderr
            )
            requested = sum(1 for inst in institutions if inst.request_id)
            statuses, stopped = wait_for_reports(engine, requested, deadline, workers)
            pdfs_done = time.monotonic()
            rq_cpu = workers.cpu_seconds() - rq_cpu_before
            drain = Drain(
                pdfs=finished_count(engine) - finished_before_drain,
                seconds=pdfs_done - drain_started,
                cpu=workers.cpu_seconds() - drain_cpu_before,
            )
            print(
                f"- PDFs done {pdfs_done - campaign_started - client_seconds:.1f} s after "
                f"the clients: {dict(statuses)}",
                file=sys.stderr,
            )
            if not stopped:
                download_seconds, cut = run_clients(
                    args.clients,
                    [inst for inst in institutions if inst.request_id],
                    lambda api, inst: download_one(api, inst, downloads),
                    server.url,
                    deadline,
                    samples,
                    problems,
                )
                cut_off = cut_off or cut
                print(
                    f"- statuses and PDFs downloaded in {download_seconds:.1f} s", file=sys.stderr
                )
                print("- the organiser's pages", file=sys.stderr)
                page_timings = organiser_pages(
                    server, campaign_id, PASSWORD, args.page_repeat, args.report_repeat
                )
                problems.extend(
                    f"{t.name}: HTTP {t.status}" for t in page_timings if t.status != 200
                )
            web_log = server.log_text()
    finally:
        clean_redis(args.redis_url, queue_name, engine)
        worker_log = workers.log_text()
        workers.remove_logs()
    machine_extra = server_versions(engine, args.redis_url)
    checked = verify(engine, institutions, downloads, problems)
    engine.dispose()

    print(
        f"- WeasyPrint alone: {args.workers_rq} processes x {args.bare_renders} renders",
        file=sys.stderr,
    )
    sample_audit = next((i.audit_id for i in institutions if i.done), 0)
    bare = None
    if sample_audit:
        html = report_html(url, secret, sample_audit, args.design, args.lang)
        bare = bare_weasyprint(html, args.design, args.workers_rq, args.bare_renders)
        print(f"- baseline: {bare.renders} PDFs in {bare.seconds:.1f} s", file=sys.stderr)

    # ----------------------------------------------------------------------- summary
    kinds = Counter(s.kind for s in samples)
    by_kind: dict[str, list[float]] = defaultdict(list)
    statuses_by_kind: dict[str, Counter[int]] = defaultdict(Counter)
    for s in samples:
        by_kind[s.kind].append(s.seconds)
        statuses_by_kind[s.kind][s.status] += 1
    all_statuses = Counter(s.status for s in samples)
    server_errors = sum(n for code, n in all_statuses.items() if code >= 500)
    transport = all_statuses.get(0, 0)
    campaign_samples = [s for s in samples if s.kind in CAMPAIGN_CALLS]
    n_campaign = len(campaign_samples)
    n = len(institutions)
    finished = checked.requests["finished"]
    end_to_end = render_span = 0.0
    if checked.first_submitted and checked.last_finished:
        end_to_end = (checked.last_finished - checked.first_submitted).total_seconds()
    if checked.first_started and checked.last_finished:
        render_span = (checked.last_finished - checked.first_started).total_seconds()
    e2e_rate = finished / end_to_end * 60 if end_to_end else 0.0
    render_rate = finished / render_span * 60 if render_span else 0.0
    tracebacks = web_log.count("Traceback") + worker_log.count("Traceback")

    print()
    extra = [
        f"- {server.describe}; {args.workers_rq} report workers (`audit-app worker`, RQ "
        f"SimpleWorker); {args.clients} client threads (requests) on the same machine",
        f"- {machine_extra}; {versions()}",
        f"- load average at the end: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}",
    ]
    for line in machine_lines(extra):
        print(line)
    print()
    print(
        f"Seeding (migrations, {n} consultants, organisations, tokens"
        f"{'' if args.cold_questionnaire else ', the questionnaire version'}): "
        f"{seed_seconds:.0f} s. "
        f"Campaign calls: {n_campaign} in {client_seconds:.1f} s = "
        f"**{n_campaign / client_seconds:.0f} requests/s**; gunicorn worker CPU "
        f"{web_cpu / max(1, n_campaign) * 1000:.1f} ms/request."
    )
    print()
    print("| API call | count | p50 ms | p99 ms | max ms | statuses |")
    print("|---|---|---|---|---|---|")
    for kind in EXPECTED:
        if kinds[kind]:
            values = by_kind[kind]
            codes = dict(sorted(statuses_by_kind[kind].items()))
            print(
                f"| {kind} | {kinds[kind]} | {ms(values, 50)} | {ms(values, 99)} "
                f"| {max(values) * 1000:.0f} | {codes} |"
            )
    print()
    print("| PDFs | value |\n|---|---|")
    failed_requests = checked.requests["failed"]
    other = sum(checked.requests.values()) - finished - failed_requests
    print(
        f"| report requests finished / failed / other | {finished} / {failed_requests} / {other} |"
    )
    print(f"| first submission -> last PDF | {end_to_end:.1f} s |")
    print(f"| PDFs/minute, first submission -> last PDF | **{e2e_rate:.0f}** |")
    print(
        f"| PDFs/minute, first render started -> last PDF ({render_span:.1f} s) "
        f"| **{render_rate:.0f}** |"
    )
    after_clients = pdfs_done - campaign_started - client_seconds
    print(f"| last PDF after the last client call | {after_clients:.1f} s |")
    print(
        f"| queue wait (started - created) p50 / p99 | {seconds_text(checked.queue_wait, 50)} "
        f"/ {seconds_text(checked.queue_wait, 99)} |"
    )
    print(
        f"| render time (finished - started) p50 / p99 | {ms(checked.render, 50)} ms / "
        f"{ms(checked.render, 99)} ms |"
    )
    print(f"| report worker CPU per PDF | {rq_cpu / max(1, finished):.2f} s |")
    print(
        f"| PDF size p50 / pages p50 | {percentile(checked.pdf_sizes, 50) / 1024:.0f} KB / "
        f"{percentile(checked.pages, 50):.0f} |"
    )
    if bare is not None:
        print()
        print("| rendering | PDFs | PDFs/minute | CPU s per PDF |\n|---|---|---|---|")
        print(
            f"| WeasyPrint alone, {args.workers_rq} processes, same HTML | {bare.renders} "
            f"| {bare.per_minute:.0f} | {bare.cpu_per_pdf:.2f} |"
        )
        print(
            f"| campaign, render span | {finished} | {render_rate:.0f} "
            f"| {rq_cpu / max(1, finished):.2f} |"
        )
        print(f"| campaign, first submission -> last PDF | {finished} | {e2e_rate:.0f} | |")
        if drain.pdfs:
            print(
                f"| campaign, after the last client call (workers alone) | {drain.pdfs} "
                f"| {drain.per_minute:.0f} | {drain.cpu / drain.pdfs:.2f} |"
            )
        if bare.per_minute:
            ratio = render_rate / bare.per_minute
            print(
                f"\nCampaign / bare WeasyPrint throughput: **{ratio:.2f}**"
                f" (render span), {e2e_rate / bare.per_minute:.2f} (first submission -> "
                f"last PDF); CPU per PDF worker / bare: "
                f"{rq_cpu / max(1, finished) / bare.cpu_per_pdf:.2f}."
            )
            if drain.pdfs:
                print(
                    f"Workers alone (after the clients) / bare WeasyPrint: throughput "
                    f"**{drain.per_minute / bare.per_minute:.2f}**, CPU per PDF "
                    f"{drain.cpu / drain.pdfs / bare.cpu_per_pdf:.2f}."
                )
    if page_timings:
        print()
        print("\n".join(table(page_timings, len(institutions))))
    print()
    print("| check | value |\n|---|---|")
    print(f"| audits submitted with exactly the answers sent | {checked.answers_intact} / {n} |")
    print(f"| report requests finished | {finished} / {n} |")
    print(f"| issued PDFs: %PDF, sha256 as stored and as downloaded | {checked.pdfs_valid} / {n} |")
    print(f"| HTTP statuses (all calls) | {dict(sorted(all_statuses.items()))} |")
    print(f"| 5xx / transport errors | {server_errors} / {transport} |")
    print(f"| tracebacks in server and worker logs | {tracebacks} |")
    print(f"| stopped early | {stopped or ('time limit' if cut_off else 'no')} |")

    failed = bool(
        problems
        or server_errors
        or transport
        or cut_off
        or stopped
        or tracebacks
        or checked.answers_intact != n
        or finished != n
        or checked.pdfs_valid != n
        or statuses["failed"]
        or statuses["failed in the worker"]
        or bare is None
    )
    if problems:
        print(f"\n{len(problems)} problems, first ones:")
        for problem in problems[:12]:
            print(f"  {problem}")
    if tracebacks:
        log = web_log if "Traceback" in web_log else worker_log
        last = log[log.rfind("Traceback") :].splitlines()
        print("\nlast traceback ends with:\n  " + "\n  ".join(last[-6:]))
    print(
        "\nRESULT:",
        "FAIL" if failed else "OK (every audit submitted, every PDF rendered and intact, no 5xx)",
    )
    if failed:
        (workdir / "gunicorn.log").write_text(web_log)
        (workdir / "workers.log").write_text(worker_log)
        kept = "database and logs" if args.database == "sqlite" else "logs"
        print(f"({kept} kept in {workdir})")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"- whole run {time.monotonic() - run_started:.0f} s", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    sys.exit(main())
