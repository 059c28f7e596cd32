"""An archived report PDF as a download, the same from the report pages and the API:
byte for byte as issued, its fingerprint in a header, never cached by the browser.
(Share links add their own public-page headers: web/share/views.py.)"""

from __future__ import annotations

from flask import Response

from audit_app.models import IssuedReport


def pdf_response(report: IssuedReport, *, attachment: bool = True) -> Response:
    response = Response(report.pdf, mimetype="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{report.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-SHA256"] = report.sha256
    response.set_etag(report.sha256)
    return response
