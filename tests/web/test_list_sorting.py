"""Sortable lists (issue 15, item 10): ?sort=&dir= with whitelisted columns, aria-sort on
the sorted header, each header a link that sorts by it (the other way when sorted)."""

from __future__ import annotations

import re

from audit_app.extensions import db
from audit_app.models import Organisation
from tests.conftest import login, make_user


def _names_in_order(html: str, names: list[str]) -> list[str]:
    rows = html[html.index("<tbody") :]
    return sorted(names, key=lambda name: rows.index(f">{name}<"))


def test_organisations_sort_by_a_whitelisted_column_either_way(app, client):
    admin_id = make_user(app, "admin@example.org", "admin")
    with app.app_context():
        for name, city in (("Biblioteka A", "Zgierz"), ("Biblioteka B", "Łask"), ("C", "Kutno")):
            db.session.add(
                Organisation(name=name, type="library", city=city, created_by_id=admin_id)
            )
        db.session.commit()
    login(client, "admin@example.org")
    names = ["Biblioteka A", "Biblioteka B", "C"]

    default = client.get("/organisations").text
    assert _names_in_order(default, names) == names
    assert re.search(r'<th scope="col" aria-sort="ascending">\s*<a[^>]*>Organisation name', default)

    by_city = client.get("/organisations?sort=city&dir=asc").text
    assert _names_in_order(by_city, names) == ["C", "Biblioteka A", "Biblioteka B"]  # K, Z, Ł
    assert re.search(
        r'aria-sort="ascending">\s*<a class="sort-link" href="[^"]*sort=city&amp;dir=desc', by_city
    )
    assert by_city.count("aria-sort=") == 1

    by_name_desc = client.get("/organisations?sort=name&dir=desc").text
    assert _names_in_order(by_name_desc, names) == list(reversed(names))
    assert 'aria-sort="descending"' in by_name_desc

    # A column not on the list (or an injection attempt) sorts by name.
    odd = client.get("/organisations?sort=id%3Bdrop&dir=desc").text
    assert _names_in_order(odd, names) == names


def test_users_sort_by_e_mail(app, client):
    make_user(app, "admin@example.org", "admin", name="Zofia")
    make_user(app, "zz@example.org", "consultant", name="Adam")
    login(client, "admin@example.org")
    by_name = client.get("/admin/users").text
    assert _names_in_order(by_name, ["Zofia", "Adam"]) == ["Adam", "Zofia"]
    by_email = client.get("/admin/users?sort=email").text
    assert _names_in_order(by_email, ["Zofia", "Adam"]) == ["Zofia", "Adam"]
    assert 'aria-sort="ascending"' in by_email


def test_register_people_sort_by_name_either_way(app, client):
    from tests.web.test_register_helpers import make_person, world

    ids = world(app)
    for last in ("Adamska", "Bielska", "Cieślak"):
        make_person(app, ids["con"], "Ewa", last, organisation_id=ids["org_a"])
    login(client, "con@example.org")
    names = ["Ewa Adamska", "Ewa Bielska", "Ewa Cieślak"]
    ascending = client.get("/register/people").text
    assert _names_in_order(ascending, names) == names
    descending = client.get("/register/people?sort=name&dir=desc").text
    assert _names_in_order(descending, names) == list(reversed(names))
    assert 'aria-sort="descending"' in descending


# --- the other lists (campaigns, tokens, report archive, deleted items, interactions,
# follow-ups): each flips with dir=desc and falls back to its default on an unknown column.


def _ids_in_order(html: str, prefix: str) -> list[int]:
    return [int(found) for found in re.findall(rf'id="{prefix}-(\d+)"', html)]


