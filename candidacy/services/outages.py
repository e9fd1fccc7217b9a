"""Downtime becomes time (issue #18, docs/domain.md §9.4). A KPU operator records an outage (or confirms one
the health probes proposed); every pair in the operator's reach whose affected stage window overlapped it
gets a StageExtension of the length its election's RegulationVersion says (``rules.outage_extension_hours``),
with the reason, audited. Recording the same outage again extends nobody twice: one extension per outage,
pair and stage (a constraint), and the same span recorded again is the same outage."""

import datetime
import itertools
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from silon.accounts.access import require_kpu_operator
from silon.accounts.jurisdiction import within_q
from silon.accounts.models import User
from silon.audit import actions
from silon.audit.services import audit_record

from ..models import CandidatePair, HealthProbe, Outage, OutageStatus, Path, Stage, StageExtension, StageWindow
from ..rules import outage_extension_hours
from ..schedule import stage_deadline

# the stages only an independent pair has (docs/domain.md §3.2-§3.5)
SUPPORT_STAGES = frozenset(
    {Stage.SUPPORT_SUBMISSION, Stage.ADMIN_VERIFICATION, Stage.FACTUAL_VERIFICATION}
    | {Stage.CORRECTION_SUBMISSION, Stage.CORRECTION_VERIFICATION}
)


def _clean_stages(stages: Iterable[str]) -> list[str]:
    chosen = sorted(set(stages))
    if not chosen:
        raise ValidationError(_("Pilih tahapan yang terdampak gangguan."))
    unknown = [s for s in chosen if s not in Stage.values]
    if unknown:
        raise ValidationError(_("Tahapan tidak dikenal: %(stages)s.") % {"stages": ", ".join(unknown)})
    return chosen


def _reason(outage: Outage) -> str:
    start = date_format(timezone.localtime(outage.starts_at), "DATETIME_FORMAT")
    end = date_format(timezone.localtime(outage.ends_at), "DATETIME_FORMAT")
    text = _("Perpanjangan karena gangguan sistem %(start)s s.d. %(end)s") % {"start": start, "end": end}
    return f"{text}: {outage.affected}" if outage.affected else text


def _affected_pairs(outage: Outage, stage: str):
    pairs = CandidatePair.objects.filter(within_q("election__region_code", outage.region_code))
    if stage in SUPPORT_STAGES:
        pairs = pairs.filter(path=Path.INDEPENDENT)
    windows = StageWindow.objects.filter(stage=stage, starts_at__lt=outage.ends_at)
    return pairs.filter(election__in=windows.values("election")).select_related("election__regulation")


def outage_extensions_apply(*, actor: User, outage: Outage) -> list[StageExtension]:
    """The extensions a confirmed outage owes, created once each (a second call creates none)."""
    granted = []
    for stage in outage.stages:
        # extended already for this outage, or for one recorded over the same time (the same outage twice)
        overlapping = StageExtension.objects.filter(
            stage=stage, outage__starts_at__lt=outage.ends_at, outage__ends_at__gt=outage.starts_at
        )
        done = set(overlapping.values_list("pair_id", flat=True))
        for pair in _affected_pairs(outage, stage):
            deadline = stage_deadline(election=pair.election, stage=stage, pair=pair)
            if pair.pk in done or deadline is None or deadline <= outage.starts_at:
                continue  # extended already, or the window had closed before the outage began
            regulation = pair.election.regulation
            hours = outage_extension_hours(
                outage.length.total_seconds(),
                min_hours=regulation.outage_extension_min_hours,
                round_hours=regulation.outage_extension_round_hours,
            )
            extension = StageExtension.objects.create(
                election=pair.election,
                stage=stage,
                pair=pair,
                extended_until=deadline + datetime.timedelta(hours=hours),
                reason=_reason(outage),
                granted_by=actor,
                outage=outage,
            )
            audit_record(
                actor=actor,
                action=actions.STAGE_EXTEND,
                obj=extension,
                region_code=pair.election.region_code,
                after={"stage": stage, "pair": pair.pk, "extended_until": extension.extended_until,
                       "hours": hours, "outage": outage.pk},
            )  # fmt: skip
            granted.append(extension)
    return granted


