"""The CSV import wizard: upload -> column mapping and preview (dry run) -> import
-> report, and reverting a whole import batch."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import undefer

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import ImportBatch
from audit_app.services.register import csvparse, importer, messages, revert, uploads
from audit_app.services.register.access import require_editor
from audit_app.services.register.csvparse import CsvFileError
from audit_app.web.confirm import confirm_page
from audit_app.web.register.blueprint import bp, me
from audit_app.web.register.forms_activity import ImportOptionsForm, UploadForm
from audit_app.web.register.labels import error_message

PREVIEW_ROWS = 10


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_upload() -> ResponseReturnValue:
    user = me()
    require_editor(user)
    form = UploadForm()
    if form.validate_on_submit():
        storage = form.file.data
        limit, rows = _limits()
        data = storage.stream.read(limit + 1)
        try:
            upload, parsed = uploads.store(
                user, data, storage.filename, max_bytes=limit, max_rows=rows
            )
        except CsvFileError as error:
            db.session.rollback()
            form.file.errors = [messages.file_error(error.code, error.params)]
        else:
            kind = form.kind.data or csvparse.guess_kind(parsed.headers)
            db.session.commit()
            return redirect(url_for("register.import_mapping", token=upload.token, kind=kind))
    limit, rows = _limits()
    return render_template(
        "register/import_upload.html",
        form=form,
        max_rows=rows,
        max_mb=max(limit // (1024 * 1024), 1),
    )


def _limits() -> tuple[int, int]:
    """Bytes and rows an upload may have: 5 MB and 50,000 rows unless configured lower
    (REGISTER_IMPORT_MAX_BYTES, REGISTER_IMPORT_MAX_ROWS, and never over MAX_CONTENT_LENGTH)."""
    config = current_app.config
    limit = min(
        config.get("REGISTER_IMPORT_MAX_BYTES") or csvparse.MAX_BYTES,
        config.get("MAX_CONTENT_LENGTH") or csvparse.MAX_BYTES,
    )
    return limit, config.get("REGISTER_IMPORT_MAX_ROWS") or csvparse.MAX_ROWS


def _mapping_from_form(count: int, kind: str) -> list[str]:
    known = set(csvparse.HEADERS[kind])
    mapping = []
    for index in range(count):
        value = request.form.get(f"map-{index}", "")
        mapping.append(value if value in known else "")
    return mapping


@bp.route("/import/<token>", methods=["GET", "POST"])
@login_required
def import_mapping(token: str) -> ResponseReturnValue:
    user = me()
    require_editor(user)
    upload = uploads.load(user, token[:64]) or abort(404)
    parsed = uploads.parsed(upload)
    kind = request.values.get("kind", "")
    kind = kind if kind in csvparse.KINDS else csvparse.guess_kind(parsed.headers)
    form = ImportOptionsForm(
        data={"kind": kind, "mode": "upsert"} if request.method == "GET" else None
    )
    mapping = (
        csvparse.auto_map(parsed.headers, kind)
        if request.method == "GET" or request.form.get("action") == "remap"
        else _mapping_from_form(len(parsed.headers), kind)
    )
    result: importer.ImportResult | None = None
    file_error = ""
    if (
        request.method == "POST"
        and request.form.get("action") in ("dry_run", "import")
        and form.validate_on_submit()
    ):
        dry_run = request.form.get("action") == "dry_run"
        filename = upload.filename
        try:
            result = importer.run_import(
                user,
                parsed,
                mapping,
                kind,
                form.mode.data or "upsert",
                dry_run=dry_run,
                filename=filename,
            )
        except CsvFileError as error:
            db.session.rollback()
            file_error = messages.file_error(error.code, error.params)
        except UserError as error:
            db.session.rollback()
            file_error = error_message(error.message)
        else:
            if dry_run:
                db.session.rollback()
                upload = uploads.load(user, token[:64]) or abort(404)
            else:
                uploads.discard(upload)
                db.session.commit()
                flash(_("The file was imported."), "success")
                return redirect(url_for("register.import_batch", batch_id=result.batch_id))
    return render_template(
        "register/import_mapping.html",
        upload=upload,
        parsed=parsed,
        kind=kind,
        form=form,
        mapping=mapping,
        fields=list(csvparse.HEADERS[kind]),
        preview=parsed.rows[:PREVIEW_ROWS],
        result=result,
        file_error=file_error,
        describe=messages.row_reason,
    )


def _batch_or_404(batch_id: int) -> ImportBatch:
    user = me()
    batch = db.session.scalar(
        select(ImportBatch).where(ImportBatch.id == batch_id).options(undefer(ImportBatch.report))
    )
    if batch is None or not (user.is_admin or batch.created_by_id == user.id):
        abort(404)
    return batch


@bp.route("/import/batches")
@login_required
def import_batches() -> ResponseReturnValue:
    user = me()
    query = select(ImportBatch).order_by(ImportBatch.id.desc()).limit(100)
    if not user.is_admin:
        query = query.where(ImportBatch.created_by_id == user.id)
    return render_template("register/import_batches.html", batches=list(db.session.scalars(query)))


@bp.route("/import/batches/<int:batch_id>")
@login_required
def import_batch(batch_id: int) -> ResponseReturnValue:
    batch = _batch_or_404(batch_id)
    rows: list[dict[str, Any]] = batch.report or []
    return render_template(
        "register/import_batch.html", batch=batch, rows=rows, describe=messages.row_reason
    )


@bp.route("/import/batches/<int:batch_id>/revert", methods=["GET", "POST"])
@login_required
def import_revert(batch_id: int) -> ResponseReturnValue:
    user = me()
    require_editor(user)
    batch = _batch_or_404(batch_id)
    back = url_for("register.import_batch", batch_id=batch.id)
    if request.method == "GET":
        return confirm_page(
            title=_("Revert import #%(id)d", id=batch.id),
            question=_(
                "Reverting removes the records this import added and gives updated records "
                "their earlier values. Records changed since, or with interactions, "
                "follow-ups or consents, are kept."
            ),
            details=batch.filename,
            button=_("Revert this import"),
            cancel=back,
        )
    try:
        result = revert.revert(user, batch)
    except UserError as error:
        db.session.rollback()
        flash(error_message(error.message), "error")
    else:
        db.session.commit()
        flash(
            _(
                "The import was reverted: %(count)d records restored or removed.",
                count=result.reverted,
            ),
            "success",
        )
        if result.kept:
            flash(
                _(
                    "%(count)d records were kept because they changed after the import or "
                    "have interactions, follow-ups or consents.",
                    count=len(result.kept),
                ),
                "warning",
            )
    return redirect(url_for("register.import_batch", batch_id=batch_id))
