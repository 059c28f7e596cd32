"""Readable (translated) reasons for import row outcomes and unusable files, shared
by the web report and the CLI."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext


def _(text: str, **params: Any) -> str:
    return str(gettext(text, **params))


def file_error(code: str, params: dict[str, Any]) -> str:
    if code == "too_large":
        size = int(str(params.get("limit_bytes", 5 * 1024 * 1024)))
        human = f"{size / 1048576:g} MB" if size >= 1048576 else f"{max(size // 1024, 1)} KB"
        return _("The file is larger than %(size)s.", size=human)
    if code == "too_many_rows":
        return _(
            "The file has more than %(limit)s rows; split it into smaller files.",
            limit=params.get("limit", 50000),
        )
    if code == "too_many_columns":
        return _(
            "Line %(line)s has more than %(limit)s columns; a register file needs only "
            "a few dozen. Remove the extra columns and upload it again.",
            line=params.get("line", "?"),
            limit=params.get("limit", 100),
        )
    if code == "field_too_long":
        return _(
            "Line %(line)s has a value longer than %(limit)s characters; "
            "shorten it and upload the file again.",
            line=params.get("line", "?"),
            limit=params.get("limit", 10000),
        )
    if code == "not_utf8":
        return _("The file is not UTF-8 text. In Excel choose “CSV UTF-8” when saving.")
    if code == "binary":
        return _("This does not look like a CSV file.")
    if code in ("empty", "no_header"):
        return _("The file is empty.")
    if code == "malformed":
        return _(
            "The file cannot be read as CSV (line %(line)s): a quote is probably not closed.",
            line=params.get("line", "?"),
        )
    if code == "mapping":
        reason = params.get("reason")
        if reason == "repeated_field":
            return _("Two columns are mapped to the same field.")
        if reason == "key_missing":
            return _("Map at least a name column (or an e-mail column for people).")
        return _("The column mapping is not valid.")
    return _("The file cannot be imported.")


def row_reason(code: str, params: dict[str, Any]) -> str:
    value = str(params.get("value", ""))
    messages = {
        "": "",
        "missing_name": _("no name (and no e-mail)"),
        "invalid_email": _("“%(value)s” is not a valid e-mail address", value=value),
        "invalid_phone": _("“%(value)s” is not a valid phone number", value=value),
        "unknown_language": _("unknown language “%(value)s”", value=value),
        "unknown_channel": _("unknown channel “%(value)s”", value=value),
        "unknown_type": _("unknown organisation type “%(value)s”", value=value),
        "unknown_size": _("unknown size “%(value)s”", value=value),
        "invalid_domain": _("“%(value)s” is not a domain", value=value),
        "too_long": _("a value is too long"),
        "extra_values": _("more values than columns in the header"),
        "role_without_organisation": _("a role without an organisation"),
        "exists": _("already in the register (mode: only add new)"),
        "not_found": _("not in the register (mode: only update)"),
        "ambiguous_email": _("the e-mails belong to different people"),
        "ambiguous_name": _("several records have this name; add an e-mail or domain"),
        "no_access": _("the matching record is shared with you read-only"),
        "organisation_no_access": _("the organisation is shared with you read-only"),
        "organisation_ambiguous": _("several organisations have this name"),
        "database_error": _("the row could not be saved"),
    }
    message = messages.get(code)
    return message if message is not None else code
