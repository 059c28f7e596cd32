"""Crafted query parameters never give a server error (issue 14.7).

Every GET route of the app (from the authorisation table, with real records in its
path) is requested with every query parameter the views read (found in their source)
set to hostile values: huge and negative numbers, digits that are not ASCII ("²" passes
`str.isdigit`), keyset cursors holding huge numbers, control characters, random text.
Whatever the answer, it must not be a 5xx (in tests an exception propagates, so a
crash fails the test too); streamed bodies are read to the end.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import login
from tests.web.test_authorisation import ACCESS, build_world, url_for_rule

WEB = Path(__file__).resolve().parents[2] / "audit_app" / "web"
READ = re.compile(
    r"""(?:args|values)\.(?:get|getlist)\(\s*["'](\w+)["']|int_arg\(\s*["'](\w+)["']"""
)
NAMES = sorted(
    {
        name
        for path in WEB.rglob("*.py")
        for pair in READ.findall(path.read_text())
        for name in pair
        if name
    }
    | {"a", "b", "page", "cursor", "offset", "limit", "design", "lang", "sort"}
)
GET_ROUTES = sorted(
    (endpoint, rule)
    for (endpoint, method), rule in ACCESS.items()
    if method == "GET" and not endpoint.startswith("api.") and endpoint != "static"
)


def _cursor(values: list[object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


CRAFTED = [
    "1000000000000000000000000000",
    "99999999999999999999",
    "2147483648",
    "-1",
    "0",
    "²",
    "١٢",  # Arabic-Indic digits: isdigit() and int() accept them
    "1e30",
    " 7",
    "\x00",
    "/\n/x",
    _cursor(["a", 1e30]),
    _cursor(["a", 10**30]),
    _cursor([10**30, 10**30]),
    _cursor(["2026-13-45", -(10**30)]),
    _cursor([None, None]),
    "!!!notbase64",
]


@pytest.fixture
def browsers(app, clean_db):
    world = build_world(app)
    clients = {}
    for role in ("consultant", "admin"):
        clients[role] = app.test_client()
        login(clients[role], f"{role}@example.org")
    urls = [url_for_rule(app, endpoint, rule, world).split("?")[0] for endpoint, rule in GET_ROUTES]
    return clients, urls


def _check(clients, urls, query: dict[str, str]) -> list[str]:
    wrong = []
    for role, client in clients.items():
        for url in urls:
            if url.endswith("/logout"):
                continue
            response = client.get(f"{url}?{urlencode(query)}")
            response.get_data()  # a streamed export must not break off either
            if response.status_code >= 500:
                wrong.append(f"{role} {url}?{urlencode(query)}: {response.status_code}")
            response.close()
    return wrong


@pytest.mark.parametrize("value", CRAFTED, ids=range(len(CRAFTED)))
def test_crafted_values_in_every_parameter_of_every_route(browsers, value):
    clients, urls = browsers
    assert _check(clients, urls, dict.fromkeys(NAMES, value)) == []


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(NAMES),
        st.one_of(
            st.integers(min_value=-(10**40), max_value=10**40).map(str),
            st.text(max_size=12),
            st.lists(st.one_of(st.integers(), st.floats(), st.text(max_size=5)), max_size=3).map(
                _cursor
            ),
        ),
        min_size=1,
    )
)
def test_generated_values_never_give_a_server_error(browsers, query):
    clients, urls = browsers
    assert _check(clients, urls, query) == []


def test_ids_in_paths_beyond_any_column_are_not_found_or_forbidden(app, browsers):
    clients, _urls = browsers
    huge = 10**20
    checked = 0
    for rule in app.url_map.iter_rules():
        if (
            "GET" not in rule.methods
            or "<int:" not in rule.rule
            or rule.endpoint.startswith("api.")
        ):
            continue  # (the API is checked with tokens by schemathesis)
        url = re.sub(r"<int:\w+>", str(huge), rule.rule)
        if "<" in url:  # other arguments too: those routes are covered above
            continue
        for client in clients.values():
            response = client.get(url)
            # unknown (or, on a page of a role they lack, forbidden first), never a crash
            assert response.status_code in (403, 404), (url, response.status_code)
            checked += 1
    assert checked > 20
