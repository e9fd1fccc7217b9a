"""What each document prints, as a stream of items in print order, read from the database:

``["title", text]``, ``["meta", label, value]``, ``["section", title, header, widths_mm]`` (a table starts),
``["row", cells]``, ``["note", text]`` and ``["page"]`` (a new page). The renderers (``render.py``) turn the
stream into PDF or xlsx, and the content hash (``build.py``) is taken over the same stream, so what is printed
and what is hashed cannot drift apart. Supporter lists are streamed (``.iterator()``), never held whole."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.codes import district_of, regency_of
from regions.models import Region
from silon.accounts.access import kpu_operator_reaches
from silon.accounts.jurisdiction import code_within, region_in_reach
from silon.accounts.models import Role, User
from silon.privacy import DOCUMENT_VIEWER, Kind
from support_uploads.models import ReasonCode
from support_uploads.recap import district_tally, regency_groups

from ..models import (
    DocumentKind,
    RoundKind,
    Verdict,
    VerificationDocument,
    VerificationResult,
    VerificationRound,
    Visit,
)
from ..selectors import round_population, round_totals

ROW_CHUNK = 2000  # rows fetched per round trip while a supporter list streams
LIST_WIDTHS = [10, 32, 62, 16, 46, 24]
RECAP_WIDTHS = [25, 85, 30, 25, 25]
MINUTES_WIDTHS = [40, 120, 30]
SIGN_LINE = "_" * 20


@dataclass
class Content:
    """A document's title, its items (a generator for the supporter list) and how many rows it will print."""

    title: str
    total: int
    items: Iterator[list]


def document_meta(document: VerificationDocument) -> list[tuple[str, str]]:
    round = document.round
    meta = [
        (_("Pemilihan"), round.election.name),
        (_("Pasangan calon"), round.pair.name),
        (_("Putaran"), f"{round.get_kind_display()} - {round.get_batch_display()}"),
        (_("Dibuat"), timezone.localtime(document.created_at).strftime("%d-%m-%Y %H:%M %Z")),
    ]
    if document.kind == DocumentKind.SUPPORTER_LIST:
        meta.append((_("Wilayah"), document.village_code))
    return meta


def _names(round: VerificationRound, codes) -> dict[str, str]:
    return dict(
        Region.objects.filter(version_id=round.election.region_version_id, code__in=list(codes)).values_list(
            "code", "name"
        )
    )


def _names_under(round: VerificationRound, area: str) -> dict[str, str]:
    """Names of the area and every region under it (bounded by the region tree, not by the supporters)."""
    regions = Region.objects.filter(version_id=round.election.region_version_id)
    return dict(
        regions.filter(Q(code=area) | Q(code__startswith=area + ".")).values_list("code", "name")
        if area
        else regions.values_list("code", "name")
    )


def document_area(*, actor: User, round: VerificationRound, code: str) -> str:
    """The area of a supporter list: a desa, kecamatan, kab/kota or the election's whole region, within the
    actor's jurisdiction (a verifier: its own kecamatan/desa; an operator: its region). Blank means the
    largest area the actor reaches."""
    election = round.election
    code = (code or "").strip()
    if not code:
        code = actor.region_code if actor.role == Role.VERIFIER else election.region_code
        if actor.role == Role.KPU_OPERATOR and not region_in_reach(actor, code):
            code = actor.region_code
    known = Region.objects.filter(version_id=election.region_version_id, code=code).exists()
    if not code or not known or not code_within(code, election.region_code):
        raise ValidationError(_("Wilayah %(code)s tidak termasuk wilayah pemilihan ini.") % {"code": code or "-"})
    if actor.role == Role.VERIFIER:
        allowed = bool(actor.region_code) and code_within(code, actor.region_code)
    else:
        allowed = kpu_operator_reaches(actor, code)
    if not allowed:
        raise PermissionDenied(_("Wilayah ini di luar wilayah kerja Anda."))
    return code


def supporter_list_content(round: VerificationRound, area: str) -> Content:
    """B.1.1-KWK: every supporter of the area in this round with its result, grouped per desa (a page and a
    header each, as the per-desa forms), the NIK masked. One counting query and one streamed query."""
    population = round_population(round).filter(Q(village_code=area) | Q(village_code__startswith=area + "."))
    total = population.count()
    results = VerificationResult.objects.filter(round=round, supporter_id=OuterRef("pk"))
    rows = (
        population.annotate(
            round_verdict=Subquery(results.values("verdict")[:1]),
            round_reason=Subquery(results.values("reason_id")[:1]),
        )
        .order_by("village_code", "name", "pk")
        .values_list("village_code", "nik", "name", "rt", "rw", "round_verdict", "round_reason")
    )
    names = _names_under(round, area)
    title = _("Daftar pendukung (B.1.1-KWK) %(area)s (%(code)s)") % {"area": names.get(area, area), "code": area}
    return Content(title=title, total=total, items=_supporter_list_items(area, rows, names))


