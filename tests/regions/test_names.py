import pytest
from hypothesis import given
from hypothesis import strategies as st

from regions.names import normalize_region_name


@pytest.mark.parametrize(
    "variant",
    [
        "KAB. LOMBOK BARAT",
        "Kab Lombok Barat",
        "kab.lombok barat",
        "Kabupaten  Lombok Barat",
        " kabupaten lombok-barat ",
    ],
)
def test_regency_prefix_styles_meet(variant):
    assert normalize_region_name(variant) == normalize_region_name("Kabupaten Lombok Barat") == "kabupatenlombokbarat"


def test_administrative_prefixes_are_expanded():
    assert normalize_region_name("KAB. ADM. KEP. SERIBU") == normalize_region_name(
        "Kabupaten Administrasi Kepulauan Seribu"
    )
    assert normalize_region_name("KOTA ADM. JAKARTA PUSAT") == normalize_region_name("Kota Administrasi Jakarta Pusat")


def test_kota_and_kabupaten_stay_distinct():
    assert normalize_region_name("Kota Bima") != normalize_region_name("Kabupaten Bima")


def test_curly_and_plain_apostrophes_meet():
    assert normalize_region_name("Ma\u2019u") == normalize_region_name("Ma'u") == normalize_region_name("MAU")


def test_a_prefix_word_inside_a_name_is_left_alone():
    # Only a leading regency prefix is rewritten: a village called "Kota Baru" keeps "kota".
    assert normalize_region_name("Kota Baru") == "kotabaru"
    assert normalize_region_name("Desa Kab") == "desakab"


def test_accents_and_empty():
    assert normalize_region_name("Caf\u00e9") == "cafe"
    assert normalize_region_name(" .,- ") == ""


@given(st.text(max_size=40))
def test_normalising_twice_changes_nothing_and_the_result_is_plain(name):
    once = normalize_region_name(name)
    assert normalize_region_name(once) == once
    assert once == "" or (once.isascii() and once.isalnum() and once == once.lower())
