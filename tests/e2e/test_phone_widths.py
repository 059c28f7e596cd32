"""Phones (issue 15, item 2): at 390x844 no page scrolls sideways.

Every list and form page (every GET route of the authorisation table's World that
answers with HTML), as an administrator and a consultant in Polish (the longer words) and
anonymously, is opened in Chromium at phone size and must be no wider than the screen:
lists become stacked rows, filters fold behind one button."""

from __future__ import annotations

from playwright.sync_api import Browser

from tests.conftest import PASSWORD
from tests.web.test_authorisation import ACCESS, build_world, url_for_rule
from tests.web.test_html_validity import _set_language

PHONE = {"width": 390, "height": 844}

# What sticks out: the innermost elements whose right edge passes the screen's (but for
# those inside a scrolling box), to name in the failure message.
STICKING_OUT = """() => {
  const clipped = (e) => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return true;
    }
    return false;
  };
  const out = [...document.querySelectorAll('body *')].filter(
    (e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !clipped(e));
  return out.filter((e) => !out.some((o) => o !== e && e.contains(o))).slice(0, 3).map(
    (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
      (typeof e.className === 'string' && e.className ? '.' + e.className.replace(/ /g, '.') : '') +
      ' "' + (e.textContent || '').trim().slice(0, 30) + '"');
}"""


def _html_pages(app, world, role: str) -> list[str]:
    """The GET routes that answer this role with an HTML page (asked with the test client)."""
    from tests.conftest import login

    client = app.test_client()
    if role != "anonymous":
        login(client, f"{role}@example.org")
    urls = []
    for (endpoint, method), rule in sorted(ACCESS.items()):
        if method != "GET" or endpoint.startswith(("api.", "static")):
            continue
        url = url_for_rule(app, endpoint, rule, world)
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            urls.append(url)
        response.close()
    return urls


def _too_wide(browser: Browser, base_url: str, role: str, urls: list[str]) -> list[str]:
    context = browser.new_context(base_url=base_url, locale="pl-PL", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    if role != "anonymous":
        page.goto("/login")
        page.locator("input[name=email]").fill(f"{role}@example.org")
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form:has(input[name=password]) button[type=submit]").click()
        page.wait_for_url(lambda url: "/login" not in url)
    wide = []
    for url in urls:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        inner = page.evaluate("window.innerWidth")
        if width > inner:
            what = ", ".join(page.evaluate(STICKING_OUT))
            wide.append(f"{role} {url}: {width} px wide on a {inner} px screen ({what})")
    context.close()
    return wide


def test_no_page_scrolls_sideways_on_a_phone(browser: Browser, server):
    world = build_world(server.app)
    wide = []
    for role in ("admin", "consultant", "anonymous"):
        if role != "anonymous":
            _set_language(server.app, f"{role}@example.org", "pl")
        urls = _html_pages(server.app, world, role)
        assert len(urls) > (3 if role == "anonymous" else 30), urls
        wide += _too_wide(browser, server.url, role, urls)
    assert not wide, "\n".join(wide)


def test_a_question_jumped_to_lands_below_the_sticky_progress_bar(browser: Browser, server):
    """Anchors (#q-<id>) stop below the sticky bar (scroll-margin-top), on a phone, for a
    question far down the page."""
    from audit_app.services.questionnaires import catalogue

    world = build_world(server.app)
    with server.app.app_context():
        questions = catalogue().get("library-crm-audit").sections[0].questions
    target = questions[-1].id
    context = browser.new_context(base_url=server.url, locale="pl-PL", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/login")
    page.locator("input[name=email]").fill("consultant@example.org")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"/audits/{world.open_audit_id}#q-{target}")
    page.locator(f"#q-{target}").wait_for()
    bar_bottom = page.evaluate(
        "document.getElementById('audit-bar').getBoundingClientRect().bottom"
    )
    question_top = page.evaluate(
        f"document.getElementById('q-{target}').getBoundingClientRect().top"
    )
    assert page.evaluate("window.scrollY") > 0  # it did jump
    assert question_top >= bar_bottom, (question_top, bar_bottom)
    context.close()