def _supporter_list_items(area: str, rows, names: dict[str, str]) -> Iterator[list]:
    labels = {v: str(label) for v, label in Verdict.choices}
    header = ["No", "NIK", _("Nama"), "RT/RW", _("Hasil"), _("Alasan")]
    grand = {"n": 0, "ms": 0, "tms": 0}
    desa = None
    counts = {}
    for code, nik, name, rt, rw, verdict, reason in rows.iterator(chunk_size=ROW_CHUNK):
        if code != desa:
            if desa is not None:
                yield ["note", _("Jumlah: %(n)s; MS: %(ms)s; TMS: %(tms)s") % counts]
                yield ["page"]
            desa, counts = code, {"n": 0, "ms": 0, "tms": 0}
            title = _("Desa/kelurahan %(desa)s (%(code)s) · Kecamatan %(kec)s · Kabupaten/kota %(kab)s") % {
                "desa": names.get(code, code),
                "code": code,
                "kec": names.get(district_of(code), district_of(code)),
                "kab": names.get(regency_of(code), regency_of(code)),
            }
            yield ["section", title, header, LIST_WIDTHS]
        for tally in (counts, grand):
            tally["n"] += 1
            tally["ms"] += verdict == Verdict.MS
            tally["tms"] += verdict == Verdict.TMS
        yield [
            "row",
            [
                counts["n"],
                DOCUMENT_VIEWER.show(Kind.NIK, nik),
                DOCUMENT_VIEWER.show(Kind.NAME, name),
                f"{rt}/{rw}".strip("/"),
                labels.get(verdict, "-"),
                (reason or "") if verdict else "",
            ],
        ]
    if desa is None:
        yield ["note", _("Tidak ada pendukung di wilayah ini.")]
        return
    yield ["note", _("Jumlah: %(n)s; MS: %(ms)s; TMS: %(tms)s") % counts]
    if len(area) < 13:
        yield ["note", _("Jumlah seluruh wilayah: %(n)s; MS: %(ms)s; TMS: %(tms)s") % grand]


def recap_content(round: VerificationRound) -> Content:
    """B.2-KWK: supporters, MS and TMS per kab/kota and per kecamatan."""
    population = district_tally(round_population(round).values_list("village_code").annotate(n=Count("pk")).order_by())
    verdicts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, verdict, n in (
        VerificationResult.objects.filter(round=round)
        .values_list("village_code", "verdict")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        verdicts[district_of(code)][verdict] += n
    groups = regency_groups(population)
    names = _names(round, [*population, *(regency for regency, _under in groups)])
    body = []
    for regency, under in groups:
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
    total = [
        sum(population.values()),
        sum(v[Verdict.MS] for v in verdicts.values()),
        sum(v[Verdict.TMS] for v in verdicts.values()),
    ]
    items = [
        ["section", "", [_("Kode"), _("Wilayah"), _("Pendukung"), "MS", "TMS"], RECAP_WIDTHS],
        *(["row", line] for line in body),
        ["row", ["", _("JUMLAH"), *total]],
    ]
    title = _("Rekapitulasi hasil verifikasi per kabupaten/kota dan kecamatan (B.2-KWK)")
    return Content(title=title, total=len(body) + 1, items=iter(items))


def minutes_content(round: VerificationRound) -> Content:
    """Berita acara: totals, MS by what the visit found (factual rounds), TMS by reason, the supporters still
    waiting, and a signatures block (the closer is the second operator)."""
    totals = round_totals(round)
    reasons = dict(ReasonCode.objects.values_list("code", "label_id"))
    visits = {v: str(label) for v, label in Visit.choices}
    rows = [
        ["", _("Jumlah pendukung diverifikasi"), totals.population],
        ["", "MS", totals.ms],
    ]
    if round.kind == RoundKind.FACTUAL:
        ms_by_visit = (
            VerificationResult.objects.filter(round=round, verdict=Verdict.MS)
            .values_list("visit")
            .annotate(n=Count("pk"))
            .order_by("visit")
        )
        rows += [[f"MS:{visit or '-'}", visits.get(visit, "-"), n] for visit, n in ms_by_visit]
    rows.append(["", "TMS", totals.tms])
    rows += [[code or "-", reasons.get(code, "-"), n] for code, n in sorted(totals.tms_by_reason.items())]
    if round.kind == RoundKind.FACTUAL:
        rows.append(["", str(Verdict.PENDING.label), totals.pending])
        rows.append(["", _("Belum diputuskan"), totals.undecided])
    else:
        rows.append(["", _("Belum diputuskan"), totals.undecided + totals.pending])
    closer = round.closed_by.get_full_name() or round.closed_by.username if round.closed_by else "-"
    items = [
        ["section", "", [_("Kode"), _("Uraian"), _("Jumlah")], MINUTES_WIDTHS],
        *(["row", line] for line in rows),
        ["note", _("Dibuka oleh: %(who)s") % {"who": round.opened_by.username}],
        ["note", _("Ditutup oleh: %(who)s") % {"who": closer}],
        ["note", ""],
        ["note", _("Tanda tangan:")],
        ["note", " ".join([_("Ketua/Anggota KPU"), SIGN_LINE, "      ", _("Penghubung (LO)"), SIGN_LINE])],
        ["note", " ".join([_("Bawaslu"), SIGN_LINE])],
    ]
    title = _("Berita acara %(kind)s") % {"kind": round.get_kind_display()}
    return Content(title=title, total=len(rows), items=iter(items))


def document_content(document: VerificationDocument) -> Content:
    if document.kind == DocumentKind.SUPPORTER_LIST:
        return supporter_list_content(document.round, document.village_code)
    if document.kind == DocumentKind.RECAP:
        return recap_content(document.round)
    return minutes_content(document.round)
