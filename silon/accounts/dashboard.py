"""What each role sees first after signing in: the work waiting for it, scoped like every other read.

Operators (and Bawaslu, read-only) get their elections with the current stage and the next deadline, and the
queues that need a person: documents not yet checked, support submitted but not yet in verification, open
verification rounds, uploads still being validated. A pair's LO gets the pair's support against the
requirement and the window it works in; a party admin the pair and what awaits its confirmation; a PPK/PPS
verifier the factual rounds that cover its area. A bounded number of queries for any amount of data.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidacy.models import CandidatePair, Document, DocumentCheck, PairStatus, SupportStatus
from candidacy.selectors import election_list, pair_list
from portal.selectors import schedule_summary, stage_schedules
from regions.models import Region

from .jurisdiction import code_within
from .models import Role, User

ELECTIONS_SHOWN = 25
QUEUE_ITEMS_SHOWN = 10
OPERATOR_ROLES = (Role.ADMIN, Role.KPU_OPERATOR, Role.BAWASLU)


@dataclass
class QueueItem:
    label: str
    url: str
    detail: str = ""


@dataclass
class Queue:
    """One kind of waiting work: how many, and the first few with a link each."""

    key: str
    title: str
    total: int
    items: list[QueueItem] = field(default_factory=list)


def region_label(user: User) -> str:
    """The name of the user's region (any list version: a name outlives decrees), or the code."""
    if not user.region_code:
        return ""
    name = Region.objects.filter(code=user.region_code).order_by("-version_id").values_list("name", flat=True).first()
    return f"{name} ({user.region_code})" if name else user.region_code


def election_rows(user: User) -> tuple[list[dict], int]:
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


def _pending_documents(pairs) -> Queue:
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
    )


def _pairs_in(pairs, title: str, key: str, url_name: str, **filters) -> Queue:
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


def operator_queues(user: User) -> list[Queue]:
    from support_uploads.models import Upload, UploadStatus
    from verification.models import VerificationRound

    pairs = CandidatePair.objects.filter(pk__in=pair_list(user=user).values("pk"))
    rounds = VerificationRound.objects.filter(pair__in=pairs, closed_at__isnull=True).select_related("pair")
    open_rounds = list(rounds.order_by("opened_at")[:QUEUE_ITEMS_SHOWN])
    running = Upload.objects.filter(pair__in=pairs, status__in=[UploadStatus.QUEUED, UploadStatus.RUNNING])
    verified = VerificationRound.objects.filter(pair=OuterRef("pk"))
    return [
        _pending_documents(pairs),
        _pairs_in(
            pairs,
            _("Pasangan menunggu keputusan"),
            "decisions",
            "candidacy:pair_detail",
            status__in=[PairStatus.SUBMITTED, PairStatus.UNDER_REVIEW, PairStatus.CORRECTED],
        ),
        _pairs_in(
            pairs.annotate(in_verification=Exists(verified)),
            _("Dukungan diserahkan, verifikasi belum dibuka"),
            "support",
            "verification:pair",
            support_status=SupportStatus.SUBMITTED,
            in_verification=False,
        ),
        Queue(
            "rounds",
            _("Putaran verifikasi yang masih terbuka"),
            rounds.count(),
            [
                QueueItem(
                    str(r.pair),
                    reverse("verification:round", args=[r.pk]),
                    f"{r.get_kind_display()} · {r.get_batch_display()}",
                )
                for r in open_rounds
            ],
        ),
        Queue("uploads", _("Berkas dukungan sedang diperiksa sistem"), running.count()),
    ]


def verifier_rounds(user: User) -> list[dict]:
    """Open factual rounds of elections that cover the verifier's kecamatan/desa."""
    from verification.models import RoundKind, VerificationRound

    rounds = VerificationRound.objects.filter(kind=RoundKind.FACTUAL, closed_at__isnull=True).select_related(
        "pair", "election"
    )
    return [
        {"round": r, "url": reverse("verification:round", args=[r.pk])}
        for r in rounds.order_by("opened_at")
        if code_within(user.region_code, r.election.region_code)
    ]


def team_pairs(user: User) -> list[dict]:
    """The pair(s) an LO or party admin works for, with what matters to it now."""
    from support_uploads.models import Upload
    from support_uploads.selectors import support_recap

    pairs = list(pair_list(user=user).select_related("election").order_by("name"))
    now = timezone.now()
    schedules = stage_schedules(sorted({p.election_id for p in pairs}), now)
    rows = []
    for pair in pairs:
        row = {
            "pair": pair,
            "summary": schedule_summary(schedules[pair.election_id], now),
            "detail_url": reverse("candidacy:pair_detail", args=[pair.pk]),
        }
        if user.role == Role.PAIR_OPERATOR:
            row["recap"] = support_recap(pair=pair)
            row["support_url"] = reverse("support_uploads:pair", args=[pair.pk])
            row["uploads"] = list(Upload.objects.filter(pair=pair).order_by("-created_at")[:3])
        rows.append(row)
    return rows


def dashboard_for(user: User) -> dict:
    context: dict = {"region_label": region_label(user), "queues": [], "elections": [], "pairs": [], "rounds": []}
    if user.role in OPERATOR_ROLES or user.is_superuser:
        context["elections"], context["election_total"] = election_rows(user)
        context["queues"] = operator_queues(user)
        context["read_only"] = user.role == Role.BAWASLU
    elif user.role == Role.VERIFIER:
        context["rounds"] = verifier_rounds(user)
    elif user.role in (Role.PAIR_OPERATOR, Role.PARTY_ADMIN):
        context["pairs"] = team_pairs(user)
    return context
