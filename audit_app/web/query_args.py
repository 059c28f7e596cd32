"""Query strings lose NUL characters before any view reads them: PostgreSQL cannot
store or compare text holding one (the driver fails: a server error), and no search,
filter or cursor of this app needs one."""

from __future__ import annotations

from flask import request
from werkzeug.datastructures import ImmutableMultiDict


def drop_nul_characters() -> None:
    args = request.args
    if any("\x00" in key or "\x00" in value for key, value in args.items(multi=True)):
        request.args = ImmutableMultiDict(
            (key.replace("\x00", ""), value.replace("\x00", ""))
            for key, value in args.items(multi=True)
        )
