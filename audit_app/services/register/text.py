"""Normalised forms of names, e-mails, phones, domains and tags (for search,
matching and duplicate detection). Plain functions, no database."""

from __future__ import annotations

import re

from audit_app.services.textsearch import normalise_name

EMAIL_RE = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")
_DIGITS = re.compile(r"\D+")
_PHONE_CHARS = re.compile(r"^\+?[\d\s().\-/]+$")
_LETTER = "a-z0-9\u00c0-\uffff"
_DOMAIN = re.compile(rf"[{_LETTER}][{_LETTER}\-.]{{0,200}}\.[a-z\u00c0-\uffff]{{2,63}}")

__all__ = [
    "normalise_name",
    "name_key",
    "sort_key",
    "email_key",
    "valid_email",
    "phone_key",
    "valid_phone",
    "normalise_domain",
    "split_tags",
    "tag_key",
]


def name_key(first: str, last: str) -> str:
    """The person's name for duplicate detection: folded tokens in sorted order, so
    "Kowalski Jan" and "jan KOWALSKI" are the same."""
    return " ".join(sorted(normalise_name(f"{first} {last}").split()))


def sort_key(first: str, last: str) -> str:
    return normalise_name(f"{last} {first}")


def email_key(email: str) -> str:
    return email.strip().casefold()


def valid_email(email: str) -> bool:
    return len(email) <= 254 and EMAIL_RE.match(email) is not None


def phone_key(phone: str) -> str:
    return _DIGITS.sub("", phone)[:20]


def valid_phone(phone: str) -> bool:
    digits = phone_key(phone)
    return bool(_PHONE_CHARS.match(phone.strip())) and 6 <= len(digits) <= 15 and len(phone) <= 50


def normalise_domain(value: str) -> str:
    """ "https://www.Biblioteka.pl/kontakt" -> "biblioteka.pl"; "" when not a domain."""
    text = value.strip().casefold()
    text = re.sub(r"^[a-z][a-z0-9+.\-]*://", "", text)
    text = text.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    text = text.rsplit("@", 1)[-1].split(":", 1)[0]
    if text.startswith("www."):
        text = text[4:]
    if not _DOMAIN.fullmatch(text):
        return ""
    return text


def split_tags(value: str) -> list[str]:
    """ "VIP, biblioteki; VIP" -> ["VIP", "biblioteki"] (first spelling wins)."""
    seen: dict[str, str] = {}
    for part in re.split(r"[,;|]", value or ""):
        name = " ".join(part.split())[:60]
        key = tag_key(name)
        if key and key not in seen:
            seen[key] = name
    return list(seen.values())


def tag_key(name: str) -> str:
    return normalise_name(name)[:60]
