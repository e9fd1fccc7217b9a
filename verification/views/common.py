"""What the verification pages share: the worklist page size, the round page's address, a supporter's row
as the viewer may see it, and the supporters ticked on a form."""

from urllib.parse import urlencode

from django.urls import reverse

from candidacy.models import CandidatePair
from silon.accounts.models import Role
from silon.privacy import mask_address, mask_name, mask_nik
from support_uploads.models import RowStatus

from ..models import VerificationRound

PAGE_ROWS = 200


def round_url(round: VerificationRound, prefix: str = "", page: str = "") -> str:
    url = reverse("verification:round", args=[round.pk])
    query = {"wilayah": prefix} if prefix else {}
    if prefix and page.isdigit() and page != "1":
        query["halaman"] = page
    return f"{url}?{urlencode(query)}" if query else url


def row_view(user, pair: CandidatePair, supporter, full: bool) -> dict:
    # verifiers need the name and address to find the supporter, never the whole NIK
    needs_contact = full or user.role == Role.VERIFIER
    return {
        "pk": supporter.pk,
        "nik": supporter.nik if full else mask_nik(supporter.nik),
        "name": supporter.name if needs_contact else mask_name(supporter.name),
        "address": supporter.address if needs_contact else mask_address(supporter.address),
        "rt_rw": f"{supporter.rt}/{supporter.rw}".strip("/"),
        "village_code": supporter.village_code,
        "review": supporter.status == RowStatus.REVIEW,
        "external": "DUP_EXTERNAL" in supporter.reason_list,
    }


def ticked_ids(request) -> list[int] | None:
    ids = [int(v) for v in request.POST.getlist("pilih") if v.isdigit()]
    return ids or None
