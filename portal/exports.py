"""Open-data CSV downloads, streamed row by row from a server-side cursor, never built in memory.

Every value goes through ``silon.csvsafe`` so a name such as ``=HYPERLINK(...)`` cannot run as a formula in
the spreadsheet that opens the file.
"""

import csv
from collections.abc import Iterable, Iterator

from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from candidacy.models import Path
from candidacy.schedule import stage_windows
from candidacy.selectors_public import pairs_for_export, public_elections
from objections.selectors_public import objection_counts
from silon.csvsafe import csv_safe

from . import support_rows

CHUNK = 2000


class _Echo:
    """A file-like object whose ``write`` hands the line back, so ``csv.writer`` yields instead of buffering."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(csv_safe(list(row)))


def _iso(value) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def election_rows() -> Iterator[tuple]:
    for e in (
        public_elections()
        .values_list("id", "name", "type", "region_code", "region_name", "polling_day", "dpt")
        .iterator(chunk_size=CHUNK)
    ):
        yield (*e[:5], e[5].isoformat(), e[6])


def pair_rows() -> Iterator[tuple]:
    """One row per pair with its parties (party path) and the candidates' names; never NIK or address."""
    pairs = pairs_for_export()
    for pair in pairs.iterator(chunk_size=CHUNK):
        people = {c.role: c.name for c in pair.candidates.all()}
        parties = ";".join(n.party.short_name for n in sorted(pair.nominations.all(), key=lambda n: n.party.number))
        yield (
            pair.pk,
            pair.election_id,
            pair.election.name,
            pair.ballot_number or "",
            pair.name,
            pair.path,
            parties if pair.path == Path.PARTY else "",
            people.get("head", ""),
            people.get("deputy", ""),
            pair.status,
            pair.support_status,
            pair.responses_received,
            pair.responses_upheld,
            pair.responses_not_upheld,
            people.get("dpd", ""),  # a DPD candidacy's one candidate (Pemilu DPD)
        )


def stage_rows() -> Iterator[tuple]:
    """Stage windows with the end the election page shows (extensions for every pair included)."""
    windows = stage_windows().values_list(
        "election_id", "election__name", "stage", "starts_at", "effective_ends_at", "ends_at"
    )
    for election_id, name, stage, starts_at, ends_at, scheduled_end in windows.iterator(chunk_size=CHUNK):
        yield (election_id, name, stage, _iso(starts_at), _iso(ends_at), "ya" if ends_at != scheduled_end else "tidak")


EXPORTS = {
    "pemilihan": (
        ["id", "nama", "jenis", "kode_wilayah", "nama_wilayah", "hari_pemungutan", "dpt"],
        election_rows,
    ),
    "paslon": (
        [
            "id",
            "pemilihan_id",
            "pemilihan",
            "nomor_urut",
            "nama_pasangan",
            "jalur",
            "partai_pengusul",
            "calon_kepala_daerah",
            "calon_wakil",
            "status",
            "status_dukungan",
            "tanggapan_masyarakat",
            "tanggapan_terbukti",
            "tanggapan_tidak_terbukti",
            "calon_dpd",
        ],
        pair_rows,
    ),
    "tahapan": (["pemilihan_id", "pemilihan", "tahapan", "mulai", "selesai", "diperpanjang"], stage_rows),
    "dukungan": (support_rows.SUPPORT_EXPORT_HEADER, support_rows.support_aggregate_rows),
    "verifikasi": (support_rows.VERIFICATION_EXPORT_HEADER, support_rows.verification_rows),
    # public self-checks that found a listing, objections filed, confirmed, not confirmed: per pair, no person
    "keberatan": (
        ["paslon_id", "pemilihan_id", "cek_tercantum", "keberatan", "dikonfirmasi", "tidak_dikonfirmasi"],
        lambda: (
            (r["pair_id"], r["election_id"], r["checks"], r["objections"], r["confirmed"], r["not_confirmed"])
            for r in objection_counts()
        ),
    ),
}


@require_safe
def download(request, name: str):
    if name not in EXPORTS:
        raise Http404
    header, rows = EXPORTS[name]
    response = StreamingHttpResponse(csv_lines(header, rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="silon-{name}.csv"'
    return response
