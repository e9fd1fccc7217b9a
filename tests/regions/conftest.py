"""The two shared Kemendagri lists, loaded once per test process for the ``tests/regions`` package.

A full list is ~91k rows: loading it per test would take minutes on SQLite, and even per package it cost
~25 s to load and ~13 s to remove each time pytest-xdist handed a worker the next file. The lists are loaded
outside the per-test transactions the first time a test asks for them and removed when the session ends.
Neither is made the default here (tests that need a default set it inside their own transaction), so tests
of other apps that may run in the same process never see them as a current list. A transactional test's
flush elsewhere removes them: the next test that asks loads them again.
"""

from dataclasses import dataclass

import pytest

from regions.index import village_index_clear
from regions.loading import ParsedRegionList, read_csv
from regions.models import Region, RegionListVersion
from regions.services import region_list_load, region_list_set_default
from tests.conftest import SHARED_REGIONS

NAME_2025 = "Kepmendagri 300.2.2-2138 Tahun 2025 (CSV bersama)"
NAME_2022 = "Kepmendagri 100.1.1-6117 Tahun 2022"


@dataclass(frozen=True)
class SharedLists:
    v2025: RegionListVersion
    v2022: RegionListVersion


@pytest.fixture(scope="session")
def parsed_lists() -> dict[str, ParsedRegionList]:
    """Each shared CSV parsed once (about a second each on a busy machine)."""
    if not SHARED_REGIONS.exists():
        pytest.skip(f"../shared/data/regions not found beside the repository ({SHARED_REGIONS})")
    return {
        "2025": read_csv(SHARED_REGIONS / "regions.csv.gz"),
        "2022": read_csv(SHARED_REGIONS / "regions-2022.csv.gz"),
    }


SHARED = {  # key: (version name, decree, file)
    "2025": (NAME_2025, "300.2.2-2138 Tahun 2025", "regions.csv.gz"),
    "2022": (NAME_2022, "100.1.1-6117 Tahun 2022", "regions-2022.csv.gz"),
}


def _load(parsed_lists) -> SharedLists:
    versions = {
        key: region_list_load(regions=parsed_lists[key], name=name, decree=decree, source=source).version
        for key, (name, decree, source) in SHARED.items()
    }
    return SharedLists(v2025=versions["2025"], v2022=versions["2022"])


@pytest.fixture(scope="session")
def _loaded_lists(parsed_lists, django_db_setup, django_db_blocker):
    loaded: dict[str, SharedLists] = {}
    yield loaded
    if loaded:
        with django_db_blocker.unblock():
            lists = loaded["lists"]
            Region.objects.filter(version__in=[lists.v2025, lists.v2022]).delete()
            RegionListVersion.objects.filter(pk__in=[lists.v2025.pk, lists.v2022.pk]).delete()
    village_index_clear()


@pytest.fixture
def region_lists(_loaded_lists, parsed_lists, django_db_blocker) -> SharedLists:
    """The lists, committed (loaded now if this process has not loaded them yet or a flush removed them)."""
    with django_db_blocker.unblock():
        lists = _loaded_lists.get("lists")
        if lists is None or RegionListVersion.objects.filter(pk__in=[lists.v2025.pk, lists.v2022.pk]).count() < 2:
            _loaded_lists["lists"] = lists = _load(parsed_lists)
    return lists


@pytest.fixture
def v2025(region_lists, db) -> RegionListVersion:
    return region_lists.v2025


@pytest.fixture
def v2022(region_lists, db) -> RegionListVersion:
    return region_lists.v2022


@pytest.fixture
def default_2025(v2025) -> RegionListVersion:
    """The 2025 list as the default version, for this test only (rolled back with the test)."""
    return region_list_set_default(version=v2025)
