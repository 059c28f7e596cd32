"""Every HTML page the app serves passes the Nu HTML checker (issue 15, item 11).

The pages are collected with the test client from the authorisation table's World (every
GET route, so every page the browser and web tests visit, and more), as an administrator,
a consultant and an anonymous visitor, in Polish and in English; then checked in one
run of vnu.jar (one JVM start)."""

from __future__ import annotations

from pathlib import Path

from audit_app.extensions import db
from audit_app.models import PersonPhone, User
from tests.conftest import login
from tests.support.checkers import html_errors
from tests.web.test_authorisation import ACCESS, build_world, url_for_rule

LANGUAGES = ("pl", "en")
ROLES = ("admin", "consultant", "anonymous")


def _set_language(app, email: str, language: str) -> None:
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
        user.language = language
        db.session.commit()


def collect_pages(app, world, tmp_path: Path) -> dict[Path, str]:
    """Each HTML page (status 200) saved to a file; returns file -> what was visited."""
    pages: dict[Path, str] = {}
    for role in ROLES:
        for language in LANGUAGES:
            client = app.test_client()
            headers = {"Accept-Language": language}
            if role != "anonymous":
                _set_language(app, f"{role}@example.org", language)
                login(client, f"{role}@example.org")
            for (endpoint, method), rule in sorted(ACCESS.items()):
                if method != "GET" or endpoint.startswith("api."):
                    continue
                url = url_for_rule(app, endpoint, rule, world)
                response = client.get(url, headers=headers)
                if response.status_code == 200 and response.mimetype == "text/html":
                    path = tmp_path / f"{role}-{language}-{endpoint}.html"
                    path.write_bytes(response.data)
                    pages[path] = f"{role} {language} GET {url}"
                response.close()
    return pages


def test_every_page_is_valid_html(app, clean_db, tmp_path):
    world = build_world(app)
    with app.app_context():  # a phone typed with spaces, shown as a tel: link
        db.session.add(
            PersonPhone(
                person_id=world.person_id,
                phone="+48 42 123 45 67",
                phone_key="48421234567",
                is_primary=True,
            )
        )
        db.session.commit()
    pages = collect_pages(app, world, tmp_path)
    # A floor, so a broken login or World cannot make the check pass on nothing.
    assert len(pages) > 150, sorted(pages.values())
    errors = html_errors(sorted(pages))
    found = sorted(
        {
            f"{pages[Path(str(e['url']).removeprefix('file:'))]}: line {e.get('lastLine')}: "
            f"{e['message']} [{str(e.get('extract', '')).strip()}]"
            for e in errors
        }
    )
    assert found == [], "\n".join(found)
