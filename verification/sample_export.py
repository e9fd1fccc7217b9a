"""A round's draws as a CSV (PKPU 10/2022): every input of each kab/kota's draw (N, n, interval, the chosen and
the applied start number, the sort order, the age date, the Krejcie-Morgan parameters, the order digest) and
each drawn supporter's position, with the NIK always masked, so that anyone can check the draw against
``verification_sample_rederive`` or by hand. Every cell goes through ``silon.csvsafe.cell_safe``."""

import csv
import io

from django.utils.translation import gettext as _

from silon.csvsafe import cell_safe
from silon.privacy import mask_nik

from .models import SampleDraw
from .selectors_sample import draw_rows


def header() -> list[str]:
    return [
        _("ID pengambilan"),
        _("Kabupaten/kota"),
        _("Populasi (N)"),
        _("Ukuran sampel (n)"),
        _("Interval (N/n)"),
        _("Nomor awal pilihan calon"),
        _("Nomor awal di kabupaten/kota"),
        _("Urutan"),
        _("Umur dihitung pada"),
        _("Chi-kuadrat"),
        _("Proporsi"),
        _("Batas galat"),
        _("Sidik urutan populasi (SHA-256)"),
        _("Urutan ke"),
        _("ID pendukung"),
        _("NIK (disamarkan)"),
        _("Kode desa/kelurahan"),
    ]


def draw_lines(draws: list[SampleDraw]) -> list[list[str]]:
    """One line per drawn supporter (a draw's inputs repeated on each of its lines)."""
    lines = []
    for draw in draws:
        inputs = [
            draw.pk,
            draw.regency_code,
            draw.population,
            draw.size,
            f"{draw.population}/{draw.size} = {draw.interval}",
            draw.chosen_start,
            draw.start,
            draw.sort_order,
            draw.age_on.isoformat(),
            draw.chi_square,
            draw.proportion,
            draw.margin,
            draw.order_digest,
        ]
        for row in draw_rows(draw):
            lines.append([*inputs, row.position, row.supporter_id, mask_nik(row.nik), row.village_code])
    return [[cell_safe(str(v)) for v in line] for line in lines]


def write(lines: list[list[str]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([cell_safe(h) for h in header()])
    writer.writerows(lines)
    return ("\ufeff" + text.getvalue()).encode("utf-8")
