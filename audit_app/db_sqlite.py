"""SQLite behind several web workers (gunicorn processes or threads).

SQLite lets one connection write at a time. Out of the box, the app met that limit
badly: a worker that found the database locked gave up after pysqlite's 5 s default,
every commit waited for a journal sync, and a request that read first and wrote later
(autosave checks the stored revision, then writes) could neither wait for the lock
(SQLite refuses a deferred read transaction's upgrade to a write at once when another
connection committed in between) nor rely on `SELECT ... FOR UPDATE` (SQLite ignores it).
Three settings, for SQLite URLs only (PostgreSQL is untouched):

* busy timeout: a connection waits up to `SQLITE_BUSY_TIMEOUT` seconds (15) for a lock
  instead of failing (`connect_args={"timeout": ...}`, set by `configure`);
* WAL journal (`PRAGMA journal_mode=WAL`, `synchronous=NORMAL`): readers never block the
  writer nor the writer the readers, and a commit appends to the log instead of
  syncing the whole journal; `synchronous=NORMAL` in WAL mode stays consistent after a
  crash (the last commits may be lost on a power cut, the file is never corrupted);
* `SELECT ... FOR UPDATE` means what it means on PostgreSQL: when the connection holds
  no write lock yet, `BEGIN IMMEDIATE` is sent first, so the row is read under the
  write lock (waiting for it within the busy timeout) and nobody can change it before
  the transaction ends. The code marks its read-check-write steps that way (autosave's
  revision check, respondents' answers); everything else keeps pysqlite's usual
  transactions (reads outside a transaction, `BEGIN` just before the first write).

If the lock is still held after the timeout, the request fails with a clear 503 page
(audit_app.errors). See docs/reliability.md.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url

from audit_app.extensions import db

log = logging.getLogger(__name__)


def is_sqlite(url: Any) -> bool:
    return url is not None and make_url(url).get_backend_name() == "sqlite"


def configure(app: Flask) -> None:
    """Before `db.init_app`: the busy timeout for SQLite URLs (the configured engine
    options are copied, never changed in place: they may be shared with a Config class)."""
    if not is_sqlite(app.config.get("SQLALCHEMY_DATABASE_URI")):
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    connect_args.setdefault("timeout", float(app.config.get("SQLITE_BUSY_TIMEOUT", 15)))
    options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def init_app(app: Flask) -> None:
    """After `db.init_app`: WAL on every new connection, FOR UPDATE takes the write lock."""
    with app.app_context():
        engines = list(db.engines.values())
    for engine in engines:
        if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _on_connect):
            event.listen(engine, "connect", _on_connect)
            event.listen(engine, "before_cursor_execute", _lock_for_update)


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        mode = cursor.fetchone()
        if mode and str(mode[0]).lower() not in ("wal", "memory"):
            log.warning("SQLite stays in journal mode %s (WAL not available)", mode[0])
        cursor.execute("PRAGMA synchronous=NORMAL")
    except Exception as error:  # noqa: BLE001 - never fail a connection over a tuning
        log.warning("SQLite WAL mode not set: %s", error)
    finally:
        cursor.close()


def _lock_for_update(
    connection: Connection,
    cursor: Any,
    statement: str,
    parameters: Any,
    context: Any,
    executemany: bool,
) -> None:
    """SQLite drops FOR UPDATE from the SQL; take the write lock instead. pysqlite opens a
    transaction only for a write, so "in a transaction" means "holding the write lock"."""
    compiled = getattr(context, "compiled", None)
    if getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is None:
        return
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection is not None and not dbapi_connection.in_transaction:
        cursor.execute("BEGIN IMMEDIATE")
