"""Dashboard panels of ``support_uploads`` (registered with ``dashboard.panels``): an LO's support against
the requirement and its latest files, and an official's uploads still being checked (verification's panels
are in ``verification/panels.py``).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from candidacy.panels import pairs_in_reach, team_pair_rows
from dashboard import panels
from dashboard.panels import Queue

from .models import Upload, UploadStatus
from .recap import support_recap

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
