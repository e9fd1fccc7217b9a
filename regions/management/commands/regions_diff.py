"""Report the codes a newer region list added, removed and renamed compared with an older one.

manage.py regions_diff "Kepmendagri 100.1.1-6117 Tahun 2022" "Kepmendagri 300.2.2-2138 Tahun 2025"
manage.py regions_diff 2 1 --show 20
"""

from django.core.management.base import BaseCommand, CommandError

from regions.diff import region_list_diff
from regions.selectors import LEVEL_ORDER, version_find


class Command(BaseCommand):
    help = "Compare two region list versions (by id or name): codes added, removed and renamed, per level."

    def add_arguments(self, parser):
        parser.add_argument("old", help="older version: id or exact name")
        parser.add_argument("new", help="newer version: id or exact name")
        parser.add_argument("--show", type=int, default=10, help="examples to list per category (0 for none)")

    def handle(self, *args, old: str, new: str, show: int, **options):
        versions = []
        for ref in (old, new):
            version = version_find(ref=ref)
            if version is None:
                raise CommandError(f"Versi daftar wilayah {ref!r} tidak ditemukan.")
            versions.append(version)
        diff = region_list_diff(old=versions[0], new=versions[1])
        w = self.stdout.write
        w(f"Lama: {diff.old.name} (id {diff.old.pk})   Baru: {diff.new.name} (id {diff.new.pk})")
        w(f"Kode sama di keduanya: {diff.common:,}")
        sections = [
            (f"Hanya di {diff.old.name} (dihapus)", diff.removed, diff.removed_per_level),
            (f"Hanya di {diff.new.name} (ditambah)", diff.added, diff.added_per_level),
        ]
        for title, rows, per_level in sections:
            w(f"\n{title}: {len(rows):,}")
            w("  " + ", ".join(f"{level} {per_level[level]:,}" for level in LEVEL_ORDER))
            for code, _level, name in rows[:show]:
                w(f"    {code:<14} {name}")
        w(f"\nNama berubah (setelah normalisasi): {len(diff.renamed):,}")
        w("  " + ", ".join(f"{level} {diff.renamed_per_level[level]:,}" for level in LEVEL_ORDER))
        for r in diff.renamed[:show]:
            w(f"    {r.code:<14} {r.old_name} → {r.new_name}")
