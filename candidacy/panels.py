"""Dashboard panels of ``candidacy`` (registered with ``dashboard.panels``): an official's elections and the
documents and decisions waiting for a person; a party admin's pair."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboard import panels
from dashboard.panels import QUEUE_ITEMS_SHOWN, Queue, QueueItem

from .models import CandidatePair, Document, DocumentCheck, PairStatus, ResponseStatus
from .schedule import schedule_summary, stage_schedules
from .selectors import election_list, pair_list
from .selectors_outages import outages_proposed
from .selectors_responses import responses_for_user

ELECTIONS_SHOWN = 25


def pairs_in_reach(user) -> QuerySet[CandidatePair]:
    """The pairs the user may read, as a plain queryset to build a queue on (a subquery, no query yet)."""
    return CandidatePair.objects.filter(pk__in=pair_list(user=user).values("pk"))


def pairs_queue(pairs: QuerySet[CandidatePair], *, key: str, title: str, url_name: str, **filters) -> Queue:
    """The pairs matching ``filters``, soonest polling day first, each linking to ``url_name``."""
    matching = pairs.filter(**filters).order_by("election__polling_day", "name")
    return Queue(
        key,
        title,
        matching.count(),
        [
            QueueItem(p.name, reverse(url_name, args=[p.pk]), p.election.name)
            for p in matching.select_related("election")[:QUEUE_ITEMS_SHOWN]
        ],
    )


def election_rows(user) -> tuple[list[dict], int]:
    """The user's first elections (soonest polling day first) with current stages and next deadline, and how
    many there are in all."""
    elections = list(election_list(user=user).annotate(pair_count=Count("pairs")).order_by("polling_day", "name"))
    shown = elections[:ELECTIONS_SHOWN]
    now = timezone.now()
    schedules = stage_schedules([e.pk for e in shown], now)
    rows = [
        {
            "election": e,
            "pair_count": e.pair_count,
            "summary": schedule_summary(schedules[e.pk], now),
            "url": reverse("candidacy:election_detail", args=[e.pk]),
        }
        for e in shown
    ]
    return rows, len(elections)


def pending_documents(pairs: QuerySet[CandidatePair]) -> Queue:
    """Pairs whose newest revision of some document is still unchecked."""
    newer = Document.objects.filter(
        pair=OuterRef("pair"),
        requirement=OuterRef("requirement"),
        candidate=OuterRef("candidate"),
        revision__gt=OuterRef("revision"),
    )
    newer_pair_level = Document.objects.filter(
        pair=OuterRef("pair"),
        requirement=OuterRef("requirement"),
        candidate__isnull=True,
        revision__gt=OuterRef("revision"),
    )
    latest_pending = (
        Document.objects.filter(pair__in=pairs, check_status=DocumentCheck.PENDING)
        .exclude(Q(candidate__isnull=False) & Exists(newer))
        .exclude(Q(candidate__isnull=True) & Exists(newer_pair_level))
    )
    per_pair = list(latest_pending.values("pair_id", "pair__name").annotate(n=Count("pk")).order_by("-n", "pair__name"))
    return Queue(
        "documents",
        _("Dokumen menunggu pemeriksaan"),
        sum(row["n"] for row in per_pair),
        [
            QueueItem(row["pair__name"], reverse("candidacy:documents", args=[row["pair_id"]]), str(row["n"]))
            for row in per_pair[:QUEUE_ITEMS_SHOWN]
        ],
        counts_items=False,  # documents are counted, pairs listed
    )


@panels.register(when=panels.officials, order=10, template="dashboard/panels/candidacy_elections.html")
def official_elections(user) -> dict:
    elections, total = election_rows(user)
    pairs = pairs_in_reach(user)
    decisions = pairs_queue(
        pairs,
        key="decisions",
        title=_("Pasangan menunggu keputusan"),
        url_name="candidacy:pair_detail",
        status__in=[PairStatus.SUBMITTED, PairStatus.UNDER_REVIEW, PairStatus.CORRECTED],
    )
    return {"elections": elections, "election_total": total, "queues": [pending_documents(pairs), decisions]}


def team_pair_rows(user) -> list[dict]:
    """The pair(s) a pair's team (LO, party admin) works for, with the stage it works in."""
    pairs = list(pair_list(user=user).select_related("election").order_by("name"))
    now = timezone.now()
    schedules = stage_schedules(sorted({p.election_id for p in pairs}), now)
    return [
        {
            "pair": pair,
            "summary": schedule_summary(schedules[pair.election_id], now),
            "detail_url": reverse("candidacy:pair_detail", args=[pair.pk]),
        }
        for pair in pairs
    ]


@panels.register(when=panels.party_admins, order=30, template="dashboard/panels/candidacy_pairs.html")
def party_admin_pairs(user) -> dict:
    return {"pairs": team_pair_rows(user)}


@panels.register(when=panels.officials, order=15)
def proposed_outages(user) -> dict:
    """Outages the health probes saw (issue #18), waiting for a KPU operator to confirm or dismiss them."""
    proposed = outages_proposed(user=user).order_by("-starts_at")
    total = proposed.count()
    if not total:
        return {}  # rare, and only for who may decide it: no empty queue on every dashboard
    url = reverse("candidacy:outages")
    items = [
        QueueItem(
            f"{timezone.localtime(o.starts_at):%Y-%m-%d %H:%M} – {timezone.localtime(o.ends_at):%H:%M}",
            f"{url}#outage-{o.pk}",
            o.affected,
        )
        for o in proposed[:QUEUE_ITEMS_SHOWN]
    ]
    return {"queues": [Queue("proposed_outages", _("Usulan gangguan sistem"), total, items)]}


@panels.register(when=panels.officials, order=16)
def public_responses(user) -> dict:
    """Public responses of the user's region not decided yet, newest first (docs/domain.md §9.2)."""
    open_responses = responses_for_user(user).exclude(status=ResponseStatus.DECIDED)
    queue = Queue(
        "public_responses",
        _("Tanggapan masyarakat belum diputuskan"),
        open_responses.count(),
        [
            QueueItem(f"#{r.pk} {r.pair}", reverse("candidacy:response_detail", args=[r.pk]), r.get_status_display())
            for r in open_responses[:QUEUE_ITEMS_SHOWN]
        ],
    )
    return {"queues": [queue]}
