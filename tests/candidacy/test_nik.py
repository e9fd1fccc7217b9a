import datetime

import pytest

from candidacy.nik import NikError, nik_matches, parse_nik


def test_parse_male_nik():
    facts = parse_nik("5201011203750001")
    assert (facts.province, facts.regency, facts.district) == ("52", "01", "01")
    assert (facts.birth_day, facts.birth_month, facts.birth_yy, facts.female) == (12, 3, 75, False)
    assert facts.region_code == "52.01.01"
    assert facts.serial == "0001"


def test_parse_female_nik_subtracts_forty_from_the_day():
    facts = parse_nik("5271016108800002")
    assert (facts.birth_day, facts.birth_month, facts.birth_yy, facts.female) == (21, 8, 80, True)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "520101120375000",
        "52010112037500012",
        "52010112O3750001",
        "5201013203750001",
        "5201010013750001",
        "5201011213750001",
        "5201013102750001",
    ],
)
def test_malformed_or_impossible_niks_are_refused(bad):
    with pytest.raises(NikError):
        parse_nik(bad)


def test_century_is_tried_both_ways():
    assert nik_matches("5201010101050001", datetime.date(2005, 1, 1), "M")
    assert nik_matches("5201010101050001", datetime.date(1905, 1, 1), "M")
    assert not nik_matches("5201010101050001", datetime.date(1955, 1, 1), "M")


def test_29_february_only_in_a_leap_century():
    # 29-02-00 exists in 2000 (a leap year) but not in 1900
    assert parse_nik("5201012902000001").birth_dates() == [datetime.date(2000, 2, 29)]


@pytest.mark.parametrize(
    ("nik", "born", "sex", "expected"),
    [
        ("5201011203750001", datetime.date(1975, 3, 12), "M", True),
        ("5201011203750001", datetime.date(1975, 3, 12), "F", False),  # a woman's day would be 52
        ("5201015203750001", datetime.date(1975, 3, 12), "F", True),
        ("5201015203750001", datetime.date(1975, 3, 12), "M", False),
        ("5201011203750001", datetime.date(1975, 3, 13), "M", False),
        ("5201011203750001", datetime.date(1975, 4, 12), "M", False),
        ("bukan-nik", datetime.date(1975, 3, 12), "M", False),
    ],
)
def test_nik_matches_birth_date_and_sex(nik, born, sex, expected):
    assert nik_matches(nik, born, sex) is expected


ENGLISH = {
    "NIK harus 16 digit angka.": "The NIK must be 16 digits.",
    "Digit 7-12 NIK bukan tanggal lahir yang sah (DDMMYY, tanggal +40 untuk perempuan).": "Digits 7-12 are no date.",
}


@pytest.fixture
def english(monkeypatch):
    """English active, with a catalog that knows the NIK messages (whatever locale/ holds today): a message
    that does not go through gettext when it is raised stays Indonesian."""
    from django.utils import translation
    from django.utils.translation import trans_real

    with translation.override("en"):
        catalog = trans_real.translation("en")
        original = catalog.gettext
        monkeypatch.setattr(catalog, "gettext", lambda message: ENGLISH.get(message) or original(message))
        yield


@pytest.mark.parametrize(
    ("nik", "english_message"),
    [("123", "The NIK must be 16 digits."), ("5201011213750001", "Digits 7-12 are no date.")],
)
def test_nik_messages_are_translated_when_raised(english, nik, english_message):
    with pytest.raises(NikError, match=english_message):
        parse_nik(nik)


@pytest.mark.django_db
def test_candidate_problems_reach_the_reader_in_their_language(english):
    from candidacy.services.pairs import candidate_field_problems
    from tests.candidacy.factories import ElectionFactory

    problems = candidate_field_problems(
        election=ElectionFactory(), nik="5201011213750001", birth_date=datetime.date(1975, 3, 12), sex="M", on=None
    )
    assert problems == {"nik": ["Digits 7-12 are no date."]}
