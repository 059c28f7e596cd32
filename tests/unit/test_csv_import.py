"""Reading CSV files for the contact register: encodings, separators, header
mapping, row validation, limits, and fuzzing (random bytes never raise)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit_app.services.register.csvparse import (
    FILE_ERRORS,
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_FIELD_CHARS,
    MAX_ROWS,
    CsvFileError,
    auto_map,
    check_mapping,
    detect_delimiter,
    guess_kind,
    parse,
)
from audit_app.services.register.csvrows import Row, RowError, validate_row


def test_utf8_with_and_without_bom_comma_and_semicolon():
    for data in (
        "Imię,Nazwisko\nŁucja,Żółć\n".encode(),
        "\ufeffImię;Nazwisko\r\nŁucja;Żółć\r\n".encode(),
    ):
        parsed = parse(data)
        assert parsed.headers == ["Imię", "Nazwisko"]
        assert parsed.rows == [(2, ["Łucja", "Żółć"])]
    assert parse(b"a\tb\n1\t2\n").delimiter == "\t"


def test_delimiter_counts_outside_quotes_in_the_header_only():
    assert detect_delimiter('"Nazwa, pełna";Miasto;Typ\n"a,b,c,d";x;y\n') == ";"
    assert detect_delimiter("E-mail\nx@y.pl\n") == ","
    assert detect_delimiter("\n\nA;B\n") == ";"


def test_line_numbers_count_blank_lines_and_multiline_cells():
    parsed = parse(b'Name,Notes\n\nAnna,"two\nlines"\nJan,x\n')
    assert [line for line, _ in parsed.rows] == [3, 5]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        ("Imię\nŁucja\n".encode("cp1250"), "not_utf8"),
        (b"a,b\x00c\n", "binary"),
        (b'a,b\n"unclosed\n' + b"x" * 200_000, "malformed"),
    ],
)
def test_documented_file_errors(data, code):
    with pytest.raises(CsvFileError) as error:
        parse(data)
    assert error.value.code == code and code in FILE_ERRORS


def test_size_and_row_limits_at_their_real_values():
    assert (MAX_BYTES, MAX_ROWS) == (5 * 1024 * 1024, 50_000)
    with pytest.raises(CsvFileError) as error:
        parse(b"a" * (MAX_BYTES + 1))
    assert error.value.code == "too_large"
    rows = "E-mail\n" + "x@y.pl\n" * MAX_ROWS
    assert len(parse(rows.encode()).rows) == MAX_ROWS
    with pytest.raises(CsvFileError) as error:
        parse((rows + "z@y.pl\n").encode())
    assert error.value.code == "too_many_rows"


def test_column_and_field_limits_refuse_the_file_early():
    """Issue 14.1: 100,000 columns in 0.9 MB took a worker down; a register file
    needs a few dozen columns, and no field is longer than a page of notes."""
    assert (MAX_COLUMNS, MAX_FIELD_CHARS) == (100, 10_000)
    assert len(parse((",".join(["a"] * MAX_COLUMNS) + "\n1\n").encode()).headers) == 100
    for data, code, line in (
        (",".join(["a"] * 100_000).encode(), "too_many_columns", 1),
        (("E-mail\nx@y.pl\n" + "," * MAX_COLUMNS + "\n").encode(), "too_many_columns", 3),
        (
            ("E-mail,Notes\nx@y.pl," + "n" * (MAX_FIELD_CHARS + 1) + "\n").encode(),
            "field_too_long",
            2,
        ),
    ):
        with pytest.raises(CsvFileError) as error:
            parse(data)
        assert (error.value.code, error.value.params["line"]) == (code, line)


def test_polish_and_english_headers_are_mapped():
    headers = [
        "Imię",
        "NAZWISKO",
        "E-mail",
        "e-mail 2",
        "Telefon",
        "Organizacja",
        "Stanowisko",
        "Rola",
        "Język",
        "Notatki",
        "Tagi",
        "Coś innego",
    ]
    assert auto_map(headers, "people") == [
        "first_name",
        "last_name",
        "email",
        "email",
        "phone",
        "organisation",
        "job_title",
        "role",
        "language",
        "notes",
        "tags",
        "",
    ]
    assert auto_map(
        ["First name", "Surname", "Email address", "Company", "Phone number"], "people"
    ) == ["first_name", "last_name", "email", "organisation", "phone"]
    assert auto_map(["Nazwa", "Typ", "Miasto", "Strona WWW", "Nazwa"], "organisations") == [
        "name",
        "type",
        "city",
        "domain",
        "",
    ]
    assert auto_map(["Imię i nazwisko", "E-mail"], "people") == ["full_name", "email"]


def test_guess_kind_and_check_mapping():
    assert guess_kind(["Imię", "Nazwisko"]) == "people"
    assert guess_kind(["Nazwa", "Miasto"]) == "organisations"
    check_mapping(["first_name", "", "email", "email"], "people")
    for mapping, reason in (
        (["city"], "key_missing"),
        (["name", "name"], "repeated_field"),
        (["nonsense"], "unknown_field"),
    ):
        with pytest.raises(CsvFileError) as error:
            check_mapping(mapping, "organisations")
        assert error.value.params["reason"] == reason


def test_people_rows():
    mapping = ["first_name", "last_name", "email", "phone", "language", "preferred_channel", "tags"]
    row = validate_row(
        2,
        [
            "  Anna ",
            "Nowak",
            "a@x.pl; b@x.pl",
            "600 100 200/ 22 333 44 55",
            "polski",
            "E-mail",
            "VIP, vip,nowi",
        ],
        mapping,
        "people",
    )
    assert isinstance(row, Row)
    assert row.values == {
        "first_name": "Anna",
        "last_name": "Nowak",
        "emails": ["a@x.pl", "b@x.pl"],
        "phones": ["600 100 200", "22 333 44 55"],
        "language": "pl",
        "preferred_channel": "email",
        "tags": ["VIP", "nowi"],
    }
    full = validate_row(3, ["Jan Maria Kowalski"], ["full_name"], "people")
    assert isinstance(full, Row) and full.values == {
        "first_name": "Jan Maria",
        "last_name": "Kowalski",
    }
    for cells, code in (
        (["", "", "", ""], "missing_name"),
        (["A", "", "zły", ""], "invalid_email"),
        (["A", "", "", "12"], "invalid_phone"),
        (["A", "", "", "", "klingoński"], "unknown_language"),
        (["A", "B", "", "", "", "", "", "extra"], "extra_values"),
    ):
        error = validate_row(7, cells, mapping, "people")
        assert isinstance(error, RowError) and (error.line, error.code) == (7, code)
    only_email = validate_row(4, ["", "", "x@y.pl"], mapping[:3], "people")
    assert isinstance(only_email, Row)


def test_organisation_rows():
    mapping = ["name", "type", "size", "domain"]
    row = validate_row(
        2, ["Biblioteka", "Biblioteka", "Średnia", "http://www.BIB.pl/x"], mapping, "organisations"
    )
    assert isinstance(row, Row)
    assert row.values == {
        "name": "Biblioteka",
        "type": "library",
        "size": "medium",
        "domain": "bib.pl",
    }
    assert validate_row(3, ["", "firma"], mapping, "organisations").code == "missing_name"
    assert validate_row(3, ["X", "kosmos"], mapping, "organisations").code == "unknown_type"
    assert (
        validate_row(3, ["X", "", "", "nie domena"], mapping, "organisations").code
        == "invalid_domain"
    )
    assert validate_row(3, ["X" * 301], mapping, "organisations").code == "too_long"


CSV_ALPHABET = st.sampled_from(list('abcŁóźż@.,;"\t\r\n \x00-+=1234567890\ufeff') + ["\udcff"])


def _check(data: bytes) -> None:
    try:
        parsed = parse(data)
    except CsvFileError as error:
        assert error.code in FILE_ERRORS
        return
    for kind in ("people", "organisations"):
        mapping = auto_map(parsed.headers, kind)
        for line, cells in parsed.rows:
            result = validate_row(line, cells, mapping, kind)
            assert isinstance(result, Row | RowError)
            assert result.line == line


@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data):
    _check(data)


@given(
    st.lists(st.lists(st.text(CSV_ALPHABET, max_size=12), max_size=6), max_size=8),
    st.sampled_from([",", ";"]),
)
def test_random_csv_like_text_never_raises(rows, separator):
    text = "\n".join(separator.join(cells) for cells in rows)
    _check(text.encode("utf-8", "surrogatepass"))
    _check(("Imię;Nazwisko;E-mail;Telefon;Organizacja\n" + text).encode("utf-8", "replace"))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(st.lists(st.text(CSV_ALPHABET, max_size=15), min_size=1, max_size=5), max_size=6),
    st.sampled_from(["create", "update", "upsert"]),
)
def test_random_files_through_the_database_importer(ctx, rows, mode):
    """The whole importer on a real database: only row outcomes, never an exception."""
    from audit_app.extensions import db
    from audit_app.models import User
    from audit_app.services.register import importer

    user = db.session.scalar(db.select(User)) or User(
        email="fuzz@example.org", name="Fuzz", password_hash="x", role="admin"
    )
    db.session.add(user)
    db.session.flush()
    header = "Imię;Nazwisko;E-mail;Telefon;Organizacja\n"
    text = header + "\n".join(";".join(cells) for cells in rows)
    try:
        parsed = parse(text.encode("utf-8", "replace"))
    except CsvFileError as error:
        assert error.code in FILE_ERRORS
        return
    mapping = auto_map(parsed.headers, "people")
    try:
        result = importer.run_import(user, parsed, mapping, "people", mode, dry_run=True)
    except CsvFileError as error:
        assert error.code == "mapping"
        return
    finally:
        db.session.rollback()
    assert len(result.outcomes) == len(parsed.rows)
    assert {o.status for o in result.outcomes} <= {"created", "updated", "unchanged", "rejected"}
