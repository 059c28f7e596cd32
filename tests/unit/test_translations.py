"""Every string of the interface has a Polish translation, and the compiled
catalogue the app loads matches the one in the repository."""

from __future__ import annotations

import re

from babel.messages.mofile import read_mo

from scripts.translations import MO, PO, _read, extract, is_translated

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_every_interface_string_is_in_the_polish_catalogue():
    catalogue = _read(PO)
    translated = {m.id for m in catalogue if m.id and is_translated(m.string)}
    missing = [m.id for m in extract() if m.id and m.id not in translated]
    assert missing == [], "run `python scripts/translations.py` and translate: " + repr(missing)


def test_compiled_catalogue_is_up_to_date():
    with open(MO, "rb") as handle:
        compiled = {_hashable(m.id): _hashable(m.string) for m in read_mo(handle) if m.id}
    source = {_hashable(m.id): _hashable(m.string) for m in _read(PO) if m.id and m.string}
    assert compiled == source, "run `python scripts/translations.py` to recompile"


def _hashable(string: str | list[str] | tuple[str, ...]) -> str | tuple[str, ...]:
    """Plural forms come back as lists from one reader and tuples from the other."""
    return string if isinstance(string, str) else tuple(string)


def test_placeholders_survive_translation():
    for message in _read(PO):
        if not message.id or not message.string or not isinstance(message.id, str):
            continue
        assert set(PLACEHOLDER.findall(message.id)) == set(PLACEHOLDER.findall(message.string)), (
            message.id
        )
