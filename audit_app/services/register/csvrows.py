"""Turning one mapped CSV row into clean values, or a row error. No database: what
the register already holds is looked at later (importer.py).

Only mapped, non-empty cells give values, so an update never erases what a file
does not mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from audit_app.services.register.csvparse import MULTI
from audit_app.services.register.text import (
    normalise_domain,
    normalise_name,
    split_tags,
    valid_email,
    valid_phone,
)

LANGUAGE_NAMES = {
    "pl": "pl",
    "polski": "pl",
    "polish": "pl",
    "en": "en",
    "angielski": "en",
    "english": "en",
    "de": "de",
    "niemiecki": "de",
    "german": "de",
    "uk": "uk",
    "ukrainski": "uk",
    "ukrainian": "uk",
    "fr": "fr",
    "francuski": "fr",
    "french": "fr",
    "es": "es",
    "hiszpanski": "es",
    "spanish": "es",
    "it": "it",
    "wloski": "it",
    "italian": "it",
    "cs": "cs",
    "czeski": "cs",
    "czech": "cs",
    "ru": "ru",
    "rosyjski": "ru",
    "russian": "ru",
}
CHANNEL_NAMES = {
    "email": "email",
    "e mail": "email",
    "mail": "email",
    "poczta": "email",
    "phone": "phone",
    "telefon": "phone",
    "tel": "phone",
    "in person": "in_person",
    "osobiscie": "in_person",
    "spotkanie": "in_person",
    "meeting": "in_person",
    "video": "video",
    "wideo": "video",
    "chat": "chat",
    "czat": "chat",
    "letter": "letter",
    "list": "letter",
    "event": "event",
    "wydarzenie": "event",
}
TYPE_NAMES = {
    "library": "library",
    "biblioteka": "library",
    "company": "company",
    "firma": "company",
    "przedsiebiorstwo": "company",
    "spolka": "company",
    "business": "company",
    "public": "public",
    "public institution": "public",
    "instytucja publiczna": "public",
    "urzad": "public",
    "jst": "public",
    "ngo": "ngo",
    "fundacja": "ngo",
    "stowarzyszenie": "ngo",
    "organizacja pozarzadowa": "ngo",
    "other": "other",
    "inne": "other",
    "inna": "other",
}
SIZE_NAMES = {
    "micro": "micro",
    "mikro": "micro",
    "small": "small",
    "mala": "small",
    "maly": "small",
    "medium": "medium",
    "srednia": "medium",
    "sredni": "medium",
    "large": "large",
    "duza": "large",
    "duzy": "large",
}
# (field, names -> code, error code of an unknown name) for each kind of row
PERSON_CODES = (
    ("language", LANGUAGE_NAMES, "unknown_language"),
    ("preferred_channel", CHANNEL_NAMES, "unknown_channel"),
)
ORGANISATION_CODES = (
    ("type", TYPE_NAMES, "unknown_type"),
    ("size", SIZE_NAMES, "unknown_size"),
)
LIMITS = {
    "first_name": 100,
    "last_name": 150,
    "job_title": 200,
    "organisation": 300,
    "role": 200,
    "name": 300,
    "sector": 200,
    "city": 200,
    "notes": 10_000,
}


@dataclass
class RowError:
    line: int
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Row:
    line: int
    values: dict[str, Any]


def _cells(cells: list[str], mapping: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for index, name in enumerate(mapping):
        if name and index < len(cells):
            value = cells[index].strip()
            if value:
                found.setdefault(name, []).append(value)
    return found


def _split(values: list[str], pattern: str) -> list[str]:
    return [p.strip() for v in values for p in re.split(pattern, v) if p.strip()]


def _lookup(table: dict[str, str], value: str) -> str | None:
    return table.get(normalise_name(value))


def validate_row(line: int, cells: list[str], mapping: list[str], kind: str) -> Row | RowError:
    extra = [c for c in cells[len(mapping) :] if c.strip()]
    if extra:
        return RowError(line, "extra_values", {"count": len(cells), "expected": len(mapping)})
    found = _cells(cells, mapping)
    values: dict[str, Any] = {}
    for name, items in found.items():
        if name not in MULTI:
            value = " ".join(items[0].split()) if name != "notes" else items[0]
            if len(value) > LIMITS.get(name, 300):
                return RowError(line, "too_long", {"field": name})
            values[name] = value
    if "tags" in found:
        values["tags"] = split_tags(",".join(found["tags"]))
    return (_people if kind == "people" else _organisation)(line, found, values)


def _map_codes(
    line: int, values: dict[str, Any], lookups: tuple[tuple[str, dict[str, str], str], ...]
) -> RowError | None:
    """Replace the named values (e.g. "Polish") by their codes in place; an unknown name
    is the row's error."""
    for name, table, code in lookups:
        if name in values:
            mapped = _lookup(table, values[name])
            if mapped is None:
                return RowError(line, code, {"value": values[name][:100]})
            values[name] = mapped
    return None


def _people(line: int, found: dict[str, list[str]], values: dict[str, Any]) -> Row | RowError:
    full = values.pop("full_name", None)
    if full and not values.get("first_name") and not values.get("last_name"):
        first, _, last = full.rpartition(" ")
        values["first_name"], values["last_name"] = (first, last) if first else ("", last)
    emails = _split(found.get("email", []), r"[,;\s]+")
    for email in emails:
        if not valid_email(email):
            return RowError(line, "invalid_email", {"value": email[:100]})
    if emails:
        values["emails"] = list(dict.fromkeys(emails))
    phones = _split(found.get("phone", []), r"[,;/|]+")
    for phone in phones:
        if not valid_phone(phone):
            return RowError(line, "invalid_phone", {"value": phone[:100]})
    if phones:
        values["phones"] = list(dict.fromkeys(phones))
    if not (values.get("first_name") or values.get("last_name")) and not emails:
        return RowError(line, "missing_name")
    error = _map_codes(line, values, PERSON_CODES)
    if error is not None:
        return error
    if "role" in values and "organisation" not in values:
        return RowError(line, "role_without_organisation")
    return Row(line, values)


def _organisation(line: int, found: dict[str, list[str]], values: dict[str, Any]) -> Row | RowError:
    if not normalise_name(values.get("name", "")):
        return RowError(line, "missing_name")
    error = _map_codes(line, values, ORGANISATION_CODES)
    if error is not None:
        return error
    if "domain" in values:
        domain = normalise_domain(values["domain"])
        if not domain:
            return RowError(line, "invalid_domain", {"value": values["domain"][:100]})
        values["domain"] = domain
    return Row(line, values)
