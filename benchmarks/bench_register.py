"""Contact register benchmark: 10,000 organisations, 50,000 people and 200,000
interactions in a temporary SQLite database; times the list, search, detail and
export pages through the Flask test client and prints SQLite's query plans.

    .venv/bin/python benchmarks/bench_register.py [--orgs 10000 --people 50000
        --interactions 200000 --repeat 5 --explain]

Numbers go to docs/benchmarks.md ("Contact register").
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

FIRST = [
    "Anna",
    "Jan",
    "Katarzyna",
    "Piotr",
    "Małgorzata",
    "Andrzej",
    "Agnieszka",
    "Krzysztof",
    "Barbara",
    "Tomasz",
    "Ewa",
    "Paweł",
    "Łucja",
    "Michał",
    "Zofia",
    "Józef",
    "Grażyna",
    "Stanisław",
    "Żaneta",
    "Marek",
]
LAST = [
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Kowalczyk",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "Szymański",
    "Woźniak",
    "Dąbrowski",
    "Kozłowski",
    "Jankowski",
    "Mazur",
    "Kwiatkowski",
    "Krawczyk",
    "Piotrowski",
    "Grabowski",
    "Nowakowski",
    "Pawłowski",
    "Michalski",
    "Król",
    "Wieczorek",
    "Jabłoński",
    "Wróbel",
    "Majewski",
    "Olszewski",
    "Stępień",
    "Malinowski",
    "Jaworski",
]
CITIES = ["Łódź", "Kraków", "Gdańsk", "Poznań", "Wrocław", "Lublin", "Białystok", "Toruń"]
KINDS = [
    "Biblioteka Publiczna",
    "Miejska Biblioteka",
    "Fundacja",
    "Spółka",
    "Urząd Gminy",
    "Stowarzyszenie",
    "Gminny Ośrodek Kultury",
]
TYPES = {
    "Biblioteka Publiczna": "library",
    "Miejska Biblioteka": "library",
    "Fundacja": "ngo",
    "Spółka": "company",
    "Urząd Gminy": "public",
    "Stowarzyszenie": "ngo",
    "Gminny Ośrodek Kultury": "public",
}
CHANNELS = ["email", "phone", "in_person", "video", "event"]
PASSWORD = "benchmark-password"  # noqa: S105 - throwaway benchmark accounts


def fill(app, n_orgs: int, n_people: int, n_interactions: int) -> dict[str, int]:
    from audit_app.extensions import db
    from audit_app.models import (
        Interaction,
        Membership,
        Organisation,
        OrganisationAccess,
        OrganisationProfile,
        Person,
        PersonEmail,
        PersonPhone,
        Tag,
    )
    from audit_app.models.register import interaction_participants, person_tags
    from audit_app.services import accounts
    from audit_app.services.register.text import (
        name_key,
        normalise_name,
        phone_key,
        sort_key,
    )

    rng = random.Random(2026)  # noqa: S311 - test data, not secrets
    now = datetime.now(UTC)
    with app.app_context():
        admin = accounts.create_user(
            email="admin@example.org", name="Admin", password=PASSWORD, role="admin"
        )
        consultant = accounts.create_user(
            email="con@example.org",
            name="Konsultant",
            password=PASSWORD,
            role="consultant",
        )
        db.session.commit()
        orgs = []
        for i in range(1, n_orgs + 1):
            kind = KINDS[i % len(KINDS)]
            city = CITIES[i % len(CITIES)]
            orgs.append(
                {
                    "id": i,
                    "name": f"{kind} nr {i} w {city}",
                    "type": TYPES[kind],
                    "city": city,
                    "created_at": now,
                    "created_by_id": admin.id,
                }
            )
        db.session.execute(insert(Organisation), orgs)
        db.session.execute(
            insert(OrganisationProfile),
            [
                {
                    "organisation_id": o["id"],
                    "name_key": normalise_name(o["name"]),
                    "name_source": o["name"],
                    "domain": f"org{o['id']}.pl",
                    "interaction_count": 0,
                }
                for o in orgs
            ],
        )
        # the consultant works with 2% of the organisations
        shared = list(range(1, n_orgs + 1, 50))
        db.session.execute(
            insert(OrganisationAccess),
            [{"organisation_id": i, "user_id": consultant.id} for i in shared],
        )
        people, emails, phones, members = [], [], [], []
        for i in range(1, n_people + 1):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{normalise_name(first)}.{normalise_name(last)}.{i}@org{i % n_orgs + 1}.pl"
            phone = f"+48 6{i:08d}"
            people.append(
                {
                    "id": i,
                    "first_name": first,
                    "last_name": last,
                    "sort_key": sort_key(first, last),
                    "name_key": name_key(first, last),
                    "search_text": " ".join(
                        (normalise_name(f"{first} {last}"), email, phone_key(phone))
                    ),
                    "notes": "",
                    "created_at": now,
                    "updated_at": now,
                    "created_by_id": admin.id,
                    "interaction_count": 0,
                }
            )
            emails.append(
                {
                    "person_id": i,
                    "email": email,
                    "email_key": email,
                    "is_primary": True,
                    "opt_out": False,
                }
            )
            phones.append(
                {
                    "person_id": i,
                    "phone": phone,
                    "phone_key": phone_key(phone),
                    "is_primary": True,
                    "opt_out": False,
                }
            )
            members.append({"person_id": i, "organisation_id": i % n_orgs + 1, "role": ""})
        for table, rows in (
            (Person, people),
            (PersonEmail, emails),
            (PersonPhone, phones),
            (Membership, members),
        ):
            db.session.execute(insert(table), rows)
        db.session.execute(insert(Tag), [{"id": 1, "name": "VIP", "key": "vip"}])
        db.session.execute(
            insert(person_tags), [{"person_id": i, "tag_id": 1} for i in range(1, n_people + 1, 40)]
        )
        interactions, participants = [], []
        for i in range(1, n_interactions + 1):
            person = rng.randint(1, n_people)
            when = now - timedelta(days=rng.randint(0, 900), minutes=rng.randint(0, 1440))
            interactions.append(
                {
                    "id": i,
                    "occurred_at": when,
                    "channel": rng.choice(CHANNELS),
                    "direction": rng.choice(["out", "in"]),
                    "subject": f"Rozmowa {i}",
                    "summary": "",
                    "outcome": "",
                    "organisation_id": person % n_orgs + 1,
                    "logged_by_id": admin.id,
                    "source": "imported",
                    "created_at": now,
                }
            )
            participants.append({"interaction_id": i, "person_id": person})
        db.session.execute(insert(Interaction), interactions)
        db.session.execute(insert(interaction_participants), participants)
        db.session.commit()
        from audit_app.services.register import stats

        started = time.perf_counter()
        stats.refresh_all()
        db.session.commit()
        refresh = time.perf_counter() - started
        # No ANALYZE: an application database normally has no planner statistics.
        sample = db.session.scalar(select(Person.id).where(Person.id == n_people // 2))
        return {
            "person": sample or 1,
            "org": shared[len(shared) // 2],
            "refresh_ms": int(refresh * 1000),
        }


def login(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code


def timed(client, url: str, repeat: int) -> tuple[float, float, int, int]:
    """Median wall-clock and process CPU milliseconds (CPU time is steadier on a shared
    machine), status and size of the last response."""
    times, cpu, size, status = [], [], 0, 0
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        body = response.get_data()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        size, status = len(body), response.status_code
    return statistics.median(times), statistics.median(cpu), status, size


def daily_refresh(app) -> None:
    """What the first register page of a new day costs (segments brought up to date)."""
    from datetime import date

    from audit_app.extensions import db
    from audit_app.services.register import stats

    with app.app_context():
        for days in (1, 30):
            started = time.perf_counter()
            stats.ensure_fresh(date.today() + timedelta(days=days))
            elapsed = (time.perf_counter() - started) * 1000
            db.session.rollback()
            print(
                f"segment update on the first page of a day, {days} day(s) after the last: "
                f"{elapsed:.0f} ms"
            )


def explain(app) -> None:
    from audit_app.extensions import db
    from audit_app.models import User
    from audit_app.services.register import search

    with app.app_context():
        for email in ("admin@example.org", "con@example.org"):
            user = db.session.scalar(select(User).filter_by(email=email))
            queries = {
                "people page": search.people(user, search.Filters())
                .order_by(text("sort_key, id"))
                .limit(26),
                "people search": search.people(user, search.Filters(q="kowal")).limit(26),
                "interactions page": search.interactions(user, search.Filters())
                .order_by(text("occurred_at DESC, id DESC"))
                .limit(26),
                "organisations page": search.organisations(user, search.Filters())
                .order_by(text("name_key, organisation_id"))
                .limit(26),
            }
            for name, query in queries.items():
                compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
                plan = db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
                print(f"\n-- {name} ({email})")
                for row in plan:
                    print("   ", row[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--interactions", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument(
        "--reuse",
        type=Path,
        default=None,
        help="time an already filled database instead of making a new one",
    )
    args = parser.parse_args()

    from audit_app import create_app
    from audit_app.config import TestConfig

    tmp = Path(tempfile.mkdtemp(prefix="bench-register-"))
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    database = args.reuse or tmp / "bench.sqlite"
    config.update(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}",
        WTF_CSRF_ENABLED=False,
        RATELIMIT_ENABLED=False,
    )
    app = create_app(config)
    app.instance_path = str(tmp / "instance")
    if not args.reuse:
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
    if args.reuse:
        ids = {"person": args.people // 2, "org": (args.orgs // 100) * 50 + 1}
    else:
        started = time.perf_counter()
        ids = fill(app, args.orgs, args.people, args.interactions)
        print(
            f"filled {args.orgs} organisations, {args.people} people, {args.interactions} "
            f"interactions in {time.perf_counter() - started:.1f} s; segment refresh of all "
            f"records {ids['refresh_ms']} ms"
        )
    if args.explain:
        explain(app)
    daily_refresh(app)
    pages = [
        ("people, first page", "/register/people"),
        ("people, search 'kowal'", "/register/people?q=kowal"),
        ("people, search full name 'anna nowak'", "/register/people?q=anna+nowak"),
        ("people, search e-mail (one match)", f"/register/people?q=.{ids['person']}@"),
        ("people, search phone digits", f"/register/people?q=6{ids['person']:08d}"),
        ("people, search organisation name", "/register/people?q=fundacja+nr+1001"),
        ("people, filter segment=loyal", "/register/people?segment=loyal"),
        ("people, filter tag=VIP", "/register/people?tag=vip"),
        ("people, filter last contact > 1 year", "/register/people?last_contact=over365"),
        ("organisations, first page", "/register/organisations"),
        ("organisations, search 'biblioteka'", "/register/organisations?q=biblioteka"),
        ("interactions, first page", "/register/interactions"),
        ("interactions, channel=email", "/register/interactions?channel=email"),
        ("person page (timeline)", f"/register/people/{ids['person']}"),
        ("organisation timeline", f"/register/organisations/{ids['org']}/timeline"),
        ("duplicates (people)", "/register/duplicates"),
    ]
    for email in ("admin@example.org", "con@example.org"):
        client = app.test_client()
        login(client, email)
        client.get("/register/people")  # the daily segment refresh happens once
        deep = client.get("/register/people").text
        for _ in range(20):  # follow "next" 20 pages to time a deep page
            match = re.search(r'rel="next" href="([^"]+)"', deep)
            if not match:
                break
            next_url = match.group(1).replace("&amp;", "&")
            deep = client.get(next_url).text
        print(f"\n{email} (median of {args.repeat}; wall ms, CPU ms)")
        rows = [*pages, ("people, page 21 (keyset)", next_url)] if match else pages
        rows.append(("export people.csv (all visible)", "/register/export/people.csv"))
        for label, url in rows:
            ms, cpu, status, size = timed(client, url, 1 if "export" in url else args.repeat)
            print(f"  {label:<42} {ms:8.1f} {cpu:8.1f}  [{status}, {size // 1024} KB]")


if __name__ == "__main__":
    main()
