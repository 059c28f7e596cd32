"""Backups: the whole database in one file, and back again (also SQLite -> PostgreSQL).

Every table of `db.metadata` is written, found through `db.metadata.sorted_tables`, so a
table added later is backed up without a change here. A column type this module cannot
encode faithfully stops the export with a clear message instead of losing data.

The file is gzip'd JSON lines (UTF-8):

1. the manifest: `{"format": "audit-app-backup", "format_version": 1, "app_version",
   "alembic_revision", "created_at", "source", "tables": [{"name", "rows",
   "columns": [{"name", "type"}, ...]}, ...]}`, tables in dependency order;
2. per table, `{"table": NAME}` followed by one JSON array per row (the column values in
   the manifest's order, rows in primary-key order);
3. the evidence files (their bytes are not in the database), one line each, and
   `{"end": true, "tables": N, "rows": N}` (with `"files": N` when there are files), so a
   cut file is recognised (services/evidence_backup.py).

Values by column type: integers, floats (non-finite as "nan"/"inf"/"-inf"), decimals as
strings, strings, booleans, datetimes as ISO 8601 in UTC (`+00:00`; SQLite keeps them
without a zone and they are UTC there), naive datetimes, dates and times as ISO 8601,
bytes as base64, JSON columns as `null` for SQL NULL or a one-element array holding the
value (so a stored JSON `null` is `[null]`), NULL as `null`.

Export reads one consistent snapshot (REPEATABLE READ on PostgreSQL, one read
transaction on SQLite) in chunks (`yield_per`), and writes a temporary file renamed into
place at the end. Import refuses a database that is not empty or at another Alembic
revision, then inserts everything in one transaction, in dependency order and in
batches; foreign keys to the table itself or to a later table (none today) are filled
in with UPDATEs at the end; PostgreSQL sequences are moved past the largest ids.
No click here: the command (audit_app/commands/backup.py) maps BackupError to exit 1.
"""

from __future__ import annotations

import base64
import binascii
import decimal
import enum
import gzip
import json
import math
import os
import uuid
import zlib
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from importlib import metadata as package_metadata
from pathlib import Path
from typing import Any

from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import Column, Table, and_, bindparam, func, literal, null, select, text
from sqlalchemy import types as sqltypes
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from audit_app.extensions import db
from audit_app.services import evidence_backup

FORMAT = "audit-app-backup"
FORMAT_VERSION = 1
PACKAGE = "readiness-audit"
READ_CHUNK = 1000  # rows fetched at a time on export
BATCH_ROWS = 1000  # rows inserted at a time on import ...
BATCH_BYTES = 8 * 1024 * 1024  # ... or fewer when they are large (report PDFs)


class BackupError(Exception):
    """Anything that makes an export or import impossible; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Summary:
    """What was written or read: table -> rows, in dependency order."""

    path: Path
    revision: str | None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# --------------------------------------------------------------------------- column types

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


def _kind(column: Column[Any]) -> str:
    """How a column's values are written; raises for a type we cannot keep faithfully."""
    type_ = column.type
    checks: list[tuple[type[Any], str]] = [
        (sqltypes.JSON, "json"),
        (sqltypes.LargeBinary, "bytes"),
        (sqltypes.Interval, "interval"),
        (sqltypes.DateTime, "datetime"),
        (sqltypes.Date, "date"),
        (sqltypes.Time, "time"),
        (sqltypes.Boolean, "boolean"),
        (sqltypes.Integer, "integer"),
        (sqltypes.Float, "float"),
        (sqltypes.Numeric, "decimal"),
        (sqltypes.Uuid, "uuid"),
        (sqltypes.String, "string"),
    ]
    for class_, kind in checks:
        if isinstance(type_, class_):
            if kind == "datetime" and not getattr(type_, "timezone", False):
                return "datetime_naive"
            return kind
    raise BackupError(
        f"Column {column.table.name}.{column.name} has the type {type_!r}, "
        "which backups cannot store yet (audit_app/services/backup.py)."
    )


