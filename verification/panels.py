"""Dashboard panels of ``verification`` (registered with ``dashboard.panels``): support waiting for a round,
open rounds for officials, and a verifier's open factual rounds."""

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from candidacy.models import SupportStatus
from candidacy.panels import pairs_in_reach, pairs_queue
from dashboard import panels
from dashboard.panels import QUEUE_ITEMS_SHOWN, Queue, QueueItem
from regions.codes import is_within
from support_uploads.selectors import lo_pairs

from .models import RoundKind, Verdict, VerificationRound
from .selectors_team import team_rounds
from .supervision import supervision_progress


@panels.register(when=panels.officials, order=20)
def verification_queues(user) -> dict:
    pairs = pairs_in_reach(user)
    rounds = VerificationRound.objects.filter(pair__in=pairs, closed_at__isnull=True).select_related("pair")
    open_rounds = list(rounds.order_by("opened_at")[:QUEUE_ITEMS_SHOWN])
    verified = VerificationRound.objects.filter(pair=OuterRef("pk"))
    waiting = pairs_queue(
        pairs.annotate(in_verification=Exists(verified)),
        key="support",
        title=_("Dukungan diserahkan, verifikasi belum dibuka"),
        url_name="verification:pair",
        support_status=SupportStatus.SUBMITTED,
        in_verification=False,
    )
    open_queue = Queue(
        "rounds",
        _("Putaran verifikasi yang masih terbuka"),
        rounds.count(),
        [
            QueueItem(
                str(r.pair),
                # a supervisor reads rounds in its own section below, never on the operators' round page
                f"#round-{r.pk}" if user.is_supervisor else reverse("verification:round", args=[r.pk]),
                f"{r.get_kind_display()} · {r.get_batch_display()}",
            )
            for r in open_rounds
        ],
    )
    return {"queues": [waiting, open_queue]}


@panels.register(when=panels.verifiers, order=40, template="dashboard/panels/verification_rounds.html")
def verifier_rounds(user) -> dict:
    """Open factual rounds of elections that cover the verifier's kecamatan/desa."""
    rounds = VerificationRound.objects.filter(kind=RoundKind.FACTUAL, closed_at__isnull=True).select_related(
        "pair", "election"
    )
    return {
        "rounds": [
            {"round": r, "url": reverse("verification:round", args=[r.pk])}
            for r in rounds.order_by("opened_at")
            if is_within(user.region_code, r.election.region_code)
        ]
    }


@panels.register(when=panels.supervisors, order=45, template="dashboard/panels/verification_supervision.html")
def supervision_rounds(user) -> dict:
    """Per pair in the supervisor's reach, each verification round and its progress per regency/district."""
    rounds, count = supervision_progress(user=user, pairs=pairs_in_reach(user))
    return {"supervised_rounds": rounds, "supervised_rounds_total": count}


@panels.register(when=panels.pair_operators, order=35, template="dashboard/panels/verification_team.html")
def team_verification(user) -> dict:
    """The LO's rounds with how many supporters are still to be brought to the PPS office and the first moment a
    window closes (docs/domain.md §3.4, §9.3), each linking to the team's results page."""
    rows = []
    for pair in lo_pairs(user):
        rounds = team_rounds(user, pair).annotate(
            pending=Count("results", filter=Q(results__verdict=Verdict.PENDING)),
            first_due=Min("results__due_at", filter=Q(results__verdict=Verdict.PENDING)),
        )
        for r in rounds:
            rows.append({"round": r, "pair": pair, "url": reverse("verification:team_results", args=[r.pk])})
    return {"team_rounds": rows}
