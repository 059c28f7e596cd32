"""`<int:...>` in every route accepts only ids a database column can hold: a larger
number answers 404 like any unknown id instead of failing in the database driver."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

from audit_app.domain.numbers import MAX_ID


class IdConverter(IntegerConverter):
    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
