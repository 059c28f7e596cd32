"""Reading an uploaded CSV file: size and row limits, UTF-8 (with or without BOM),
the separator (comma, semicolon or tab, found by counting in the header line) and
the header's automatic mapping to register fields (Polish and English names).

No database and no Flask: whatever bytes come in, the result is a `ParsedCsv` or a
`CsvFileError` with one of the documented codes (docs/register.md).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from audit_app.services.register.text import normalise_name

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
# A register file needs a few dozen columns; the mapping page shows one drop-down per
# column, so the column count bounds what every import step costs (issue 14).
MAX_COLUMNS = 100
# Longer than any register field (notes are the longest); a longer cell is not contact data.
MAX_FIELD_CHARS = 10_000
HEADER_SCAN_CHARS = 64 * 1024
FILE_ERRORS = (
    "empty",
    "too_large",
    "not_utf8",
    "binary",
    "no_header",
    "too_many_rows",
    "too_many_columns",
    "field_too_long",
    "malformed",
    "mapping",
)
KINDS = ("people", "organisations")

# field -> header spellings, already normalised (lower case, no accents/punctuation)
PEOPLE_HEADERS: dict[str, tuple[str, ...]] = {
    "first_name": ("imie", "first name", "firstname", "given name", "forename", "name first"),
    "last_name": ("nazwisko", "last name", "lastname", "surname", "family name"),
    "full_name": (
        "imie i nazwisko",
        "full name",
        "name",
        "osoba",
        "kontakt",
        "contact",
        "person",
        "nazwisko i imie",
    ),
    "email": (
        "e mail",
        "email",
        "mail",
        "adres e mail",
        "adres email",
        "email address",
        "e mail address",
        "poczta",
    ),
    "phone": (
        "telefon",
        "phone",
        "tel",
        "nr telefonu",
        "numer telefonu",
        "phone number",
        "mobile",
        "komorka",
        "telefon komorkowy",
        "tel kom",
    ),
    "job_title": ("stanowisko", "job title", "title", "position", "funkcja", "job"),
    "organisation": (
        "organizacja",
        "organisation",
        "organization",
        "firma",
        "company",
        "instytucja",
        "institution",
        "employer",
        "pracodawca",
        "biblioteka",
        "account",
    ),
    "role": ("rola", "role", "rola w organizacji"),
    "language": ("jezyk", "language", "lang"),
    "preferred_channel": (
        "preferowany kanal",
        "preferred channel",
        "kanal",
        "channel",
        "preferowany kontakt",
    ),
    "notes": ("notatki", "notatka", "uwagi", "notes", "note", "komentarz", "comment", "opis"),
    "tags": ("tagi", "tags", "tag", "etykiety", "labels", "grupy"),
}
ORGANISATION_HEADERS: dict[str, tuple[str, ...]] = {
    "name": (
        "nazwa",
        "name",
        "organizacja",
        "organisation",
        "organization",
        "firma",
        "company",
        "instytucja",
        "nazwa organizacji",
        "company name",
        "account name",
    ),
    "type": ("typ", "rodzaj", "type", "kind"),
    "size": ("wielkosc", "rozmiar", "size"),
    "sector": ("sektor", "branza", "sector", "industry"),
    "city": ("miasto", "miejscowosc", "city", "town"),
    "domain": ("domena", "domain", "www", "strona", "strona www", "website", "web", "url"),
    "tags": ("tagi", "tags", "tag", "etykiety", "labels", "grupy"),
}
MULTI = {"email", "phone", "tags"}
HEADERS = {"people": PEOPLE_HEADERS, "organisations": ORGANISATION_HEADERS}


class CsvFileError(Exception):
    """The file as a whole cannot be used (`code` is one of FILE_ERRORS)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class ParsedCsv:
    delimiter: str
    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (line number, cells)


def decode(data: bytes, *, max_bytes: int = MAX_BYTES) -> str:
    if len(data) > max_bytes:
        raise CsvFileError("too_large", limit_bytes=max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvFileError("not_utf8", position=error.start) from None
    if "\x00" in text:
        raise CsvFileError("binary")
    if not text.strip():
        raise CsvFileError("empty")
    return text


def detect_delimiter(text: str) -> str:
    """The separator most used outside quotes in the first non-empty line (looked for
    in the first 64 KiB only: a longer header line is refused by the column limit)."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    started = False
    for char in text[:HEADER_SCAN_CHARS]:
        if char in "\r\n" and not quoted:
            if started:
                break
            continue
        started = True
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: (counts[c], c == ","))
    return best if counts[best] else ","


def parse(data: bytes, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS) -> ParsedCsv:
    text = decode(data, max_bytes=max_bytes)
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    parsed: ParsedCsv | None = None
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise CsvFileError("malformed", line=line, detail=str(error)[:200]) from None
        if len(cells) > MAX_COLUMNS:
            raise CsvFileError("too_many_columns", line=line, limit=MAX_COLUMNS)
        if any(len(cell) > MAX_FIELD_CHARS for cell in cells):
            raise CsvFileError("field_too_long", line=line, limit=MAX_FIELD_CHARS)
        if not any(cell.strip() for cell in cells):
            continue
        if parsed is None:
            parsed = ParsedCsv(delimiter, [" ".join(c.split())[:200] for c in cells])
            continue
        if len(parsed.rows) >= max_rows:
            raise CsvFileError("too_many_rows", limit=max_rows)
        parsed.rows.append((line, cells))
    if parsed is None:
        raise CsvFileError("no_header")
    return parsed


def header_key(header: str) -> str:
    """ "E-mail 2" -> "e mail"; "Imię:" -> "imie"."""
    return re.sub(r"(\s*\d+)+$", "", normalise_name(header)).strip()


def auto_map(headers: list[str], kind: str) -> list[str]:
    """The register field of each column ("" = ignore); one column per field except
    e-mail, phone and tags, which may come from several columns."""
    synonyms = HEADERS[kind]
    lookup = {spelling: name for name, spellings in synonyms.items() for spelling in spellings}
    mapping: list[str] = []
    used: set[str] = set()
    for header in headers:
        name = lookup.get(header_key(header), "")
        if name in used and name not in MULTI:
            name = ""
        if name:
            used.add(name)
        mapping.append(name)
    if kind == "people" and "full_name" in used and {"first_name", "last_name"} & used:
        mapping = ["" if m == "full_name" else m for m in mapping]
    return mapping


def guess_kind(headers: list[str]) -> str:
    people = auto_map(headers, "people")
    if {"first_name", "last_name", "full_name", "email", "phone"} & set(people):
        return "people"
    return "organisations"


def check_mapping(mapping: list[str], kind: str) -> None:
    used = [m for m in mapping if m]
    known = set(HEADERS[kind])
    if any(m not in known for m in used):
        raise CsvFileError("mapping", reason="unknown_field")
    duplicates = {m for m in used if used.count(m) > 1 and m not in MULTI}
    if duplicates:
        raise CsvFileError("mapping", reason="repeated_field", field=sorted(duplicates)[0])
    needed = {
        "people": {"first_name", "last_name", "full_name", "email"},
        "organisations": {"name"},
    }[kind]
    if not needed & set(used):
        raise CsvFileError("mapping", reason="key_missing")