def _utc(value: datetime) -> datetime:
    """Aware UTC; SQLite hands back the stored UTC time without a zone."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _encode_float(value: float) -> Any:
    return value if math.isfinite(value) else str(value)


def _encode_string(value: Any) -> str:
    if value.__class__ is str:
        return value
    return value.name if isinstance(value, enum.Enum) else str(value)


def _encode_interval(value: timedelta) -> list[int]:
    return [value.days, value.seconds, value.microseconds]


ENCODERS: dict[str, Encoder] = {
    "integer": int,
    "float": _encode_float,
    "decimal": str,
    "string": _encode_string,
    "boolean": bool,
    "datetime": lambda v: _utc(v).isoformat(),
    "datetime_naive": lambda v: v.isoformat(),
    "date": lambda v: v.isoformat(),
    "time": lambda v: v.isoformat(),
    "bytes": lambda v: base64.b64encode(bytes(v)).decode("ascii"),
    "interval": _encode_interval,
    "uuid": str,
}


def _decode_integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("an integer expected")
    return value


def _decode_float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("a number expected")
    return float(value)


def _decode_string(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("a string expected")
    return value


def _decode_boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("true or false expected")
    return value


def _decode_datetime(value: Any) -> datetime:
    parsed = datetime.fromisoformat(_decode_string(value))
    if parsed.tzinfo is None:
        raise ValueError("a date and time with a time zone expected")
    return parsed.astimezone(UTC)


def _decode_naive(value: Any) -> datetime:
    parsed = datetime.fromisoformat(_decode_string(value))
    if parsed.tzinfo is not None:
        raise ValueError("a date and time without a time zone expected")
    return parsed


def _decode_bytes(value: Any) -> bytes:
    return base64.b64decode(_decode_string(value), validate=True)


def _decode_interval(value: Any) -> timedelta:
    if not (isinstance(value, list) and len(value) == 3):
        raise ValueError("[days, seconds, microseconds] expected")
    days, seconds, micro = (_decode_integer(part) for part in value)
    return timedelta(days=days, seconds=seconds, microseconds=micro)


def _decoder(column: Column[Any], kind: str) -> Decoder:
    if kind == "json":
        json_null = sqltypes.JSON.NULL

        def decode_json(value: Any) -> Any:
            if value is None:
                return null()  # SQL NULL (a bare None would be stored as JSON null)
            if not (isinstance(value, list) and len(value) == 1):
                raise ValueError("a JSON value in a one-element array expected")
            return json_null if value[0] is None else value[0]

        return decode_json
    if kind == "uuid":
        as_uuid = getattr(column.type, "as_uuid", True)
        return lambda v: uuid.UUID(_decode_string(v)) if as_uuid else _decode_string(v)
    simple: dict[str, Decoder] = {
        "integer": _decode_integer,
        "float": _decode_float,
        "decimal": lambda v: decimal.Decimal(_decode_string(v)),
        "string": _decode_string,
        "boolean": _decode_boolean,
        "datetime": _decode_datetime,
        "datetime_naive": _decode_naive,
        "date": lambda v: date.fromisoformat(_decode_string(v)),
        "time": lambda v: time.fromisoformat(_decode_string(v)),
        "bytes": _decode_bytes,
        "interval": _decode_interval,
    }
    return simple[kind]


@dataclass
class _TableSpec:
    table: Table
    columns: list[Column[Any]]
    kinds: list[str]

    @property
    def name(self) -> str:
        return str(self.table.name)

    def manifest_columns(self) -> list[dict[str, str]]:
        return [{"name": c.name, "type": k} for c, k in zip(self.columns, self.kinds, strict=True)]


def _specs() -> list[_TableSpec]:
    specs = []
    for table in db.metadata.sorted_tables:
        columns = list(table.columns)
        specs.append(_TableSpec(table, columns, [_kind(c) for c in columns]))
    return specs


# --------------------------------------------------------------------------- revisions


def _code_revision() -> str | None:
    """The migrations' head revision of this version of the app."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(current_app.extensions["migrate"].directory))
    return _joined(ScriptDirectory.from_config(config).get_heads())


def _database_revision(conn: Connection) -> str | None:
    return _joined(MigrationContext.configure(conn).get_current_heads())


def _joined(heads: Any) -> str | None:
    return ",".join(sorted(heads)) or None


def _check_schema(conn: Connection) -> str:
    """The database's revision, when it is the one this version of the app works with."""
    current, expected = _database_revision(conn), _code_revision()
    if current != expected:
        raise BackupError(
            f"The database is at revision {current or 'none (no tables yet)'}, "
            f"this version of audit-app expects {expected}: "
            "run `audit-app db upgrade` first."
        )
    assert current is not None
    return current


def _app_version() -> str:
    try:
        return package_metadata.version(PACKAGE)
    except package_metadata.PackageNotFoundError:
        return "unknown"


# --------------------------------------------------------------------------- export


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _line(value: Any) -> str:
    return _JSON.encode(value) + "\n"


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose reads all see the same moment of the database."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                conn.execute(text("SET TRANSACTION READ ONLY"))
                yield conn
        return
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            # pysqlite starts no transaction for reads: one BEGIN keeps one snapshot.
            conn.exec_driver_sql("BEGIN")
        try:
            yield conn
        finally:
            conn.rollback()


