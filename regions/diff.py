"""Comparing two region list versions by code: what a new decree added, removed and renamed."""

from collections import Counter
from dataclasses import dataclass, field

from .models import Region, RegionListVersion
from .names import normalize_region_name
from .selectors import LEVEL_ORDER


@dataclass(frozen=True)
class Renamed:
    code: str
    level: str
    old_name: str
    new_name: str


@dataclass(frozen=True)
class RegionListDiff:
    """Codes only in ``old`` (removed), only in ``new`` (added), and common codes whose name changed.

    A name counts as changed only when it differs after :func:`normalize_region_name`, so ``KAB. SORONG`` →
    ``Kabupaten Sorong`` or a curly apostrophe is not a rename. Lists are sorted by code.
    """

    old: RegionListVersion
    new: RegionListVersion
    removed: list[tuple[str, str, str]] = field(default_factory=list)  # (code, level, name)
    added: list[tuple[str, str, str]] = field(default_factory=list)
    renamed: list[Renamed] = field(default_factory=list)
    common: int = 0

    @staticmethod
    def _per_level(levels) -> dict[str, int]:
        counts = Counter(levels)
        return {level: counts.get(level, 0) for level in LEVEL_ORDER}

    @property
    def removed_per_level(self) -> dict[str, int]:
        return self._per_level(level for _code, level, _name in self.removed)

    @property
    def added_per_level(self) -> dict[str, int]:
        return self._per_level(level for _code, level, _name in self.added)

    @property
    def renamed_per_level(self) -> dict[str, int]:
        return self._per_level(r.level for r in self.renamed)


def _codes(version: RegionListVersion) -> dict[str, tuple[str, str, str]]:
    rows = Region.objects.filter(version=version).values_list("code", "level", "name", "search_name")
    return {code: (level, name, search_name) for code, level, name, search_name in rows.iterator(chunk_size=20000)}


def region_list_diff(*, old: RegionListVersion, new: RegionListVersion) -> RegionListDiff:
    """Two queries (one per version) and set arithmetic in memory; ~90k codes each is a few MB."""
    before = _codes(old)
    after = _codes(new)
    removed = [(code, before[code][0], before[code][1]) for code in sorted(before.keys() - after.keys())]
    added = [(code, after[code][0], after[code][1]) for code in sorted(after.keys() - before.keys())]
    common = before.keys() & after.keys()
    renamed = []
    for code in sorted(common):
        level, old_name, old_search = before[code]
        _level, new_name, new_search = after[code]
        # search_name was stored with the same normalize_region_name at load; recompute only if absent.
        if (old_search or normalize_region_name(old_name)) != (new_search or normalize_region_name(new_name)):
            renamed.append(Renamed(code, level, old_name, new_name))
    return RegionListDiff(old=old, new=new, removed=removed, added=added, renamed=renamed, common=len(common))
