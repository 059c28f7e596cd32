"""Keep the Polish catalogue complete: extract every msgid from the code and the
templates, keep existing translations, take new ones from
`audit_app/translations/fragments/*.po`, report what is still missing, compile.

    python scripts/translations.py          # update + compile, exit 1 if anything is missing
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "audit_app" / "translations"
PO = TRANSLATIONS / "pl" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")


def _searched(dirpath: str) -> bool:
    """Babel's default skips folders starting with "_" too, which would leave out
    templates/_layout and reports/_partials; skip only hidden folders and caches."""
    name = Path(dirpath).name
    return not name.startswith(".") and name not in {"__pycache__", "node_modules"}


def extract() -> Catalog:
    """Every translatable string in the code and the templates (babel.cfg)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(project="readiness-audit", locale=None)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords={
            "_": None,
            "gettext": None,
            "lazy_gettext": None,
            "_l": None,
            "ngettext": (1, 2),
            "lazy_ngettext": (1, 2),
        },
        directory_filter=_searched,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _read(path: Path) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale="pl")


def is_translated(string: object) -> bool:
    """A plain string, or every plural form, is non-empty."""
    if isinstance(string, str):
        return bool(string)
    return bool(string) and all(isinstance(form, str) and form for form in string)  # type: ignore[attr-defined]


def known_translations() -> dict[object, object]:
    found: dict[object, object] = {}
    # The fragments win over the main catalogue, so a corrected fragment reaches it.
    sources = [PO] if PO.exists() else []
    sources += sorted((TRANSLATIONS / "fragments").glob("*.po"))
    for path in sources:
        for message in _read(path):
            if message.id and is_translated(message.string):
                found[message.id] = message.string
    return found


def update() -> list[str]:
    template = extract()
    translations = known_translations()
    catalog = Catalog(project="readiness-audit", locale="pl", fuzzy=False)
    missing = []
    for message in template:
        if not message.id:
            continue
        string = translations.get(message.id)
        if not is_translated(string):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
        catalog.add(message.id, string, message.locations, flags=(), context=message.context)
    PO.parent.mkdir(parents=True, exist_ok=True)
    with open(PO, "wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
    with open(MO, "wb") as handle:
        write_mo(handle, catalog)
    return missing


if __name__ == "__main__":
    missing = update()
    for msgid in missing:
        print(f"missing Polish translation: {msgid!r}")
    print(f"{PO.relative_to(ROOT)}: {len(missing)} missing")
    sys.exit(1 if missing else 0)
