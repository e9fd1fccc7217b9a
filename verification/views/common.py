"""What the verification pages share: the worklist page size, the round page's address, a supporter's row
as the viewer may see it, and the supporters ticked on a form."""

from urllib.parse import urlencode

from django.urls import reverse

from silon.numbers import parse_id, parse_ids
from silon.privacy import Kind, Viewer
from support_uploads.models import RowStatus

from ..models import VerificationRound

PAGE_ROWS = 200


def round_url(round: VerificationRound, prefix: str = "", page: str = "") -> str:
    url = reverse("verification:round", args=[round.pk])
    query = {"wilayah": prefix} if prefix else {}
    if prefix and (number := parse_id(page)) not in (None, 1):
        query["halaman"] = str(number)
    return f"{url}?{urlencode(query)}" if query else url


def row_view(viewer: Viewer, supporter) -> dict:
    """A worklist row as ``viewer`` may see it (``support_uploads.selectors.supporter_viewer``): a verifier of
    the desa gets the name and address it needs to find the supporter, never the whole NIK."""
    return {
        "pk": supporter.pk,
        "nik": viewer.show(Kind.NIK, supporter.nik),
        "name": viewer.show(Kind.NAME, supporter.name),
        "address": viewer.show(Kind.ADDRESS, supporter.address),
        "rt_rw": f"{supporter.rt}/{supporter.rw}".strip("/"),
        "village_code": supporter.village_code,
        "review": supporter.status == RowStatus.REVIEW,
        "external": "DUP_EXTERNAL" in supporter.reason_list,
    }


def ticked_ids(request) -> list[int] | None:
    ids = parse_ids(request.POST.getlist("pilih"))
    return ids or None