def _rows(conn: Connection, spec: _TableSpec) -> Iterator[list[Any]]:
    """The table's rows, encoded, fetched `READ_CHUNK` at a time."""
    json_positions = [i for i, kind in enumerate(spec.kinds) if kind == "json"]
    flag_of = {position: index for index, position in enumerate(json_positions)}
    flags = [spec.columns[i].is_(None) for i in json_positions]  # SQL NULL, not JSON null
    query = select(*spec.columns, *flags)
    if spec.table.primary_key.columns:
        query = query.order_by(*spec.table.primary_key.columns)
    encoders = [ENCODERS.get(kind) for kind in spec.kinds]
    width = len(spec.columns)
    for row in conn.execute(query.execution_options(yield_per=READ_CHUNK)):
        cells: list[Any] = []
        for position in range(width):
            value, encoder = row[position], encoders[position]
            if encoder is None:  # json
                cells.append(None if row[width + flag_of[position]] else [value])
            else:
                cells.append(None if value is None else encoder(value))
        yield cells


def export_backup(path: Path, *, overwrite: bool = False) -> Summary:
    """Write every table into `path`; returns the row counts."""
    if path.exists() and not overwrite:
        raise BackupError(f"{path} already exists (use --force to replace it).")
    if path.parent and not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    specs = _specs()
    engine = db.engine
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with _snapshot(engine) as conn:
            revision = _check_schema(conn)
            counts = {
                spec.name: int(conn.scalar(select(func.count()).select_from(spec.table)) or 0)
                for spec in specs
            }
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": _app_version(),
                "alembic_revision": revision,
                "created_at": datetime.now(UTC).isoformat(),
                "source": engine.dialect.name,
                "tables": [
                    {"name": s.name, "rows": counts[s.name], "columns": s.manifest_columns()}
                    for s in specs
                ],
            }
            with gzip.open(temporary, "wt", compresslevel=6, encoding="utf-8", newline="\n") as out:
                out.write(_line(manifest))
                for spec in specs:
                    out.write(_line({"table": spec.name}))
                    written = 0
                    for cells in _rows(conn, spec):
                        out.write(_line(cells))
                        written += 1
                    if written != counts[spec.name]:  # pragma: no cover - snapshot guards
                        raise BackupError(f"Table {spec.name} changed during the export.")
                files = 0
                for record in evidence_backup.file_records(conn):
                    out.write(_line(record))
                    files += 1
                end = {"end": True, "tables": len(specs), "rows": sum(counts.values())}
                out.write(_line({**end, "files": files} if files else end))
        os.replace(temporary, path)
    except OSError as error:
        raise BackupError(f"Cannot write {path}: {error.strerror or error}.") from None
    except SQLAlchemyError as error:
        raise BackupError(f"The database could not be read: {_reason(error)}") from None
    except evidence_backup.EvidenceBackupError as error:
        raise BackupError(str(error)) from None
    finally:
        temporary.unlink(missing_ok=True)
    return Summary(path, revision, counts)


# --------------------------------------------------------------------------- reading


def _records(path: Path) -> Generator[tuple[int, int, Any], None, None]:
    """(line number, size, parsed JSON) for each line of the file."""
    unreadable = f"{path} is not a readable backup file"
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="\n") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    value = json.loads(line)
                except ValueError:
                    raise BackupError(f"{unreadable}: line {number} is damaged.") from None
                yield number, len(line), value
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist.") from None
    except (OSError, EOFError, zlib.error, ValueError) as error:
        raise BackupError(f"{unreadable} ({error}).") from None


def _manifest_from(record: Any, path: Path) -> dict[str, Any]:
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise BackupError(f"{path} is not an audit-app backup.")
    version = record.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a backup in format version {version}; this version of audit-app "
            f"reads format version {FORMAT_VERSION}."
        )
    tables = record.get("tables")
    valid = isinstance(tables, list) and all(
        isinstance(t, dict)
        and isinstance(t.get("name"), str)
        and isinstance(t.get("rows"), int)
        and isinstance(t.get("columns"), list)
        and all(isinstance(c, dict) and {"name", "type"} <= c.keys() for c in t["columns"])
        for t in tables
    )
    if not valid:
        raise BackupError(f"{path} is not a readable backup file: its table list is damaged.")
    return record


def read_manifest(path: Path) -> dict[str, Any]:
    """The backup's manifest (checks the file's format, reads only its first line)."""
    records = _records(path)
    try:
        for _number, _size, record in records:
            return _manifest_from(record, path)
    finally:
        records.close()
    raise BackupError(f"{path} is empty.")


