"""In-memory lookups of one list version for code that checks many rows (the supporter upload validator,
the spread and threshold rules), so a 2.5-million-row upload never asks the database once per row."""

import threading
from dataclasses import dataclass

from .codes import district_of, province_of, regency_of, under_q
from .models import Level, Region, RegionListVersion


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one shared object per version
class VillageIndex:
    """Every desa/kelurahan code of one list version.

    API (for the upload validator)::

        index = village_index(version_id)        # built once per process per version, then cached
        index.contains("52.01.01.1001")          # True; also: "52.01.01.1001" in index
        index.villages["52.01.01.1001"]          # ("52.01.01", "52.01"): (district_code, regency_code)
        index.district_of(code), index.regency_of(code), index.province_of(code)  # None if unknown
        len(index)                               # number of villages

    Codes are the dotted Kemendagri form (``PP.KK.CC.DDDD``); nothing is normalised here, so a caller
    holding a cell value should strip it first. The index is immutable: versions never change in place.
    """

    version_id: int
    checksum: str
    villages: dict[str, tuple[str, str]]

    def contains(self, code: str) -> bool:
        return code in self.villages

    def __contains__(self, code: object) -> bool:
        return code in self.villages

    def __len__(self) -> int:
        return len(self.villages)

    def district_of(self, code: str) -> str | None:
        found = self.villages.get(code)
        return found[0] if found else None

    def regency_of(self, code: str) -> str | None:
        found = self.villages.get(code)
        return found[1] if found else None

    def province_of(self, code: str) -> str | None:
        return province_of(code) if code in self.villages else None


_cache: dict[tuple[int, str], VillageIndex] = {}
_lock = threading.Lock()


def village_index(version_id: int) -> VillageIndex:
    """The :class:`VillageIndex` of version ``version_id``, cached per process by (id, content checksum).

    Costs one small query when cached; building reads the ~84k village codes in one query.
    Raises ``RegionListVersion.DoesNotExist`` for an unknown version.
    """
    checksum = RegionListVersion.objects.values_list("checksum", flat=True).get(pk=version_id)
    key = (version_id, checksum)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    with _lock:
        cached = _cache.get(key)
        if cached is None:
            cached = _build(version_id=version_id, checksum=checksum)
            _cache[key] = cached
    return cached


def _build(*, version_id: int, checksum: str) -> VillageIndex:
    codes = Region.objects.filter(version_id=version_id, level=Level.VILLAGE).values_list("code", flat=True)
    # One shared (district, regency) tuple per kecamatan: ~7k tuples instead of ~84k, and strings interned.
    parents: dict[str, tuple[str, str]] = {}
    villages: dict[str, tuple[str, str]] = {}
    # One fetch of ~84k short strings (a few MB) beats a server-side cursor's round trips.
    for code in list(codes):
        district = district_of(code)
        pair = parents.get(district)
        if pair is None:
            pair = parents[district] = (district, regency_of(code))
        villages[code] = pair
    return VillageIndex(version_id=version_id, checksum=checksum, villages=villages)


def village_index_clear() -> None:
    """Forget every cached index (tests; a long-lived worker never needs it, versions are immutable)."""
    with _lock:
        _cache.clear()


def _codes_at(*, version_id: int, level: str, under: str) -> list[str]:
    qs = Region.objects.filter(under_q("code", under), version_id=version_id, level=level)
    return list(qs.order_by("code").values_list("code", flat=True))


def regency_codes(version_id: int, *, under: str = "") -> list[str]:
    """Kab/kota codes under province ``under`` ('' = all), sorted. ``len(...)`` is the spread base for a
    governor election (UU 10/2016 Pasal 41: support from more than 50% of the kab/kota)."""
    return _codes_at(version_id=version_id, level=Level.REGENCY, under=under)


def district_codes(version_id: int, *, under: str = "") -> list[str]:
    """Kecamatan codes under ``under`` (a province or kab/kota; '' = all), sorted. ``len(...)`` is the spread
    base for a regent/mayor election (more than 50% of the kecamatan)."""
    return _codes_at(version_id=version_id, level=Level.DISTRICT, under=under)
