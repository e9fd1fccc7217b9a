"""Documents of a verification round, generated from the data: the supporter list per desa (B.1.1-KWK
style, NIK masked), the recap per kecamatan and kab/kota (B.2-KWK style) and the minutes (berita acara)
with totals, TMS by reason and a signatures block. PDF (fpdf2) or xlsx (openpyxl); each file's SHA-256 is
written to the audit log when it is stored."""

import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from openpyxl import Workbook

from regions.models import Region
from silon.audit.services import audit_record
from silon.privacy import mask_nik

from ..models import ReasonCode
from .models import DocumentKind, Verdict, VerificationDocument, VerificationResult, VerificationRound
from .selectors import round_population, round_totals

PDF_MIME = "application/pdf"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list]
    footer: list[str]


def _meta(round: VerificationRound, generated_at) -> list[tuple[str, str]]:
    return [
        (_("Pemilihan"), round.election.name),
        (_("Pasangan calon"), round.pair.name),
        (_("Putaran"), f"{round.get_kind_display()} - {round.get_batch_display()}"),
        (_("Dibuat"), timezone.localtime(generated_at).strftime("%d-%m-%Y %H:%M %Z")),
    ]


def _names(round: VerificationRound, codes) -> dict[str, str]:
    return dict(
        Region.objects.filter(version_id=round.election.region_version_id, code__in=list(codes)).values_list(
            "code", "name"
        )
    )


def supporter_list_table(round: VerificationRound, village_code: str) -> Table:
    """B.1.1-KWK: every supporter of one desa in this round with its result; the NIK is masked."""
    rows = list(
        round_population(round)
        .filter(village_code=village_code)
        .order_by("name", "pk")
        .values_list("pk", "nik", "name", "rt", "rw")
    )
    results = {
        r.supporter_id: r
        for r in VerificationResult.objects.filter(round=round, supporter_id__in=[r[0] for r in rows]).only(
            "supporter_id", "verdict", "reason_id"
        )
    }
    body = []
    for number, (pk, nik, name, rt, rw) in enumerate(rows, start=1):
        result = results.get(pk)
        body.append(
            [
                number,
                mask_nik(nik),
                name,
                f"{rt}/{rw}".strip("/"),
                str(Verdict(result.verdict).label) if result else "-",
                result.reason_id or "" if result else "",
            ]
        )
    ms = sum(1 for r in results.values() if r.verdict == Verdict.MS)
    tms = sum(1 for r in results.values() if r.verdict == Verdict.TMS)
    desa = _names(round, [village_code]).get(village_code, village_code)
    return Table(
        title=_("Daftar pendukung desa/kelurahan %(desa)s (%(code)s)") % {"desa": desa, "code": village_code},
        header=["No", "NIK", _("Nama"), "RT/RW", _("Hasil"), _("Alasan")],
        rows=body,
        footer=[_("Jumlah: %(n)s; MS: %(ms)s; TMS: %(tms)s") % {"n": len(rows), "ms": ms, "tms": tms}],
    )


