"""The lenient name rule (objections.matching) and the keyed NIK hash (objections.hashing)."""

import pytest

from objections.hashing import nik_hash
from objections.matching import name_key, names_match


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("siti nuraini", "SITI NURAINI"),
        ("Siti   Nuraini ", "SITI NURAINI"),
        ("Hj. Siti Nur'aini, S.Pd.", "SITI NURAINI"),
        ("Dr. Ir. H. Lalu Ahmad", "LALU AHMAD"),
        ("José-María", "jose maria"),
        ("lalu ahmad, s.h., m.h.", "Lalu Ahmad"),
        ("I Made  Wirawan", "I MADE WIRAWAN"),
    ],
)
def test_same_person_matches(typed, listed):
    assert names_match(typed, listed)


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("Siti Nuraini", "Siti Nurhayati"),
        ("Siti", "Siti Nuraini"),  # a part of the name is not the name
        ("Ahmad Lalu", "Lalu Ahmad"),  # the order counts
        ("Budi S", "Budi M"),  # initials are kept
        ("", ""),  # nothing typed matches nothing
        ("Dr. H.", "Dr. H."),  # titles alone leave nothing to compare
    ],
)
def test_other_names_do_not_match(typed, listed):
    assert not names_match(typed, listed)


def test_name_key_is_the_documented_form():
    assert name_key("  Hj.  SITI   Nur'aini,S.Pd ") == "siti nuraini"
    assert name_key("Ngurah-Rai / Bali") == "ngurah rai bali"


def test_nik_hash_is_keyed_and_stable(settings):
    nik = "5201014107900001"
    settings.PUBLIC_CHECK_HMAC_KEY = "k" * 64
    first = nik_hash(nik)
    assert first == nik_hash(f" {nik} ") and len(first) == 64 and nik not in first
    assert first != nik_hash("5201014107900002")
    settings.PUBLIC_CHECK_HMAC_KEY = "another-key-" * 6
    assert nik_hash(nik) != first  # without the key, nobody recomputes it from a guessed NIK
    import hashlib

    assert first != hashlib.sha256(nik.encode()).hexdigest()
