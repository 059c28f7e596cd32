"""A file made or kept by the app, sent as a download: always an attachment (never
shown in the browser's origin), its type as given (nosniff is on every response:
web/security.py), never cached."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response


def download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    ascii_name = filename.encode("ascii", "replace").decode("ascii").replace('"', "_")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