def test_campaigns_sort_by_name_period_and_members(app, client):
    from datetime import date

    from audit_app.models import Campaign, CampaignMember

    admin_id = make_user(app, "admin@example.org", "admin")
    with app.app_context():
        organisations = [
            Organisation(name=f"Member {n}", type="library", created_by_id=admin_id)
            for n in range(3)
        ]
        db.session.add_all(organisations)
        # name, start, members: each column gives a different order
        for name, start, members in (("Beta", 2024, 3), ("Alfa", 2023, 1), ("Gamma", 2025, 2)):
            campaign = Campaign(
                name=name,
                questionnaire_id="crm-readiness",
                starts_on=date(start, 1, 1),
                ends_on=date(start, 12, 31),
                organiser_id=admin_id,
            )
            campaign.members = [CampaignMember(organisation=o) for o in organisations[:members]]
            db.session.add(campaign)
        db.session.commit()
    login(client, "admin@example.org")
    names = ["Alfa", "Beta", "Gamma"]

    default = client.get("/campaigns").text  # the newest start first
    assert _names_in_order(default, names) == ["Gamma", "Beta", "Alfa"]
    assert re.search(r'aria-sort="descending">\s*<a[^>]*>Period', default)
    assert _names_in_order(client.get("/campaigns?sort=name").text, names) == names
    by_name_desc = client.get("/campaigns?sort=name&dir=desc").text
    assert _names_in_order(by_name_desc, names) == ["Gamma", "Beta", "Alfa"]
    assert re.search(r'aria-sort="descending">\s*<a[^>]*>Campaign name', by_name_desc)
    by_members = client.get("/campaigns?sort=members").text
    assert _names_in_order(by_members, names) == ["Alfa", "Gamma", "Beta"]
    by_members_desc = client.get("/campaigns?sort=members&dir=desc").text
    assert _names_in_order(by_members_desc, names) == ["Beta", "Gamma", "Alfa"]
    odd = client.get("/campaigns?sort=organiser_id&dir=asc").text
    assert _names_in_order(odd, names) == ["Gamma", "Beta", "Alfa"]


def test_api_tokens_sort_by_name_and_status(app, client):
    from audit_app.models import ApiToken, User
    from audit_app.services import api_tokens

    user_id = make_user(app, "con@example.org", "consultant")
    with app.app_context():
        user = db.session.get(User, user_id)
        for name in ("Power BI", "Arkusz", "Zapier"):
            api_tokens.create(user, name)
        db.session.commit()
        revoked = db.session.scalar(db.select(ApiToken).filter_by(name="Zapier"))
        api_tokens.revoke(user, revoked)
        db.session.commit()
    login(client, "con@example.org")
    names = ["Arkusz", "Power BI", "Zapier"]

    default = client.get("/account/tokens").text  # active first, newest first
    assert _names_in_order(default, names) == ["Arkusz", "Power BI", "Zapier"]
    assert re.search(r'aria-sort="ascending">\s*<a[^>]*>Status', default)
    revoked_first = client.get("/account/tokens?sort=status&dir=desc").text
    assert _names_in_order(revoked_first, names)[0] == "Zapier"
    assert _names_in_order(client.get("/account/tokens?sort=name").text, names) == names
    by_name_desc = client.get("/account/tokens?sort=name&dir=desc").text
    assert _names_in_order(by_name_desc, names) == list(reversed(names))
    assert 'aria-sort="descending"' in by_name_desc
    odd = client.get("/account/tokens?sort=token_hash").text
    assert _names_in_order(odd, names) == ["Arkusz", "Power BI", "Zapier"]