def recap_table(round: VerificationRound) -> Table:
    """B.2-KWK: supporters, MS and TMS per kab/kota and per kecamatan."""
    population = defaultdict(int)
    for code, n in round_population(round).values_list("village_code").annotate(n=Count("pk")).order_by():
        population[code[:8]] += n
    verdicts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, verdict, n in (
        VerificationResult.objects.filter(round=round)
        .values_list("village_code", "verdict")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        verdicts[code[:8]][verdict] += n
    districts = sorted(population)
    regencies = sorted({c[:5] for c in districts})
    names = _names(round, [*districts, *regencies])
    body = []
    for regency in regencies:
        under = [d for d in districts if d.startswith(regency + ".")]
        body.append(
            [
                regency,
                names.get(regency, regency),
                sum(population[d] for d in under),
                sum(verdicts[d][Verdict.MS] for d in under),
                sum(verdicts[d][Verdict.TMS] for d in under),
            ]
        )
        for d in under:
            body.append([d, "  " + names.get(d, d), population[d], verdicts[d][Verdict.MS], verdicts[d][Verdict.TMS]])
    total = [sum(population.values()), sum(v[Verdict.MS] for v in verdicts.values())]
    total.append(sum(v[Verdict.TMS] for v in verdicts.values()))
    return Table(
        title=_("Rekapitulasi hasil verifikasi per kabupaten/kota dan kecamatan"),
        header=[_("Kode"), _("Wilayah"), _("Pendukung"), "MS", "TMS"],
        rows=[*body, ["", _("JUMLAH"), *total]],
        footer=[],
    )


def minutes_table(round: VerificationRound) -> Table:
    """Berita acara: totals, TMS by reason and a signatures block (the closer is the second operator)."""
    totals = round_totals(round)
    labels = dict(ReasonCode.objects.values_list("code", "label_id"))
    rows = [
        ["", _("Jumlah pendukung diverifikasi"), totals.population],
        ["", "MS", totals.ms],
        ["", "TMS", totals.tms],
        ["", _("Belum diputuskan"), totals.undecided + totals.pending],
    ]
    rows += [[code, labels.get(code, code), n] for code, n in sorted(totals.tms_by_reason.items())]
    closer = round.closed_by.get_full_name() or round.closed_by.username if round.closed_by else "-"
    return Table(
        title=_("Berita acara %(kind)s") % {"kind": round.get_kind_display()},
        header=[_("Kode"), _("Uraian"), _("Jumlah")],
        rows=rows,
        footer=[
            _("Dibuka oleh: %(who)s") % {"who": round.opened_by.username},
            _("Ditutup oleh: %(who)s") % {"who": closer},
            "",
            _("Tanda tangan:"),
            _("Ketua/Anggota KPU") + " ____________________        " + _("Penghubung (LO)") + " ____________________",
            _("Bawaslu") + " ____________________",
        ],
    )


def _latin(text) -> str:
    # the core PDF fonts are Latin-1; anything else is replaced rather than failing the whole document
    return str(text).encode("latin-1", "replace").decode("latin-1")


def render_pdf(table: Table, meta: list[tuple[str, str]]) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 12)
    pdf.multi_cell(0, 6, _latin(table.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 9)
    for label, value in meta:
        pdf.cell(0, 5, _latin(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    with pdf.table(line_height=5, first_row_as_headings=True) as grid:
        for line in [table.header, *table.rows]:
            row = grid.row()
            for cell in line:
                row.cell(_latin(cell))
    pdf.ln(3)
    for line in table.footer:
        pdf.cell(0, 6, _latin(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def render_xlsx(table: Table, meta: list[tuple[str, str]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Dokumen"
    ws.append([table.title])
    for label, value in meta:
        ws.append([label, value])
    ws.append([])
    ws.append(table.header)
    for line in table.rows:
        ws.append([c if isinstance(c, int | float) else str(c) for c in line])
    for line in table.footer:
        ws.append([str(line)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def document_content(document: VerificationDocument) -> bytes:
    round = document.round
    if document.kind == DocumentKind.SUPPORTER_LIST:
        table = supporter_list_table(round, document.village_code)
    elif document.kind == DocumentKind.RECAP:
        table = recap_table(round)
    else:
        table = minutes_table(round)
    meta = _meta(round, document.created_at)
    return render_pdf(table, meta) if document.fmt == "pdf" else render_xlsx(table, meta)


def document_build(*, document_id: int) -> VerificationDocument:
    """Generate and store a requested document once; the SHA-256 goes to the audit log (idempotent)."""
    with transaction.atomic():
        document = (
            VerificationDocument.objects.select_for_update(of=("self",))
            .select_related("round__pair", "round__election", "round__opened_by", "round__closed_by")
            .get(pk=document_id)
        )
        if document.finished_at is not None:
            return document
        content = document_content(document)
        digest = hashlib.sha256(content).hexdigest()
        name = f"{document.kind}-{document.round_id}-{document.village_code or 'all'}.{document.fmt}"
        document.file.save(name, ContentFile(content), save=False)
        document.sha256 = digest
        document.finished_at = timezone.now()
        document.save(update_fields=["file", "sha256", "finished_at"])
        audit_record(
            actor=document.requested_by,
            action="verification.document.generate",
            obj=document,
            region_code=document.village_code or document.round.election.region_code,
            after={"kind": document.kind, "fmt": document.fmt, "sha256": digest, "round": document.round_id},
        )
    return document