# --------------------------------------------------------------------------- import


@dataclass
class _Plan:
    """How one table of the backup goes into this database."""

    spec: _TableSpec
    rows: int
    decoders: list[Decoder]
    deferred: list[int]  # positions of foreign keys filled in at the end


def _plans(manifest: dict[str, Any]) -> list[_Plan]:
    specs = {spec.name: spec for spec in _specs()}
    plans: list[_Plan] = []
    seen: set[str] = set()
    for entry in manifest["tables"]:
        name = entry["name"]
        spec = specs.get(name)
        if spec is None or name in seen:
            raise BackupError(f"The backup has a table {name} this version of audit-app lacks.")
        theirs = [(c["name"], c["type"]) for c in entry["columns"]]
        ours = [(c.name, k) for c, k in zip(spec.columns, spec.kinds, strict=True)]
        if theirs != ours:
            raise BackupError(
                f"The backup's table {name} has the columns {theirs}, "
                f"this version of audit-app has {ours}."
            )
        seen.add(name)
        deferred = [
            position
            for position, column in enumerate(spec.columns)
            if any(fk.column.table.name not in seen - {name} for fk in column.foreign_keys)
        ]
        for position in deferred:
            if not spec.columns[position].nullable:
                raise BackupError(
                    f"Column {name}.{spec.columns[position].name} refers to a table restored "
                    "later and cannot be left empty meanwhile."
                )
        decoders = [_decoder(c, k) for c, k in zip(spec.columns, spec.kinds, strict=True)]
        plans.append(_Plan(spec, entry["rows"], decoders, deferred))
    missing = [name for name in specs if name not in seen]
    if missing:
        raise BackupError(f"The backup lacks the tables {', '.join(missing)}.")
    return plans


def _check_revision(manifest: dict[str, Any], current: str) -> None:
    theirs = manifest.get("alembic_revision")
    if theirs == current:
        return
    raise BackupError(
        f"The backup was made at database revision {theirs}, this database is at {current}: "
        "a backup is imported only into a database at the same revision. Import it with the "
        "version of audit-app that made it (into a database set up with its "
        "`audit-app db upgrade`), then install this version and run `audit-app db upgrade`."
    )


def _check_empty(conn: Connection) -> None:
    filled = [
        table.name
        for table in db.metadata.sorted_tables
        if conn.execute(select(literal(1)).select_from(table).limit(1)).first() is not None
    ]
    if filled:
        raise BackupError(
            "The database is not empty (rows in "
            + ", ".join(filled)
            + "): a backup is imported only into an empty database. Create a new database, "
            "run `audit-app db upgrade`, then import."
        )


def _lock(conn: Connection) -> None:
    """PostgreSQL: nobody else writes while the import checks and fills the tables
    (SQLite holds its write lock from BEGIN IMMEDIATE)."""
    if conn.dialect.name == "postgresql":
        preparer = conn.dialect.identifier_preparer
        names = ", ".join(preparer.format_table(t) for t in db.metadata.sorted_tables)
        conn.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))


def _fail(path: Path, number: int, message: str) -> BackupError:
    return BackupError(f"{path} is not a readable backup file: line {number}: {message}.")


def _reason(error: SQLAlchemyError) -> str:
    """The database's own words, first line (not the SQL nor the parameters)."""
    text_ = str(getattr(error, "orig", None) or error).strip()
    return text_.splitlines()[0] if text_ else type(error).__name__


def _insert(conn: Connection, plan: _Plan, batch: list[dict[str, Any]]) -> None:
    if not batch:
        return
    try:
        conn.execute(plan.spec.table.insert(), batch)
    except SQLAlchemyError as error:
        raise BackupError(
            f"Rows of {plan.spec.name} could not be imported: {_reason(error)}"
        ) from None


def _next(records: Iterator[tuple[int, int, Any]], path: Path) -> tuple[int, int, Any]:
    found = next(records, None)
    if found is None:
        raise BackupError(f"{path} is not a readable backup file: it ends too early.")
    return found


