"""The campaign benchmark as a campaign (issue 16): before the API run, an administrator
creates a campaign of the questionnaire with every institution as a member (every
fourth agreeing to share its results) and names a network organiser who sees none of
the members' organisations; after it, the organiser's pages are timed one request at a
time: participation (/campaigns/<id>), aggregated results (/campaigns/<id>/results) and
the campaign report (PDF), against the bare Flask 40-field form page (`_apps.bare_app`)
served by its own gunicorn, as bench_web.py compares pages: wall time per request and
gunicorn worker CPU per request, and their ratios to the form page."""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass
from datetime import date, timedelta

import requests
from _webtools import USER_AGENT, Gunicorn

ORGANISER = "network-organiser@example.org"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def enrol(
    url: str, secret: str, organisation_ids: list[int], questionnaire: str, password: str
) -> int:
    """The campaign (period: yesterday to five days ahead, so reminders are due) with
    every organisation as a member; its id."""
    from audit_app import create_app
    from audit_app.extensions import db
    from audit_app.services import accounts, campaigns

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret})
    with app.app_context():
        admin = accounts.create_user(
            email="network-admin@example.org", name="Admin", password=password, role="admin"
        )
        organiser = accounts.create_user(
            email=ORGANISER, name="Sieć bibliotek", password=password, role="consultant"
        )
        db.session.flush()
        today = date.today()
        data = campaigns.CampaignInput(
            "Sieć bibliotek województwa", questionnaire, today - timedelta(days=1),
            today + timedelta(days=5), "Organizator widzi udział i wyniki zbiorcze.", True,
        )  # fmt: skip
        campaign = campaigns.create(admin, data)
        campaigns.update(admin, campaign, data, organiser_id=organiser.id)
        from audit_app.models import Organisation

        for index, organisation_id in enumerate(organisation_ids):
            member = campaigns.add_member(
                admin, campaign, db.session.get(Organisation, organisation_id)
            )
            member.shares_results = index % 4 == 0
        db.session.commit()
        campaign_id = campaign.id
        db.session.remove()
        db.engine.dispose()
    return campaign_id


@dataclass
class PageTiming:
    name: str
    requests: int
    wall_ms: float  # median
    cpu_ms: float  # gunicorn worker CPU per request
    size: int
    status: int


def _time(server: Gunicorn, http: requests.Session, path: str, name: str, n: int) -> PageTiming:
    http.get(server.url + path, timeout=600)  # warm: templates, questionnaire
    walls, size, status = [], 0, 0
    cpu_before = server.worker_cpu_seconds()
    for _ in range(n):
        started = time.perf_counter()
        reply = http.get(server.url + path, timeout=600)
        walls.append(time.perf_counter() - started)
        size, status = len(reply.content), reply.status_code
    cpu = server.worker_cpu_seconds() - cpu_before
    return PageTiming(name, n, statistics.median(walls) * 1000, cpu / n * 1000, size, status)


def organiser_pages(
    server: Gunicorn, campaign_id: int, password: str, repeat: int, report_repeat: int
) -> list[PageTiming]:
    http = requests.Session()
    http.headers["User-Agent"] = USER_AGENT
    token = CSRF.search(http.get(f"{server.url}/login", timeout=30).text)
    assert token
    reply = http.post(
        f"{server.url}/login",
        data={"email": ORGANISER, "password": password, "csrf_token": token.group(1)},
        allow_redirects=False,
        timeout=30,
    )
    assert reply.status_code == 302, reply.status_code
    base = f"/campaigns/{campaign_id}"
    timings = [
        _time(server, http, base, "participation page", repeat),
        _time(server, http, f"{base}/results", "aggregated results page", repeat),
        _time(
            server, http, f"{base}/report.pdf?lang=pl", "campaign report (PDF, pl)", report_repeat
        ),
    ]
    bare = Gunicorn("_apps:bare_app()", workers=1)
    with bare:
        plain = requests.Session()
        timings.append(_time(bare, plain, "/form", "bare Flask: 40-field form page", repeat * 5))
    return timings


def table(timings: list[PageTiming], members: int) -> list[str]:
    form = timings[-1]
    lines = [
        f"### Organiser's pages, {members} members (one request at a time)",
        "",
        "| page | requests | status | size | wall p50 ms | vs form page | worker CPU ms/request "
        "| CPU vs form page |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for t in timings:
        lines.append(
            f"| {t.name} | {t.requests} | {t.status} | {t.size:,} | {t.wall_ms:.1f} | "
            f"{t.wall_ms / form.wall_ms:.1f}x | {t.cpu_ms:.1f} | {t.cpu_ms / form.cpu_ms:.1f}x |"
        )
    return lines
