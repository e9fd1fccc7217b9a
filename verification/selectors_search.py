"""Finding people in a verification round: by NIK (exact) or by name (contains, case-insensitive), among the
round's supporters the user may work on (``selectors.worklist``: the election's region for a KPU operator,
its own kecamatan/desa for a PPK/PPS)."""

from django.db.models import QuerySet

from silon.accounts.models import User
from support_uploads.models import Supporter

from .models import VerificationResult, VerificationRound
from .selectors import worklist

SEARCH_LIMIT = 50  # matches shown; a name common enough to pass it must be narrowed (a longer part, a NIK)
NAME_MIN_LENGTH = 3


def round_search(*, user: User, round: VerificationRound, nik: str = "", name: str = "") -> QuerySet[Supporter]:
    """Supporters of the round within the user's reach whose NIK is ``nik`` or whose name contains ``name``;
    none for an empty or too short query (a search is a read of personal data, never a listing of all)."""
    rows = worklist(user=user, round=round)
    nik, name = nik.strip(), " ".join(name.split())
    if nik:
        return rows.filter(nik=nik)[:SEARCH_LIMIT]
    if len(name) >= NAME_MIN_LENGTH:
        return rows.filter(name__icontains=name)[:SEARCH_LIMIT]
    return rows.none()


def round_results_of(*, round: VerificationRound, supporter_ids: list[int]) -> dict[int, VerificationResult]:
    """This round's result of each of ``supporter_ids`` that has one."""
    found = VerificationResult.objects.filter(round=round, supporter_id__in=supporter_ids).select_related("reason")
    return {r.supporter_id: r for r in found}
