"""The organiser's campaign pages at N members, in process (no gunicorn, no Redis): a
SQLite database migrated with Alembic, N libraries each with one submitted audit of the
library questionnaire (answers drawn from a fixed seed, about one in ten "don't know"),
one campaign of them all organised by a consultant who sees none of them; then the
Flask test client, logged in as the organiser, times the participation page, the
aggregated results page and the campaign report (PDF): CPU (process time) and wall time
per request, median of --repeat after one warm-up request (which also fills any stored
rows an older database lacks; its time is printed separately).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/campaign_aggregate.py --members 1000
    ... --database /tmp/campaign-1000.sqlite   # seeded once, reused on later runs

A quicker, single-process companion of benchmarks/campaign.py's organiser pages; its
figures are comparable with each other, not with that script's gunicorn figures.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

PASSWORD = "benchmark-password-2026"  # noqa: S105 - a throwaway database
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ORGANISER = "network-organiser@example.org"


def seed(members: int) -> int:
    from sqlalchemy import select

    from audit_app.extensions import db
    from audit_app.models import Campaign, Organisation
    from audit_app.services import accounts, campaigns
    from audit_app.services import audits as audit_service
    from audit_app.services.questionnaires import catalogue

    existing = db.session.scalar(select(Campaign.id))
    if existing is not None:
        return existing
    rng = random.Random(16)  # noqa: S311 - benchmark data, not security
    admin = accounts.create_user(
        email="network-admin@example.org", name="Admin", password=PASSWORD, role="admin"
    )
    organiser = accounts.create_user(
        email=ORGANISER, name="Sieć bibliotek", password=PASSWORD, role="consultant"
    )
    db.session.flush()
    library = catalogue().get("library-crm-audit")
    assert library is not None
    today = date.today()
    data = campaigns.CampaignInput(
        "Sieć bibliotek województwa", library.id, today - timedelta(days=1),
        today + timedelta(days=5), "Organizator widzi udział i wyniki zbiorcze.", True,
    )  # fmt: skip
    campaign = campaigns.create(admin, data)
    campaigns.update(admin, campaign, data, organiser_id=organiser.id)
    for index in range(members):
        organisation = Organisation(
            name=f"Biblioteka {index + 1:04d}", type="library", created_by_id=admin.id
        )
        db.session.add(organisation)
        db.session.flush()
        audit = audit_service.start_audit(organisation, library, admin)
        base = rng.randint(0, 4)
        for question in library.questions:
            value = (
                "dont_know"
                if rng.random() < 0.1
                else str(max(0, min(4, base + rng.choice((-1, 0, 0, 1)))))
            )
            audit_service.save_answer(audit, question.id, value=value, user=admin)
        audit_service.submit(audit, admin)
        member = campaigns.add_member(admin, campaign, organisation)
        member.shares_results = index % 4 == 0
        if index % 100 == 99:
            db.session.commit()
            print(f"  {index + 1} members", file=sys.stderr)
    db.session.commit()
    return campaign.id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", help="SQLite file (seeded when new, else reused)")
    args = parser.parse_args()
    from flask_migrate import upgrade

    from audit_app import create_app
    from audit_app.extensions import db

    path = Path(args.database or Path(tempfile.mkdtemp()) / "campaign.sqlite")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SECRET_KEY": "benchmark",
            "RATELIMIT_ENABLED": False,
        }
    )
    started = time.perf_counter()
    with app.app_context():
        upgrade()
        campaign_id = seed(args.members)
    print(f"database ready in {time.perf_counter() - started:.0f} s: {path}", file=sys.stderr)
    client = app.test_client()
    token = CSRF.search(client.get("/login").text)
    assert token
    reply = client.post(
        "/login", data={"email": ORGANISER, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert reply.status_code == 302, reply.status_code
    base = f"/campaigns/{campaign_id}"
    pages = [
        ("participation page", base),
        ("aggregated results page", f"{base}/results"),
        ("campaign report (PDF, pl)", f"{base}/report.pdf?lang=pl"),
    ]
    print(f"| page ({args.members} members) | first request CPU ms | CPU ms p50 | wall ms p50 |")
    print("|---|---|---|---|")
    for name, url in pages:
        cpu0 = time.process_time()
        assert client.get(url).status_code == 200, url
        first = (time.process_time() - cpu0) * 1000
        cpus, walls = [], []
        for _ in range(args.repeat):
            cpu0, wall0 = time.process_time(), time.perf_counter()
            reply = client.get(url)
            cpus.append((time.process_time() - cpu0) * 1000)
            walls.append((time.perf_counter() - wall0) * 1000)
            assert reply.status_code == 200, (url, reply.status_code)
        print(
            f"| {name} | {first:.0f} | {statistics.median(cpus):.0f} "
            f"| {statistics.median(walls):.0f} |"
        )
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
