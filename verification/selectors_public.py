"""Reads of verification for the public portal: counts only, of *closed* rounds (an open round's partial
counts are not public, since a supporter's result may still change), never a supporter row. The portal
caches and arranges them (``portal/support.py``); it does not query verification's tables itself."""

from django.db.models import Count

from regions.codes import ancestor_at_sql
from regions.models import Level

from .models import CorrectionSubmission, PairOutcome, Verdict, VerificationResult, VerificationRound


def closed_rounds(pair_ids: list[int]) -> list[dict]:
    """The closed rounds of these pairs: ``id``, ``pair_id``, ``kind``, ``batch``, ``closed_at``."""
    return list(
        VerificationRound.objects.filter(pair_id__in=pair_ids, closed_at__isnull=False).values(
            "id", "pair_id", "kind", "batch", "closed_at"
        )
    )


def round_verdict_counts(round_ids: list[int]) -> dict[int, dict]:
    """MS and TMS of each round, and its MS per kecamatan, in one grouped query (set-based, whatever the
    number of results): ``{round_id: {"ms": n, "tms": n, "districts": {"52.01.01": n, ...}}}``."""
    built: dict[int, dict] = {rid: {"ms": 0, "tms": 0, "districts": {}} for rid in round_ids}
    rows = (
        VerificationResult.objects.filter(round_id__in=round_ids, verdict__in=[Verdict.MS, Verdict.TMS])
        .annotate(district=ancestor_at_sql("village_code", Level.DISTRICT))
        .values_list("round_id", "verdict", "district")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for round_id, verdict, district, n in rows:
        entry = built[round_id]
        entry[verdict] += n
        if verdict == Verdict.MS:
            entry["districts"][district] = entry["districts"].get(district, 0) + n
    return built


def pair_outcomes(pair_ids: list[int]) -> list[dict]:
    """Each batch's decided outcome of these pairs, as the public sees it."""
    return list(
        PairOutcome.objects.filter(pair_id__in=pair_ids).values(
            "pair_id",
            "batch",
            "status",
            "ms_total",
            "minimum",
            "shortfall",
            "spread_met",
            "spread_required",
            "decided_at",
        )
    )


def correction_submissions(pair_ids: list[int]) -> list[tuple[int, int, int]]:
    """``(pair_id, required, submitted)`` of the correction batches these pairs handed in."""
    return list(
        CorrectionSubmission.objects.filter(pair_id__in=pair_ids).values_list("pair_id", "required", "submitted")
    )
