"""A confirmation page for destructive one-button actions. It is reached by GET from a
plain link (so it works without JavaScript) and posts back, with CSRF, to the same URL,
whose POST does the work."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue


def confirm_page(
    *, title: str, question: str, button: str, cancel: str, details: str = ""
) -> ResponseReturnValue:
    return render_template(
        "confirm.html",
        title=title,
        question=question,
        details=details,
        button=button,
        cancel=cancel,
        action=request.path,
    )