def test_report_archive_sorts_by_issue_date_and_pages(app, client):
    from datetime import UTC, datetime

    from audit_app.models import IssuedReport
    from tests.web.test_organisations import make_audit

    admin_id = make_user(app, "admin@example.org", "admin")
    with app.app_context():
        organisation = Organisation(name="Biblioteka", type="library", created_by_id=admin_id)
        db.session.add(organisation)
        db.session.commit()
        organisation_id = organisation.id
    audit_id = make_audit(app, organisation_id, admin_id)
    with app.app_context():
        ids = []
        for day, pages in ((1, 12), (3, 4), (2, 8)):
            report = IssuedReport(
                organisation_id=organisation_id,
                audit_id=audit_id,
                design="brief",
                lang="pl",
                created_at=datetime(2026, 3, day, tzinfo=UTC),
                filename=f"raport-{day}.pdf",
                size=1,
                pages=pages,
                sha256=f"{day:064d}",
                pdf=b"%PDF",
                context={},
            )
            db.session.add(report)
            db.session.flush()
            ids.append(report.id)
        db.session.commit()
    first, third, second = ids  # issued on the 1st, 3rd, 2nd
    login(client, "admin@example.org")
    url = f"/audits/{audit_id}/reports"

    default = client.get(url).text  # the newest first
    assert _ids_in_order(default, "report") == [third, second, first]
    assert re.search(r'aria-sort="descending">\s*<a[^>]*>Issued', default)
    oldest_first = client.get(f"{url}?sort=issued&dir=asc").text
    assert _ids_in_order(oldest_first, "report") == [first, second, third]
    assert _ids_in_order(client.get(f"{url}?sort=pages").text, "report") == [third, second, first]
    by_pages_desc = client.get(f"{url}?sort=pages&dir=desc").text
    assert _ids_in_order(by_pages_desc, "report") == [first, second, third]
    assert f"/audits/{audit_id}/reports?sort=pages&amp;dir=asc" in by_pages_desc
    odd = client.get(f"{url}?sort=sha256&dir=asc").text
    assert _ids_in_order(odd, "report") == [third, second, first]


def test_deleted_items_sort_by_deletion_purge_date_and_kind(app, client):
    from datetime import UTC, datetime

    from sqlalchemy import update

    from audit_app.models import Audit
    from tests.web.test_organisations import make_audit

    admin_id = make_user(app, "admin@example.org", "admin")
    with app.app_context():
        for name in ("Usunięta A", "Usunięta B", "Z audytem"):
            db.session.add(Organisation(name=name, type="library", created_by_id=admin_id))
        db.session.commit()
        ids = {o.name: o.id for o in db.session.scalars(db.select(Organisation))}
    audit_id = make_audit(app, ids["Z audytem"], admin_id)
    with app.app_context():
        for name, day in (("Usunięta A", 2), ("Usunięta B", 4)):
            db.session.execute(
                update(Organisation)
                .where(Organisation.id == ids[name])
                .values(deleted_at=datetime(2099, 1, day, tzinfo=UTC), deleted_by_id=admin_id)
            )
        db.session.execute(
            update(Audit)
            .where(Audit.id == audit_id)
            .values(deleted_at=datetime(2099, 1, 3, tzinfo=UTC), deleted_by_id=admin_id)
        )
        db.session.commit()
    login(client, "admin@example.org")
    names = ["Usunięta A", "Usunięta B", "Z audytem"]

    default = client.get("/admin/deleted").text  # the most recently deleted first
    assert _names_in_order(default, names) == ["Usunięta B", "Z audytem", "Usunięta A"]
    assert re.search(r'aria-sort="descending">\s*<a[^>]*>Deleted<', default)
    oldest_first = client.get("/admin/deleted?sort=deleted&dir=asc").text
    assert _names_in_order(oldest_first, names) == ["Usunięta A", "Z audytem", "Usunięta B"]
    by_purge = client.get("/admin/deleted?sort=purge&dir=desc").text
    assert _names_in_order(by_purge, names) == ["Usunięta B", "Z audytem", "Usunięta A"]
    assert re.search(r'aria-sort="descending">\s*<a[^>]*>Removed for good on', by_purge)
    audits_first = client.get("/admin/deleted?sort=kind").text  # "audit" < "organisation"
    assert _names_in_order(audits_first, names) == ["Z audytem", "Usunięta A", "Usunięta B"]
    organisations_first = client.get("/admin/deleted?sort=kind&dir=desc").text
    assert _names_in_order(organisations_first, names) == ["Usunięta B", "Usunięta A", "Z audytem"]
    odd = client.get("/admin/deleted?sort=deleted_by_id&dir=asc").text
    assert _names_in_order(odd, names) == ["Usunięta B", "Z audytem", "Usunięta A"]


