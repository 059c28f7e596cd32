"""A failed form post re-renders the page at the URL it was posted to; that URL must also
answer GET (a reload, a bookmark, opening the address again), though many of them only
take POST. Instead of a GET view beside each, a browser's GET that would be refused
with 405 is sent to the page the form lives on: the endpoint's page named below, else
the nearest parent path that answers GET (/audits/1/respondents/invite goes to
/audits/1/respondents). The JSON API keeps its 405."""

from __future__ import annotations

from flask import Flask, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import MapAdapter, RequestRedirect

# Where the form of a POST-only endpoint is, when it is not on the parent path.
FORM_PAGES = {
    "audits.reopen": "audits.review",
}


def _adapter() -> MapAdapter:
    return current_app.url_map.bind_to_environ(request.environ)


def _form_page(path: str) -> str | None:
    adapter = _adapter()
    try:
        endpoint, values = adapter.match(path, method="POST")
    except HTTPException:
        return None
    if endpoint in FORM_PAGES:
        return url_for(FORM_PAGES[endpoint], **values)
    parts = path.rstrip("/").split("/")
    while len(parts) > 1:
        parts.pop()
        parent = "/".join(parts) or "/"
        try:
            adapter.match(parent, method="GET")
        except RequestRedirect:
            return parent
        except (MethodNotAllowed, NotFound):
            continue
        return parent
    return None


def init_app(app: Flask) -> None:
    """After errors.init_app: other refusals keep the generic error page."""
    generic = app.error_handler_spec[None][None][HTTPException]

    @app.errorhandler(MethodNotAllowed)
    def get_of_a_post_url(error: MethodNotAllowed) -> ResponseReturnValue:
        if request.method == "GET" and not request.path.startswith("/api/"):
            target = _form_page(request.path)
            if target is not None:
                return redirect(target)
        return generic(error)  # type: ignore[return-value]
