"""Dashboard panels of ``objections`` (registered with ``dashboard.panels``): the objections waiting for a
decision, for the officials who reach their election, and the objections against an LO's own pair."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dashboard import panels
from dashboard.panels import QUEUE_ITEMS_SHOWN, Queue, QueueItem
from support_uploads.selectors import lo_pairs

from .models import Objection, ObjectionStatus
from .selectors import objections_in_reach


@panels.register(when=panels.officials, order=25)
def objection_queue(user) -> dict:
    waiting = objections_in_reach(user).filter(status=ObjectionStatus.FILED).order_by("filed_at", "pk")
    items = [
        QueueItem(str(o.pair), reverse("objections:detail", args=[o.pk]), o.filed_at.strftime("%d-%m-%Y"))
        for o in waiting[:QUEUE_ITEMS_SHOWN]
    ]
    return {"queues": [Queue("objections", _("Keberatan warga menunggu klarifikasi"), waiting.count(), items)]}


@panels.register(when=panels.pair_operators, order=35)
def pair_objections(user) -> dict:
    """The LO is told: objections against its pair, each status, one link to the list."""
    pairs = list(lo_pairs(user))
    objections = Objection.objects.filter(pair__in=pairs)
    items = [
        QueueItem(
            str(pair),
            reverse("objections:pair", args=[pair.pk]),
            _("%(filed)s diajukan, %(confirmed)s dikonfirmasi")
            % {
                "filed": objections.filter(pair=pair).count(),
                "confirmed": objections.filter(pair=pair, status=ObjectionStatus.CONFIRMED).count(),
            },
        )
        for pair in pairs[:QUEUE_ITEMS_SHOWN]
    ]
    return {
        "queues": [
            Queue(
                "objections",
                _("Keberatan warga atas dukungan pasangan Anda"),
                objections.count(),
                items,
                counts_items=False,
            )
        ]
    }
