"""Reading JSON request bodies: a body nested too deeply for the parser (it raises
RecursionError, which is no ValueError) is treated like any other unreadable JSON,
so `get_json(silent=True)` gives None and the view answers 400 with its error body."""

from __future__ import annotations

from typing import Any

from flask.json.provider import DefaultJSONProvider


class BoundedJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("the JSON is nested too deeply") from None
