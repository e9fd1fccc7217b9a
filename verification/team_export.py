"""The team's lists to act on, as a file (CSV or xlsx): the supporters of a round who are pending (to bring to
the PPS office before their due moment, docs/domain.md §3.4, §9.3) or TMS (with the reason). Every cell goes
through ``silon.csvsafe.cell_safe``: a value a spreadsheet would run as a formula is neutralised."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from silon.csvsafe import cell_safe
from silon.privacy import Kind, Viewer

from .models import Verdict, Visit

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def header() -> list[str]:
    return [
        _("NIK"),
        _("Nama"),
        _("Alamat"),
        _("RT/RW"),
        _("Kode desa/kelurahan"),
        _("Hasil"),
        _("Alasan"),
        _("Keterangan"),
        _("Hasil kunjungan"),
        _("Batas dihadirkan di kantor PPS"),
    ]


def export_row(viewer: Viewer, supporter, labels: dict[str, str]) -> list[str]:
    """One supporter of ``selectors_team.team_results`` as ``viewer`` may see it, formula-safe."""
    due = timezone.localtime(supporter.due_at).strftime("%Y-%m-%d %H:%M %Z") if supporter.due_at else ""
    values = [
        viewer.show(Kind.NIK, supporter.nik),
        viewer.show(Kind.NAME, supporter.name),
        viewer.show(Kind.ADDRESS, supporter.address),
        f"{supporter.rt}/{supporter.rw}".strip("/"),
        supporter.village_code,
        str(Verdict(supporter.verdict).label) if supporter.verdict else _("Belum diputuskan"),
        labels.get(supporter.reason_code or "", supporter.reason_code or ""),
        supporter.note or "",
        str(Visit(supporter.visit).label) if supporter.visit else "",
        due,
    ]
    return [cell_safe(v) for v in values]


def write(fmt: str, rows: list[list[str]]) -> bytes:
    """The file's bytes: a CSV (UTF-8 with a BOM, so spreadsheets read the names right) or an xlsx."""
    if fmt == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Hasil verifikasi"))
        sheet.append([cell_safe(h) for h in header()])
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([cell_safe(h) for h in header()])
    writer.writerows(rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")
