"""WeasyPrint may load files from reports/ only: never other files, never the network."""

from __future__ import annotations

import pytest
from weasyprint.urls import path2url

from audit_app.reporting.pdf import FetchRefused, ReportsFetcher, renderer


@pytest.fixture
def reports_dir(app):
    return app.config["REPORTS_DIR"].resolve()


def test_files_under_reports_are_served(reports_dir):
    fetcher = ReportsFetcher(reports_dir)
    font = fetcher.fetch(path2url(str(reports_dir / "fonts" / "DejaVuSans.ttf")))
    assert font.read(4) == b"\x00\x01\x00\x00"
    logo = fetcher.fetch(path2url(str(reports_dir / "brand" / "logo.svg")))
    assert logo.content_type == "image/svg+xml"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/logo.png",
        "http://127.0.0.1:5000/static/app.css",
        "ftp://example.org/x",
        "data:text/css,body{}",
        "file:///etc/passwd",
        "file://otherhost/etc/passwd",
    ],
)
def test_everything_else_is_refused(reports_dir, url):
    with pytest.raises(FetchRefused):
        ReportsFetcher(reports_dir).fetch(url)


def test_paths_escaping_reports_are_refused(reports_dir, tmp_path):
    fetcher = ReportsFetcher(reports_dir)
    with pytest.raises(FetchRefused):
        fetcher.fetch(path2url(str(reports_dir)) + "/../pyproject.toml")
    with pytest.raises(FetchRefused):
        fetcher.fetch(path2url(str(reports_dir / "fonts")))  # a directory
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    link = reports_dir / "brand" / "test-link-to-outside.txt"
    try:
        link.symlink_to(outside)
        with pytest.raises(FetchRefused):
            fetcher.fetch(path2url(str(link)))
    finally:
        link.unlink(missing_ok=True)


def test_a_render_never_loads_outside_reports(app, reports_dir, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not an image")
    html = f"""<!doctype html><html lang="en"><head>
      <link rel="stylesheet" href="https://example.org/evil.css">
      <style>@import url("file:///etc/hostname");
        body {{ background: url("http://example.org/b.png"); }}</style>
      </head><body><h1>Hello</h1>
      <img src="{path2url(str(secret))}" alt="">
      <img src="../../pyproject.toml" alt="">
      <img src="../brand/logo.svg" alt="logo">
      <svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
        <image href="https://example.org/x.png" width="10" height="10"/></svg>
      </body></html>"""
    with app.app_context():
        engine = renderer(reports_dir)
        fetcher = engine.fetcher()
        pdf, pages = engine.html_to_pdf("brief", html, fetcher=fetcher)
    assert pdf.startswith(b"%PDF-") and pages == 1
    refused = " ".join(fetcher.refused)
    for needle in ("evil.css", "/etc/hostname", "b.png", "secret.png", "pyproject.toml", "x.png"):
        assert needle in refused, needle
    assert "logo.svg" not in refused
