"""The one check for every `next` a form or link carries: only a path of this site.

Browsers drop tabs and line breaks from a URL and read a backslash as a slash, so
"/\t/evil.example" or "/\\evil.example" would become "//evil.example", another site;
a line break in a Location header is a server error. Such targets are refused.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None, fallback: str) -> str:
    """`target` when it is a same-site path ("/x?y"), else `fallback`."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target
