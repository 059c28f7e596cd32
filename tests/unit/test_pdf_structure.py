"""Accessible, archivable PDFs with Polish typography, checked in the PDF itself.

pikepdf reads the structure (tags, language, alternative texts, the attachment); pypdf
reads the text line by line as a person sees it.
"""

from __future__ import annotations

import io
import json
import re

import pikepdf
import pypdf
import pytest

from audit_app.extensions import db
from audit_app.reporting.pdf import keep_single_letters
from audit_app.services.questionnaires import catalogue
from audit_app.services.report_archive import render_audit
from audit_app.services.result_model import results_document
from tests.support.sample import sample_history

SINGLE_LETTER_AT_LINE_END = re.compile(r"(?:^|\s)[aiouwzAIOUWZ]$")


@pytest.fixture
def history(ctx):
    result = sample_history(catalogue().get("library-crm-audit"), audits=3)
    db.session.commit()
    return result


def _structure_kinds(pdf: pikepdf.Pdf) -> set[str]:
    kinds: set[str] = set()
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                kinds.add(str(node.S))
            kids = node.get("/K")
            if kids is not None:
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
        elif isinstance(node, pikepdf.Array):
            stack.extend(node)
    return kinds


def _figures(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found = []
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == pikepdf.Name.Figure:
                found.append(node)
            kids = node.get("/K")
            if kids is not None:
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
        elif isinstance(node, pikepdf.Array):
            stack.extend(node)
    return found


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize("design", ["full", "brief", "progress"])
def test_every_design_is_tagged_with_language_title_headings_tables_and_chart_texts(
    history, design, lang
):
    context, rendered = render_audit(history.current, design, lang)
    pdf = pikepdf.open(io.BytesIO(rendered.pdf))
    assert str(pdf.Root.Lang) == lang
    assert bool(pdf.Root.MarkInfo.Marked) is True
    assert "/StructTreeRoot" in pdf.Root
    kinds = _structure_kinds(pdf)
    assert {"/H1", "/H2", "/Table", "/TD", "/Figure"} <= kinds
    if design != "brief":  # the brief's tables only lay out its two pages
        assert "/TH" in kinds
    assert pdf.open_metadata().get("dc:title")
    figures = _figures(pdf)
    assert figures and all("/Alt" in figure for figure in figures)
    # The radar's alternative text states every area's figure, as the model gives it.
    alts = [str(figure.Alt).replace("\u00a0", " ") for figure in figures]
    radar = next((a for a in alts if all(d["title"] in a for d in context["dimensions"])), None)
    if design != "progress":
        assert radar is not None
        for area in context["dimensions"]:
            assert area["percent_display"] in radar


def test_archival_copy_is_pdf_a_3b_and_carries_the_apis_result(history):
    context, rendered = render_audit(history.current, "full", "pl", archival=True)
    pdf = pikepdf.open(io.BytesIO(rendered.pdf))
    metadata = pdf.open_metadata()
    assert metadata.get("pdfaid:part") == "3" and metadata.get("pdfaid:conformance") == "B"
    assert "/StructTreeRoot" in pdf.Root  # still tagged
    attached = pdf.attachments["result.json"].get_file().read_bytes()
    assert json.loads(attached) == results_document(history.current, "pl")
    assert context["archival"] is True


def test_polish_text_never_ends_a_line_with_a_single_letter_word(history):
    for design in ("full", "brief", "progress"):
        _context, rendered = render_audit(history.current, design, "pl")
        reader = pypdf.PdfReader(io.BytesIO(rendered.pdf))
        for number, page in enumerate(reader.pages, start=1):
            for line in (page.extract_text() or "").splitlines():
                assert not SINGLE_LETTER_AT_LINE_END.search(line.rstrip()), (
                    f"{design} p. {number}: {line!r}"
                )


def test_no_break_spaces_go_into_text_only():
    html = '<p class="a w">Biblioteka w Łodzi i z\nfiliami</p><style>a i { }</style>'
    assert keep_single_letters(html) == (
        '<p class="a w">Biblioteka w\u00a0Łodzi i\u00a0z\u00a0filiami</p><style>a i { }</style>'
    )
