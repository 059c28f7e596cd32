"""Sortable list columns: `?sort=<column>&dir=asc|desc`, whitelisted per list.

A view asks `sorting_from(request.args, columns, default)` and passes the result to its
service (which maps the column name to its own ORDER BY) and to the template, whose
`sortable_th` macro (templates/_layout/sorting.html) links each header to sorting by it
and marks the sorted one with aria-sort."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Sorting:
    column: str
    descending: bool = False

    def aria_sort(self, column: str) -> str | None:
        if column != self.column:
            return None
        return "descending" if self.descending else "ascending"

    def args_for(self, column: str) -> dict[str, str]:
        """The query arguments that sort by `column`: the other way round when it is
        already the sorted column, else ascending."""
        descending = not self.descending if column == self.column else False
        return {"sort": column, "dir": "desc" if descending else "asc"}


def sorting_from(
    args: Mapping[str, str], columns: Sequence[str], default: str, *, descending: bool = False
) -> Sorting:
    """The requested sorting when its column is one of `columns`, else the default."""
    column = args.get("sort", "")
    if column not in columns:
        return Sorting(default, descending)
    return Sorting(column, args.get("dir") == "desc")