def test_register_interactions_sort_by_date_and_subject_across_pages(app, client):
    from datetime import UTC, datetime

    from audit_app.services.register import search
    from tests.web.test_register_helpers import log_interaction, make_person, world

    ids = world(app)
    person_id = make_person(app, ids["con"], "Ewa", "Adamska", organisation_id=ids["org_a"])
    for day, subject in ((1, "Bilans"), (2, "Ankieta"), (3, "Umowa")):
        log_interaction(
            app,
            ids["con"],
            [person_id],
            when=datetime(2026, 2, day, 10, tzinfo=UTC),
            subject=subject,
            organisation_id=ids["org_a"],
        )
    login(client, "con@example.org")
    subjects = ["Ankieta", "Bilans", "Umowa"]

    default = client.get("/register/interactions").text  # the newest first
    assert _names_in_order(default, subjects) == ["Umowa", "Ankieta", "Bilans"]
    assert re.search(r'aria-sort="descending">\s*<a[^>]*>When', default)
    oldest_first = client.get("/register/interactions?sort=date&dir=asc").text
    assert _names_in_order(oldest_first, subjects) == ["Bilans", "Ankieta", "Umowa"]
    by_subject = client.get("/register/interactions?sort=subject").text
    assert _names_in_order(by_subject, subjects) == subjects
    by_subject_desc = client.get("/register/interactions?sort=subject&dir=desc").text
    assert _names_in_order(by_subject_desc, subjects) == list(reversed(subjects))
    odd = client.get("/register/interactions?sort=summary&dir=asc").text
    assert _names_in_order(odd, subjects) == ["Umowa", "Ankieta", "Bilans"]

    # The keyset pages follow the chosen order: two rows a page, by subject A to Z.
    with app.app_context():
        from audit_app.models import User

        user = db.session.get(User, ids["con"])
        filters = search.Filters()
        first = search.interactions_page(
            user, filters, per_page=2, sort="subject", descending=False
        )
        assert [i.subject for i in first.items] == ["Ankieta", "Bilans"]
        rest = search.interactions_page(
            user, filters, per_page=2, sort="subject", descending=False, after=first.next_cursor
        )
        assert [i.subject for i in rest.items] == ["Umowa"]
        back = search.interactions_page(
            user, filters, per_page=2, sort="subject", descending=False, before=rest.prev_cursor
        )
        assert [i.subject for i in back.items] == ["Ankieta", "Bilans"]


def test_register_follow_ups_sort_by_due_date_and_title_keeping_the_filters(app, client):
    from datetime import date

    from audit_app.models import User
    from audit_app.services.register import followups
    from tests.web.test_register_helpers import make_person, world

    ids = world(app)
    person_id = make_person(app, ids["con"], "Ewa", "Adamska", organisation_id=ids["org_a"])
    with app.app_context():
        user = db.session.get(User, ids["con"])
        for title, month in (("Zadzwonić", 1), ("Wysłać ankietę", 3), ("Spotkanie", 2)):
            followups.create(
                user,
                followups.FollowupInput(
                    title=title,
                    due_on=date(2030, month, 1),
                    assignee_id=ids["con"],
                    person_id=person_id,
                ),
            )
        db.session.commit()
    login(client, "con@example.org")
    titles = ["Spotkanie", "Wysłać ankietę", "Zadzwonić"]

    default = client.get("/register/followups").text  # the soonest due first
    assert _names_in_order(default, titles) == ["Zadzwonić", "Spotkanie", "Wysłać ankietę"]
    assert re.search(r'aria-sort="ascending">\s*<a[^>]*>Due', default)
    latest_first = client.get("/register/followups?sort=due&dir=desc").text
    assert _names_in_order(latest_first, titles) == ["Wysłać ankietę", "Spotkanie", "Zadzwonić"]
    by_title = client.get("/register/followups?scope=all&sort=title").text
    assert _names_in_order(by_title, titles) == titles
    # the header links keep the filters, the filter form keeps the order
    assert "scope=all" in by_title.split('aria-sort="ascending"')[1].split("</th>")[0]
    assert '<input type="hidden" name="sort" value="title">' in by_title
    by_title_desc = client.get("/register/followups?sort=title&dir=desc").text
    assert _names_in_order(by_title_desc, titles) == list(reversed(titles))
    odd = client.get("/register/followups?sort=notes&dir=desc").text
    assert _names_in_order(odd, titles) == ["Zadzwonić", "Spotkanie", "Wysłać ankietę"]
