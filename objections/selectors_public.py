"""What the portal shows of the public checks and objections: counts per pair, never a person. The portal
reads them here (``tests/portal/test_reads_through_selectors.py``)."""

from collections.abc import Iterable, Iterator

from django.db.models import Count, Q

from .models import Objection, ObjectionStatus, PublicCheckMatch


def confirmed_by_pair(pair_ids: Iterable[int]) -> dict[int, int]:
    """Confirmed objections per pair (pairs without one are absent)."""
    rows = (
        Objection.objects.filter(pair_id__in=list(pair_ids), status=ObjectionStatus.CONFIRMED)
        .values_list("pair_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def objection_counts() -> Iterator[dict]:
    """Per pair with any check or objection: checks that found a listing, objections filed, confirmed,
    not confirmed. Two grouped queries, whatever the number of pairs."""
    checks = dict(
        PublicCheckMatch.objects.filter(pair__isnull=False).values_list("pair_id").annotate(n=Count("pk")).order_by()
    )
    objections = {
        row["pair_id"]: row
        for row in Objection.objects.values("pair_id", "election_id")
        .annotate(
            filed=Count("pk"),
            confirmed=Count("pk", filter=Q(status=ObjectionStatus.CONFIRMED)),
            rejected=Count("pk", filter=Q(status=ObjectionStatus.REJECTED)),
        )
        .order_by()
    }
    elections = dict(
        PublicCheckMatch.objects.filter(pair__isnull=False).values_list("pair_id", "election_id").distinct()
    )
    for pair_id in sorted(set(checks) | set(objections)):
        row = objections.get(pair_id, {})
        yield {
            "pair_id": pair_id,
            "election_id": row.get("election_id") or elections.get(pair_id),
            "checks": checks.get(pair_id, 0),
            "objections": row.get("filed", 0),
            "confirmed": row.get("confirmed", 0),
            "not_confirmed": row.get("rejected", 0),
        }
