"""The campaign report's distribution table (the overall score and an area a row) is
never split across pages: where it does not fit under the charts it moves to the next
page whole, with its note, instead of leaving a row or two there (PDF parsed back to
text, page by page, in both languages)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.conftest import login
from tests.web.test_campaigns import build_network


@pytest.fixture(autouse=True)
def _empty_database(clean_db):
    """Every test starts on an empty database."""


@pytest.mark.parametrize(
    ("lang", "header", "last_row"),
    [
        ("pl", "Dolny kwartyl", "6. Kultura organizacyjna"),
        ("en", "Lower quartile", "6. Culture and people"),
    ],
)
def test_the_distribution_table_stays_on_one_page(app, client, lang, header, last_row):
    # Ten submitted members and two that have not (a reminder is due: one more line on
    # the first page), as in a network's report.
    network = build_network(app, ["0", "1", "2", "3", "4"] * 2 + [None, False], ends_in_days=3)
    login(client, "network@example.org")
    pdf = client.get(f"/campaigns/{network.campaign_id}/report.pdf?lang={lang}").data
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    with_header = [i for i, text in enumerate(pages) if header.casefold() in text.casefold()]
    assert len(with_header) == 1, with_header  # a split table repeats its header
    table_page = pages[with_header[0]]
    assert "Scores are grouped" in table_page or "Wyniki są grupowane" in table_page
    assert last_row in table_page
