"""Report the codes a newer region list added, removed and renamed compared with an older one.

manage.py regions_diff "Kepmendagri 100.1.1-6117 Tahun 2022" "Kepmendagri 300.2.2-2138 Tahun 2025"
manage.py regions_diff 2 1 --show 20
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
                raise CommandError(_("Versi daftar wilayah %(ref)r tidak ditemukan.") % {"ref": ref})
            versions.append(version)
        diff = region_list_diff(old=versions[0], new=versions[1])
        w = self.stdout.write
        w(
            _("Lama: %(old)s (id %(old_id)s)   Baru: %(new)s (id %(new_id)s)")
            % {"old": diff.old.name, "old_id": diff.old.pk, "new": diff.new.name, "new_id": diff.new.pk}
        )
        w(_("Kode sama di keduanya: %(n)s") % {"n": f"{diff.common:,}"})
        sections = [
            (_("Hanya di %(name)s (dihapus)") % {"name": diff.old.name}, diff.removed, diff.removed_per_level),
            (_("Hanya di %(name)s (ditambah)") % {"name": diff.new.name}, diff.added, diff.added_per_level),
        ]
        for title, rows, per_level in sections:
            w(f"\n{title}: {len(rows):,}")
            w("  " + ", ".join(f"{level} {per_level[level]:,}" for level in LEVEL_ORDER))
            for code, _level, name in rows[:show]:
                w(f"    {code:<14} {name}")
        w("\n" + _("Nama berubah (setelah normalisasi): %(n)s") % {"n": f"{len(diff.renamed):,}"})
        w("  " + ", ".join(f"{level} {diff.renamed_per_level[level]:,}" for level in LEVEL_ORDER))
        for r in diff.renamed[:show]:
            w(f"    {r.code:<14} {r.old_name} → {r.new_name}")