@transaction.atomic
def outage_record(
    *,
    actor: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    stages: Iterable[str],
    affected: str = "",
    region_code: str | None = None,
) -> Outage:
    """Record an outage over ``region_code`` (default: the operator's whole jurisdiction) and extend the
        affected pairs. The same span over the same region recorded again is the outage already recorded; a pair
    already extended for an outage overlapping this one is not extended again."""
    region_code = actor.region_code if region_code is None else region_code
    require_kpu_operator(actor, region_code, _("Hanya operator KPU di wilayah ini yang boleh mencatat gangguan."))
    if ends_at <= starts_at:
        raise ValidationError(_("Akhir gangguan harus sesudah awalnya."))
    if ends_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(_("Gangguan dicatat setelah selesai; akhirnya tidak boleh di masa depan."))
    chosen = _clean_stages(stages)
    outage = Outage.objects.filter(
        region_code=region_code, starts_at=starts_at, ends_at=ends_at, status=OutageStatus.CONFIRMED
    ).first()
    if outage is None:
        outage = Outage.objects.create(
            region_code=region_code, starts_at=starts_at, ends_at=ends_at, stages=chosen, affected=affected.strip(),
            recorded_by=actor, decided_by=actor, decided_at=timezone.now(),
        )  # fmt: skip
    elif set(chosen) - set(outage.stages):
        outage.stages = sorted(set(outage.stages) | set(chosen))
        outage.save(update_fields=["stages"])
    granted = outage_extensions_apply(actor=actor, outage=outage)
    audit_record(
        actor=actor,
        action=actions.OUTAGE_RECORD,
        obj=outage,
        region_code=outage.region_code,
        after={"starts_at": starts_at, "ends_at": ends_at, "stages": outage.stages, "extensions": len(granted)},
    )
    return outage


@transaction.atomic
def outage_decide(*, actor: User, outage: Outage, confirm: bool, stages: Iterable[str] | None = None) -> Outage:
    """A KPU operator whose reach covers the proposal's region confirms it (recorded, with its extensions) or
    dismisses it; the probes' proposals are national (the system is one), so they are the national KPU's or
    a system admin's to decide. Either way the proposal leaves the dashboards."""
    require_kpu_operator(actor, outage.region_code, _("Usulan gangguan ini diputuskan oleh operator KPU RI."))
    outage = Outage.objects.select_for_update().get(pk=outage.pk)
    if outage.status != OutageStatus.PROPOSED:
        raise ValidationError(_("Usulan gangguan ini sudah diputuskan."))
    outage.status = OutageStatus.CONFIRMED if confirm else OutageStatus.DISMISSED
    outage.decided_by, outage.decided_at = actor, timezone.now()
    outage.save(update_fields=["status", "decided_by", "decided_at"])
    if not confirm:
        audit_record(actor=actor, action=actions.OUTAGE_DISMISS, obj=outage, region_code=outage.region_code)
        return outage
    return outage_record(
        actor=actor,
        starts_at=outage.starts_at,
        ends_at=outage.ends_at,
        stages=stages or outage.stages,
        affected=outage.affected,
        region_code=outage.region_code,
    )


def _failure_spans(probes: list[HealthProbe], gap: datetime.timedelta):
    """(start, end, what failed) of each closed run of failed probes; a gap without probes (the database
    itself down: nothing could be written) counts as a failure from the probe before to the one after."""
    spans, start, what = [], None, set()
    for before, probe in itertools.pairwise(probes):
        if probe.at - before.at > gap:
            spans.append((before.at, probe.at, {"probe"}))
        if not before.ok and start is None:
            start = before.at
        if not before.ok:
            what |= set(before.failures)
        if probe.ok and start is not None:
            spans.append((start, probe.at, what))
            start, what = None, set()
    return spans


@transaction.atomic
def health_probe_record(*, failures: list[str], at: datetime.datetime | None = None) -> list[Outage]:
    """Store one health probe, then propose an outage for each closed span of failures longer than
    ``OUTAGE_PROPOSE_MINUTES`` inside an open stage window that no outage covers yet."""
    at = at or timezone.now()
    HealthProbe.objects.create(at=at, ok=not failures, failures=sorted(failures))
    since = at - datetime.timedelta(days=1)
    probes = list(HealthProbe.objects.filter(at__gte=since).order_by("at"))
    gap = datetime.timedelta(seconds=3 * settings.HEALTH_PROBE_SECONDS)
    proposed = []
    for start, end, what in _failure_spans(probes, gap):
        if end - start < datetime.timedelta(minutes=settings.OUTAGE_PROPOSE_MINUTES):
            continue
        if Outage.objects.filter(starts_at__lt=end, ends_at__gt=start).exists():
            continue
        stages = sorted(
            set(StageWindow.objects.filter(starts_at__lt=end, ends_at__gt=start).values_list("stage", flat=True))
        )
        if not stages:
            continue  # no stage was open: nobody lost time
        outage = Outage.objects.create(
            starts_at=start, ends_at=end, stages=stages, affected=", ".join(sorted(what)), status=OutageStatus.PROPOSED
        )
        audit_record(
            actor=None,
            action=actions.OUTAGE_PROPOSE,
            obj=outage,
            region_code=outage.region_code,
            after={"stages": stages},
        )
        proposed.append(outage)
    return proposed
