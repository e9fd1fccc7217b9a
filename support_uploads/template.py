"""The B.1-KWK template of one election and pair, generated from ``template_spec`` (openpyxl).

- data sheets ("Dukungan", "Dukungan 2", ...): the header row, text format where text is required, the
  village column's dropdown from the reference sheet; the header is locked, data rows are not;
- "Referensi Desa": every desa/kelurahan under the election's region in its list version, protected;
- "Petunjuk": what each column takes;
- a veryHidden metadata sheet: template version, election, pair and their HMAC-SHA256 signature.
"""

import io
import secrets

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from candidacy.models import CandidatePair
from regions.models import Level, Region
from silon.csvsafe import cell_safe

from .signing import template_signature
from .template_spec import TemplateSpec, spec_for

MAX_DATA_SHEETS = 3  # 3 × 1,048,575 rows covers the 2.5 million a pair may need (docs/domain.md §8)


def election_villages(election) -> list[tuple[str, str, str]]:
    """(village code, village name, kecamatan name) under the election's region, in code order."""
    districts = dict(
        Region.objects.filter(
            version_id=election.region_version_id,
            level=Level.DISTRICT,
            code__startswith=election.region_code + ".",
        ).values_list("code", "name")
    )
    villages = Region.objects.filter(
        version_id=election.region_version_id, level=Level.VILLAGE, code__startswith=election.region_code + "."
    ).order_by("code")
    return [
        (code, name, districts.get(parent, ""))
        for code, name, parent in villages.values_list("code", "name", "parent_code")
    ]


def template_build(*, pair: CandidatePair, sheets: int = 1, spec: TemplateSpec | None = None) -> bytes:
    spec = spec or spec_for(pair.election)
    sheets = max(1, min(sheets, MAX_DATA_SHEETS))
    villages = election_villages(pair.election)
    lock_password = secrets.token_urlsafe(12)  # sheet protection guards against slips; the signature is the check

    wb = Workbook()
    data_sheets = [wb.active] + [wb.create_sheet() for _ in range(sheets - 1)]
    _reference_sheet(wb, spec, villages, lock_password=lock_password)
    last_ref_row = max(len(villages) + 1, 2)
    for index, ws in enumerate(data_sheets):
        _data_sheet(ws, spec, index=index, last_ref_row=last_ref_row, lock_password=lock_password)
    _help_sheet(wb, spec, pair)
    _meta_sheet(wb, spec, pair)

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _reference_sheet(wb: Workbook, spec: TemplateSpec, villages: list[tuple[str, str, str]], *, lock_password: str):
    """The protected "Referensi Desa" sheet the village column's dropdown reads from."""
    ref = wb.create_sheet(spec.reference_sheet)
    ref.append(["Kode Desa/Kelurahan", "Nama Desa/Kelurahan", "Kecamatan"])
    for row in villages:
        ref.append(list(row))
    for col, width in zip("ABC", (18, 32, 28), strict=True):
        ref.column_dimensions[col].width = width
    ref.protection.password = lock_password
    ref.protection.sheet = True


def _data_sheet(ws, spec: TemplateSpec, *, index: int, last_ref_row: int, lock_password: str) -> None:
    """One data sheet: the locked header row, text format where text is required, the village dropdown."""
    ws.title = spec.data_sheet_name(index)
    ws.append(spec.headers)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for col, f in enumerate(spec.fields, start=1):
        dim = ws.column_dimensions[get_column_letter(col)]
        dim.width = f.width
        if f.text:
            dim.number_format = "@"
        dim.protection = Protection(locked=False)
        cell = ws.cell(row=1, column=col)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(horizontal="center")
        cell.protection = Protection(locked=True)
    ws.freeze_panes = "A2"
    letter = get_column_letter([f.key for f in spec.fields].index("village_code") + 1)
    dv = DataValidation(
        type="list",
        formula1=f"='{spec.reference_sheet}'!$A$2:$A${last_ref_row}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Kode desa/kelurahan",
        error="Pilih kode desa/kelurahan dari daftar (lembar Referensi Desa).",
    )
    dv.add(f"{letter}2:{letter}{spec.max_rows_per_sheet + 1}")
    ws.add_data_validation(dv)
    # header locked; data cells unlocked through the column style; rows may be added, columns not moved
    ws.protection.password = lock_password
    ws.protection.sheet = True
    ws.protection.insertRows = False
    ws.protection.deleteRows = False
    ws.protection.formatCells = False
    ws.protection.sort = False
    ws.protection.autoFilter = False


def _help_sheet(wb: Workbook, spec: TemplateSpec, pair: CandidatePair) -> None:
    """The "Petunjuk" sheet: what each column takes, and whose template this is."""
    help_ws = wb.create_sheet("Petunjuk")
    help_ws.append(["Kolom", "Wajib", "Isi", "Panjang maksimal (karakter)"])
    for f in spec.fields:
        help_ws.append([f.header, "ya" if f.required else "tidak", str(f.hint), f.max_length])
    help_ws.append([])
    # names are typed by operators: openpyxl would write "=..." as a live formula
    help_ws.append(["Pemilihan", cell_safe(pair.election.name)])
    help_ws.append(["Pasangan calon", cell_safe(pair.name)])
    help_ws.append(["Versi templat", spec.version])
    help_ws.column_dimensions["A"].width = 24
    help_ws.column_dimensions["C"].width = 60


def _meta_sheet(wb: Workbook, spec: TemplateSpec, pair: CandidatePair) -> None:
    """The veryHidden metadata sheet: template version, election, pair and their signature."""
    election = pair.election
    meta = wb.create_sheet(spec.meta_sheet)
    values = {
        "template_version": spec.version,
        "election_id": str(election.pk),
        "pair_id": str(pair.pk),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "signature": template_signature(version=spec.version, election_id=election.pk, pair_id=pair.pk),
    }
    for key, value in values.items():
        meta.append([key, value])
    meta.sheet_state = "veryHidden"