def _load(conn: Connection, path: Path, plans: list[_Plan], written: list[str]) -> dict[str, int]:
    """Insert the rows of the file table by table, then store the evidence files (their
    keys noted in `written`); returns the counts."""
    records = _records(path)
    counts: dict[str, int] = {}
    pending: list[tuple[_Plan, list[dict[str, Any]]]] = []  # deferred foreign keys
    try:
        next(records)  # the manifest, checked before
        for plan in plans:
            number, _size, record = _next(records, path)
            if record != {"table": plan.spec.name}:
                raise _fail(path, number, f"the table {plan.spec.name} was expected")
            keys = [c.key for c in plan.spec.columns]
            deferred_keys = [keys[p] for p in plan.deferred]
            primary = [c.key for c in plan.spec.table.primary_key.columns]
            json_positions = {i for i, kind in enumerate(plan.spec.kinds) if kind == "json"}
            batch: list[dict[str, Any]] = []
            later: list[dict[str, Any]] = []
            size = 0
            for _ in range(plan.rows):
                number, line_size, cells = _next(records, path)
                if not (isinstance(cells, list) and len(cells) == len(keys)):
                    raise _fail(path, number, f"a row of {plan.spec.name} was expected")
                row: dict[str, Any] = {}
                for position, (key, value) in enumerate(zip(keys, cells, strict=True)):
                    if value is None and position not in json_positions:
                        row[key] = None
                        continue
                    try:
                        row[key] = plan.decoders[position](value)
                    except (ValueError, TypeError, binascii.Error, decimal.InvalidOperation):
                        raise _fail(path, number, f"bad value for {plan.spec.name}.{key}") from None
                if deferred_keys:
                    values = {k: row[k] for k in deferred_keys}
                    if any(v is not None for v in values.values()):
                        later.append(
                            {
                                **{f"pk_{k}": row[k] for k in primary},
                                **{f"new_{k}": v for k, v in values.items()},
                            }
                        )
                    row.update(dict.fromkeys(deferred_keys))
                batch.append(row)
                size += line_size
                if len(batch) >= BATCH_ROWS or size >= BATCH_BYTES:
                    _insert(conn, plan, batch)
                    batch, size = [], 0
            _insert(conn, plan, batch)
            if later:
                pending.append((plan, later))
            counts[plan.spec.name] = plan.rows
        number, _size, record = _next(records, path)
        while evidence_backup.is_file_record(record):
            try:
                evidence_backup.restore(record, written)
            except evidence_backup.EvidenceBackupError as error:
                raise _fail(path, number, str(error)) from None
            number, _size, record = _next(records, path)
        total = sum(counts.values())
        if not (isinstance(record, dict) and record.get("end") is True):
            raise _fail(path, number, "the end of the backup was expected")
        if record.get("rows") != total:
            raise _fail(path, number, "the row count does not match")
        if record.get("files", 0) != len(written):
            raise _fail(path, number, "the number of evidence files does not match")
        extra = next(records, None)
        if extra is not None:
            raise _fail(path, extra[0], "data after the end of the backup")
    finally:
        records.close()
    for plan, rows in pending:
        _fill_deferred(conn, plan, rows)
    return counts


def _fill_deferred(conn: Connection, plan: _Plan, rows: list[dict[str, Any]]) -> None:
    table = plan.spec.table
    keys = [plan.spec.columns[p].key for p in plan.deferred]
    condition = and_(*(c == bindparam(f"pk_{c.key}") for c in table.primary_key.columns))
    statement = table.update().where(condition).values({k: bindparam(f"new_{k}") for k in keys})
    try:
        conn.execute(statement, rows)
    except SQLAlchemyError as error:
        raise BackupError(
            f"Rows of {plan.spec.name} could not be imported: {_reason(error)}"
        ) from None


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL: the next generated id of each table follows the largest imported one."""
    if conn.dialect.name != "postgresql":
        return  # SQLite takes max(rowid) + 1 by itself
    preparer = conn.dialect.identifier_preparer
    for table in db.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, sqltypes.Integer):
                continue
            sequence = conn.scalar(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": preparer.format_table(table), "column": column.name},
            )
            if sequence is None:
                continue
            largest = conn.scalar(select(func.max(column)))
            conn.execute(
                text("SELECT setval(CAST(:sequence AS regclass), :value, :called)"),
                {"sequence": sequence, "value": largest or 1, "called": largest is not None},
            )


def import_backup(path: Path) -> Summary:
    """Restore `path` into this (empty) database in one transaction."""
    manifest = read_manifest(path)
    engine = db.engine
    written: list[str] = []  # evidence files stored so far, removed if the import fails
    try:
        with engine.connect() as conn:  # closed without commit = rolled back
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock before the checks
            current = _check_schema(conn)
            _check_revision(manifest, current)
            plans = _plans(manifest)  # the same tables and columns here
            _lock(conn)
            _check_empty(conn)
            counts = _load(conn, path, plans, written)
            _reset_sequences(conn)
            conn.commit()
    except SQLAlchemyError as error:
        evidence_backup.discard(written)
        raise BackupError(f"The backup could not be imported: {_reason(error)}") from None
    except BaseException:
        evidence_backup.discard(written)
        raise
    return Summary(path, current, counts)
