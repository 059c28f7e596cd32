"""End-to-end fixtures: the real app served over HTTP on 127.0.0.1 (a real database,
migrated), driven by Playwright in Debian's Chromium (/usr/bin/chromium)."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import text
from werkzeug.serving import make_server

from audit_app import create_app
from audit_app.config import TestConfig
from audit_app.extensions import db
from tests.conftest import BACKENDS, PASSWORD
from tests.support.checkers import AXE_JS, require_tools

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
pytestmark = pytest.mark.e2e


class LiveServer:
    def __init__(self, app, tmp: Path) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def reset_database(self) -> None:
        with self.app.app_context(), db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture(scope="session", params=BACKENDS)
def live_server(request, tmp_path_factory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp(f"e2e-{request.param}")
    url = (
        f"sqlite:///{tmp / 'e2e.sqlite'}"
        if request.param == "sqlite"
        else os.environ["TEST_DATABASE_URL"]
    )
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    app = create_app(
        {
            **config,
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
            "UPLOADED_QUESTIONNAIRES_DIR": str(tmp / "questionnaires"),
            "EVIDENCE_DIR": str(tmp / "evidence"),
        }
    )
    with app.app_context():
        if request.param == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
    server = LiveServer(app, tmp)
    server.thread.start()
    yield server
    server.server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def server(live_server: LiveServer) -> Iterator[LiveServer]:
    live_server.reset_database()
    yield live_server


@pytest.fixture
def page(browser: Browser, server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(base_url=server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


CONSULTANT = "con@example.org"


def create_consultant() -> Any:
    """The consultant most browser tests log in as (call inside an app context)."""
    from audit_app.services.accounts import create_user

    return create_user(
        email=CONSULTANT, name="Consultant", password=PASSWORD, role="consultant", language="en"
    )


def log_in(page: Page, email: str = CONSULTANT) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the current screen, from the npm package in tests/tools
    (`npm ci` there), injected into the page."""
    require_tools()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script>: the app's CSP allows no inline script.
        page.evaluate(_axe_source())
    return list(page.evaluate("async () => (await axe.run(document)).violations"))


def assert_accessible(page: Page) -> None:
    """No axe-core violation of any impact (minor and moderate included) on the screen."""
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in axe_violations(page)
    ]
    assert bad == [], "\n".join(bad)
