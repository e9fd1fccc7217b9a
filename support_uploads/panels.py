"""Dashboard panels of ``support_uploads`` (registered with ``dashboard.panels``): an LO's support against
the requirement and its latest files, and an official's uploads still being checked; then those of
verification (support waiting for a round, open rounds, a verifier's factual rounds).

The verification part moves to ``verification/panels.py`` with the verification app.
"""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from candidacy.models import SupportStatus
from candidacy.panels import pairs_in_reach, pairs_queue, team_pair_rows
from dashboard import panels
from dashboard.panels import QUEUE_ITEMS_SHOWN, Queue, QueueItem
from regions.codes import is_within

from .models import Upload, UploadStatus
from .selectors import support_recap
from .verification.models import RoundKind, VerificationRound

LATEST_UPLOADS_SHOWN = 3


@panels.register(when=panels.officials, order=30)
def uploads_running(user) -> dict:
    running = Upload.objects.filter(
        pair__in=pairs_in_reach(user), status__in=[UploadStatus.QUEUED, UploadStatus.RUNNING]
    )
    return {"queues": [Queue("uploads", _("Berkas dukungan sedang diperiksa sistem"), running.count())]}


@panels.register(when=panels.pair_operators, order=30, template="dashboard/panels/support_uploads_pairs.html")
def lo_pairs(user) -> dict:
    rows = team_pair_rows(user)
    for row in rows:
        pair = row["pair"]
        row["recap"] = support_recap(pair=pair)
        row["support_url"] = reverse("support_uploads:pair", args=[pair.pk])
        row["uploads"] = list(Upload.objects.filter(pair=pair).order_by("-created_at")[:LATEST_UPLOADS_SHOWN])
    return {"pairs": rows}


# --- verification ----------------------------------------------------------------------------------------


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
        url_name="support_uploads:verification:pair",
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
                reverse("support_uploads:verification:round", args=[r.pk]),
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
            {"round": r, "url": reverse("support_uploads:verification:round", args=[r.pk])}
            for r in rounds.order_by("opened_at")
            if is_within(user.region_code, r.election.region_code)
        ]
    }
