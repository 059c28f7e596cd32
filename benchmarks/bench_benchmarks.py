"""Peer benchmark cost (issue 16): 10,000 organisations, 20,000 submitted audits of the
library questionnaire (and their area scores) in a temporary SQLite database; times the
benchmark of one audit (`services.benchmarks.benchmark_for_audit`: the peer group's
latest audits and their cell counts in SQL, the anonymised distribution in Python) and
compares it with bare SQLAlchemy over the same rows.

    .venv/bin/python benchmarks/bench_benchmarks.py [--orgs 10000 --audits 20000
        --repeat 30 --explain --url postgresql+psycopg://...]

Numbers go to docs/benchmarks.md ("Peer benchmarks").
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text

TYPES = ("library", "library", "library", "library", "company", "public", "ngo", "other")
SIZES = ("micro", "small", "medium", "large")


sys.path.insert(0, str(Path(__file__).resolve().parent))
from _goals import record  # noqa: E402


def fill(app: Any, organisations: int, audits: int) -> int:
    """Organisations (4 in 5 consenting) with `audits` submitted audits spread over
    them; returns the id of the audit to benchmark (a library's latest)."""
    from audit_app.extensions import db
    from audit_app.models import Audit, Organisation, User
    from audit_app.models.audits import AuditSectionScore
    from audit_app.services.questionnaires import catalogue, store_version

    rng = random.Random(16)  # noqa: S311 - reproducible data, not security
    with app.app_context():
        questionnaire = catalogue().get("library-crm-audit")
        version = store_version(questionnaire)
        user = User(email="bench@example.org", name="Bench", password_hash="x", role="admin")  # noqa: S106
        db.session.add(user)
        db.session.flush()
        org_rows = [
            {
                "id": i,
                "name": f"Organizacja nr {i}",
                "type": TYPES[i % len(TYPES)],
                "size": SIZES[(i // 8) % len(SIZES)],
                "benchmark_consent": i % 5 != 0,
                "created_by_id": user.id,
            }
            for i in range(1, organisations + 1)
        ]
        db.session.execute(insert(Organisation), org_rows)
        sections = [s.id for s in questionnaire.sections]
        start = datetime(2025, 1, 1, tzinfo=UTC)
        audit_rows, score_rows = [], []
        for audit_id in range(1, audits + 1):
            organisation_id = (audit_id - 1) % organisations + 1
            areas = [round(rng.uniform(0, 100), 3) for _ in sections]
            when = start + timedelta(hours=audit_id)
            audit_rows.append(
                {
                    "id": audit_id,
                    "organisation_id": organisation_id,
                    "questionnaire_version_id": version.id,
                    "status": "submitted",
                    "created_by_id": user.id,
                    "started_at": when,
                    "submitted_at": when,
                    "overall": sum(areas) / len(areas),
                    "verdict": "conditional",
                    # A deleted audit now and then: the benchmark must skip it.
                    "deleted_at": when if audit_id % 97 == 0 else None,
                }
            )
            score_rows += [
                {"audit_id": audit_id, "section_id": s, "score": v}
                for s, v in zip(sections, areas, strict=True)
            ]
        db.session.execute(insert(Audit), audit_rows)
        db.session.execute(insert(AuditSectionScore), score_rows)
        if db.engine.dialect.name == "postgresql":  # explicit ids leave the sequences behind
            for table in ("organisations", "audits"):
                db.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {table}))"
                    )  # fmt: skip
                )
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # what autovacuum does after such a load
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("ANALYZE"))
        # The asking audit: the latest of organisation 1 (a library), with a real result.
        from audit_app.commands.demo import submitted_peer_audit

        own = submitted_peer_audit(db.session.get(Organisation, 1), questionnaire, user, 0.5)
        db.session.commit()
        return own.id


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of `repeat` runs after one warm-up. SQLite runs
    in this process, so CPU time is the cost itself, free of other load on the machine."""
    action()
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--audits", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--url", default=None, help="an empty database (default: SQLite)")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from audit_app import create_app
    from audit_app.config import TestConfig
    from audit_app.extensions import db
    from audit_app.models import Audit
    from audit_app.models.audits import AuditSectionScore
    from audit_app.services.benchmarks import PeerGroup, benchmark_for_audit, latest_peer_audits

    tmp = Path(tempfile.mkdtemp(prefix="bench-benchmarks-"))
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config["SQLALCHEMY_DATABASE_URI"] = args.url or f"sqlite:///{tmp / 'bench.sqlite'}"
    app = create_app(config)
    app.instance_path = str(tmp / "instance")
    with app.app_context():
        upgrade()
    started = time.perf_counter()
    audit_id = fill(app, args.orgs, args.audits)
    print(
        f"filled {args.orgs} organisations, {args.audits} submitted audits "
        f"in {time.perf_counter() - started:.1f} s "
        f"({config['SQLALCHEMY_DATABASE_URI'].split(':')[0]})"
    )
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit is not None
        facts = benchmark_for_audit(audit)
        overall = facts.benchmark.overall
        assert overall is not None
        print(
            f"peer group: {facts.peers} libraries (latest audit each), overall n={overall.n}, "
            f"median {overall.median}, areas {len(facts.benchmark.areas)}"
        )
        group = PeerGroup(
            "library-crm-audit", "library", exclude_organisation_id=audit.organisation_id
        )
        latest = latest_peer_audits(group)

        def bare_count() -> object:
            # One statement over the same rows, nothing fetched: the floor.
            return db.session.execute(select(func.count()).select_from(latest)).scalar()

        def bare_rows() -> object:
            # What a benchmark without SQL aggregates would read: every peer score.
            return db.session.execute(
                select(
                    latest.c.overall, AuditSectionScore.section_id, AuditSectionScore.score
                ).join(AuditSectionScore, AuditSectionScore.audit_id == latest.c.audit_id)
            ).all()

        ours = timed(lambda: benchmark_for_audit(audit), args.repeat)
        floor = timed(bare_count, args.repeat)
        rows = timed(bare_rows, args.repeat)
        print(f"{'':<52} {'wall':>8}    {'CPU':>8}")
        for label, (wall, cpu) in (
            ("benchmark of one audit (service), goal < 50 ms", ours),
            ("bare SQLAlchemy: count of the latest peer audits", floor),
            ("bare SQLAlchemy: fetch every peer area score", rows),
        ):
            print(f"{label:<52} {wall:8.1f} ms {cpu:8.1f} ms")
        print(
            f"ratio (CPU) against the bare count: {ours[1] / floor[1]:.2f}x; "
            f"against the fetch: {ours[1] / rows[1]:.2f}x"
        )
        print(f"load average while measuring: {os.getloadavg()[0]:.1f}")
        record(
            "peer benchmark of one audit, 10,000 organisations, 20,000 audits (issue 16; CPU)",
            f"{ours[1]:.1f} ms ({ours[1] / floor[1]:.2f}x a bare count of the peer audits)",
            "< 50 ms",
            ours[1] < 50,
            f"{facts.peers} peers, median of {args.repeat} runs",
        )
        if args.explain and db.engine.dialect.name == "sqlite":
            compiled = (
                select(func.count())
                .select_from(latest)
                .compile(db.engine, compile_kwargs={"literal_binds": True})
            )
            for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")):
                print("  ", row[-1])


if __name__ == "__main__":
    main()
