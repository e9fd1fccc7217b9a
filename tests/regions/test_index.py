import time

import pytest

from regions import index
from regions.index import district_codes, regency_codes, village_index
from regions.models import RegionListVersion


def test_village_index_contains_every_village_and_its_parents(v2025, django_assert_num_queries):
    index.village_index_clear()
    started = time.perf_counter()
    built = village_index(v2025.pk)
    seconds = time.perf_counter() - started
    assert len(built) == 83762
    assert built.contains("52.01.01.1001")
    assert "11.01.01.2001" in built
    assert not built.contains("52.01.01.2001")
    assert not built.contains("52.01.01")  # a kecamatan is not a village
    assert built.villages["52.01.01.1001"] == ("52.01.01", "52.01")
    assert built.district_of("52.01.01.1001") == "52.01.01"
    assert built.regency_of("52.01.01.1001") == "52.01"
    assert built.province_of("52.01.01.1001") == "52"
    assert built.regency_of("99.99.99.9999") is None
    # Well under a second even on SQLite on a shared machine (measured ~0.1-0.3 s).
    assert seconds < 1.5, seconds
    # Cached: one small query for the checksum, the same object back.
    with django_assert_num_queries(1):
        assert village_index(v2025.pk) is built


def test_village_index_is_per_version(v2025, v2022):
    new, old = village_index(v2025.pk), village_index(v2022.pk)
    assert "92.71.01.1001" in old and "92.71.01.1001" not in new
    assert "96.71.01.1001" in new and "96.71.01.1001" not in old
    assert len(old) == 83763


def test_unknown_version_raises(db):
    with pytest.raises(RegionListVersion.DoesNotExist):
        village_index(10**9)


def test_regency_and_district_codes_give_the_spread_bases(v2025):
    # docs/domain.md §4: NTB 10 kab/kota, Jawa Barat 27, Jawa Timur 38.
    assert len(regency_codes(v2025.pk, under="52")) == 10
    assert len(regency_codes(v2025.pk, under="32")) == 27
    assert len(regency_codes(v2025.pk, under="35")) == 38
    assert len(regency_codes(v2025.pk)) == 514
    assert regency_codes(v2025.pk, under="52")[0] == "52.01"
    lobar = district_codes(v2025.pk, under="52.01")
    assert lobar and all(code.startswith("52.01.") for code in lobar)
    assert len(district_codes(v2025.pk)) == 7285
    assert sum(len(district_codes(v2025.pk, under=p)) for p in regency_codes(v2025.pk, under="52")) == len(
        district_codes(v2025.pk, under="52")
    )
