"""The stage schedule: when each stage of an election opens and when it effectively ends.

A stage's *effective end* is its window's end moved by the latest extension that applies: one granted to
every pair (``pair`` empty) always applies, one granted to a single pair applies to that pair only. An
extension is recorded only to move the end later; an earlier date never shortens the window. This module
is the one place that computes it, as one SQL expression (``stage_windows``), for the service that refuses
a late action, the election page's "open" flag, an LO account's expiry, the dashboards, the public pages,
the API and the CSV alike (docs/domain.md §3).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .kinds import PILKADA_STAGE_FOLLOWS
from .models import CandidatePair, Election, Stage, StageExtension, StageWindow

# Pilkada's order of the stages (``candidacy.kinds``, where each election kind names its own)
STAGE_FOLLOWS = PILKADA_STAGE_FOLLOWS


def stage_order_conflicts(
    windows: dict[str, tuple[datetime.datetime, datetime.datetime]],
    stage: Stage,
    follows: dict[Stage, tuple[Stage, ...]] = STAGE_FOLLOWS,
) -> list[tuple[Stage, Stage]]:
    """The (earlier, later) pairs of stages whose windows break ``follows`` (the election kind's order) once
    ``stage`` has the window given for it in ``windows`` (stage -> (starts_at, ends_at) of every scheduled
    stage): a later stage starting before an earlier one has ended. Only pairs that involve ``stage`` count."""
    conflicts = []
    for later, earlier_stages in follows.items():
        for earlier in earlier_stages:
            if stage not in (earlier, later) or earlier not in windows or later not in windows:
                continue
            if windows[later][0] < windows[earlier][1]:
                conflicts.append((earlier, later))
    return conflicts


def stage_windows(*, election_ids: list[int] | None = None, pair: CandidatePair | None = None) -> QuerySet[StageWindow]:
    """Stage windows in schedule order, each annotated with ``effective_ends_at``: for every pair when
    ``pair`` is None (the public schedule), else for that pair. One query, however many elections (a
    correlated subquery, no second pass)."""
    applies = Q(pair__isnull=True) | Q(pair=pair) if pair is not None else Q(pair__isnull=True)
    latest_extension = (
        StageExtension.objects.filter(applies, election_id=OuterRef("election_id"), stage=OuterRef("stage"))
        .order_by("-extended_until")
        .values("extended_until")[:1]
    )
    windows = StageWindow.objects.annotate(
        effective_ends_at=Greatest("ends_at", Coalesce(Subquery(latest_extension), "ends_at"))
    ).order_by("election_id", "starts_at", "id")
    if election_ids is not None:
        windows = windows.filter(election_id__in=election_ids)
    return windows


def stage_deadline(*, election: Election, stage: Stage, pair: CandidatePair | None = None) -> datetime.datetime | None:
    """The effective end of one stage for ``pair`` (every pair's when None), or None when unscheduled."""
    return (
        stage_windows(election_ids=[election.pk], pair=pair)
        .filter(stage=stage)
        .values_list("effective_ends_at", flat=True)
        .first()
    )


def pair_schedule_end(pair: CandidatePair) -> datetime.datetime | None:
    """The latest effective end of any stage for ``pair`` (every pair's extensions and its own count, another
    pair's do not), or None when nothing is scheduled: how long the pair's team has work to do."""
    return (
        stage_windows(election_ids=[pair.election_id], pair=pair)
        .order_by("-effective_ends_at")
        .values_list("effective_ends_at", flat=True)
        .first()
    )


def election_stage_schedule(election: Election) -> list[dict]:
    """Every stage in lifecycle order with its window (or None), its extensions, and whether it is open now
    for every pair: between its start and its effective end, an extension for every pair included (one for a
    single pair is listed, but opens the stage for that pair only). The election page's schedule."""
    windows = {w.stage: w for w in stage_windows(election_ids=[election.pk])}
    extensions = list(election.stage_extensions.select_related("pair", "granted_by"))
    now = timezone.now()
    rows = []
    for stage in Stage:
        window = windows.get(stage.value)
        rows.append(
            {
                "stage": stage,
                "window": window,
                "open": bool(window and window.starts_at <= now <= window.effective_ends_at),
                "extensions": [e for e in extensions if e.stage == stage.value],
            }
        )
    return rows


def schedule_latest_end(election: Election) -> datetime.datetime | None:
    """The latest effective end of any stage of the election for any pair (every extension counts, a single
    pair's too), or None when nothing is scheduled: what the polling day must come after."""
    ends = [
        StageWindow.objects.filter(election=election).aggregate(m=Max("ends_at"))["m"],
        StageExtension.objects.filter(election=election).aggregate(m=Max("extended_until"))["m"],
    ]
    return max((end for end in ends if end is not None), default=None)


# --- the schedule as people read it ------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    kind: str  # "ends" (the current stage closes) or "starts" (the next stage opens)
    stage_label: str
    at: datetime.datetime
    countdown: str


def countdown_text(delta: datetime.timedelta) -> str:
    """``3 hari 4 jam lagi``: coarse enough to stay true for the minute a cached page lives."""
    seconds = int(delta.total_seconds())
    if seconds <= 0:
        return _("sudah lewat")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return _("%(days)s %(hours)s lagi") % {
            "days": ngettext("%(n)d hari", "%(n)d hari", days) % {"n": days},
            "hours": ngettext("%(n)d jam", "%(n)d jam", hours) % {"n": hours},
        }
    if hours:
        return _("%(hours)s %(minutes)s lagi") % {
            "hours": ngettext("%(n)d jam", "%(n)d jam", hours) % {"n": hours},
            "minutes": ngettext("%(n)d menit", "%(n)d menit", minutes) % {"n": minutes},
        }
    return ngettext("%(n)d menit lagi", "%(n)d menit lagi", max(minutes, 1)) % {"n": max(minutes, 1)}


def stage_schedules(election_ids: list[int], now: datetime.datetime) -> dict[int, list[dict]]:
    """Each election's stages in lifecycle order with the public effective end (``stage_windows``) and a
    state: done, current, upcoming or unscheduled. One query for any number of elections."""
    windows: dict[int, dict[str, StageWindow]] = defaultdict(dict)
    for window in stage_windows(election_ids=election_ids):
        windows[window.election_id][window.stage] = window
    schedules = {}
    for election_id in election_ids:
        rows = []
        for stage in Stage:
            window = windows[election_id].get(stage.value)
            if window is None:
                rows.append({"stage": stage.value, "label": stage.label, "state": "unscheduled"})
                continue
            ends_at = window.effective_ends_at
            state = "done" if ends_at <= now else "current" if window.starts_at <= now else "upcoming"
            rows.append(
                {
                    "stage": stage.value,
                    "label": stage.label,
                    "state": state,
                    "starts_at": window.starts_at,
                    "ends_at": ends_at,
                    "extended": ends_at != window.ends_at,
                }
            )
        schedules[election_id] = rows
    return schedules


def schedule_summary(rows: list[dict], now: datetime.datetime) -> dict:
    """The current stages (windows may overlap) and the next deadline a reader should know about."""
    current = [r for r in rows if r["state"] == "current"]
    upcoming = sorted((r for r in rows if r["state"] == "upcoming"), key=lambda r: r["starts_at"])
    deadline = None
    if current:
        soonest = min(current, key=lambda r: r["ends_at"])
        deadline = Deadline("ends", soonest["label"], soonest["ends_at"], countdown_text(soonest["ends_at"] - now))
    elif upcoming:
        first = upcoming[0]
        deadline = Deadline("starts", first["label"], first["starts_at"], countdown_text(first["starts_at"] - now))
    scheduled = [r for r in rows if r["state"] != "unscheduled"]
    finished = bool(scheduled) and all(r["state"] == "done" for r in scheduled)
    return {"current": [r["label"] for r in current], "deadline": deadline, "finished": finished}


def stages_closed_between(since: datetime.datetime, until: datetime.datetime) -> list[str]:
    """Stages whose effective end (extensions for every pair included) fell in (since, until]: the audit
    checkpoint task signs the chain head when one did (``silon.audit.checkpoints``)."""
    closed = (
        stage_windows()
        .filter(effective_ends_at__gt=since, effective_ends_at__lte=until)
        .select_related("election")
        .order_by("effective_ends_at", "id")
    )
    return [
        f"{w.election.name}: {w.get_stage_display()} ({timezone.localtime(w.effective_ends_at):%Y-%m-%d %H:%M %Z})"
        for w in closed
    ]
