"""`<int:...>` in every route: an id larger than any database column can hold is read
as 0, an id no record has, so each blueprint answers it as its unknown ids (404, JSON
in the API) instead of the database driver failing on it. (Refusing it in the
converter would skip the API's JSON catch-all and answer an HTML page.)"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

from audit_app.domain.numbers import MAX_ID


class IdConverter(IntegerConverter):
    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if isinstance(number, int) and number <= MAX_ID else 0
