"""Migration e7a3c9d1f5b8 fills `organisations.search_key` of the rows already there
exactly as the model fills new ones (issue 19)."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from audit_app.extensions import db
from audit_app.models.organisations import search_key_of
from tests.web.test_migrations import database_url, fresh_app  # noqa: F401

BEFORE = "d5e1b3f7a9c2"


def test_existing_organisations_get_their_search_key(fresh_app):  # noqa: F811
    with fresh_app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO organisations (name, type, city, created_at, benchmark_consent) "
                    "VALUES ('Biblioteka Łódź-Północ', 'library', 'Łódź', CURRENT_TIMESTAMP, "
                    "false), ('Żabka', 'company', NULL, CURRENT_TIMESTAMP, false)"
                )
            )
        upgrade(revision="e7a3c9d1f5b8")
        with db.engine.connect() as conn:
            keys = dict(conn.execute(text("SELECT name, search_key FROM organisations")).all())
        assert keys == {
            "Biblioteka Łódź-Północ": search_key_of("Biblioteka Łódź-Północ", "Łódź"),
            "Żabka": search_key_of("Żabka", None),
        }
        assert keys["Żabka"] == "zabka\n"
        downgrade(revision=BEFORE)
