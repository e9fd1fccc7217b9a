"""Reads of a pair's potential duplicates (docs/domain.md §4: same NIK, different data): the rows held for a
KPU operator's decision, one group per NIK, and the decisions made, with the row chosen. Personal values as
the viewer may see them (``silon.privacy``)."""

from dataclasses import dataclass, field

from candidacy.models import CandidatePair
from silon.privacy import Kind, Viewer

from .models import DuplicateDecision, RowStatus, Supporter, Upload, UploadStatus

GROUPS_SHOWN = 100  # NIKs per page load: the operator decides them one by one


@dataclass
class HeldRow:
    pk: int
    upload_id: int
    upload_name: str
    sheet: int
    row_number: int
    name: str
    birth_date: str
    marital: str
    village_code: str
    status: str  # the code (``RowStatus``)
    status_label: str
    chosen: bool = False


@dataclass
class DuplicateGroup:
    nik: str  # as the viewer may see it
    rows: list[HeldRow] = field(default_factory=list)
    decision: DuplicateDecision | None = None


def held_supporters(*, pair: CandidatePair):
    """The pair's rows held as potential duplicates (``review``, DUP_POTENTIAL) in its DONE uploads."""
    return Supporter.objects.filter(
        pair_id=pair.pk,
        status=RowStatus.REVIEW,
        reasons__contains="DUP_POTENTIAL",
        upload_id__in=Upload.objects.filter(pair=pair, status=UploadStatus.DONE).values("pk"),
    )


def _row(row: Supporter, names: dict[int, str], viewer: Viewer) -> HeldRow:
    return HeldRow(
        pk=row.pk,
        upload_id=row.upload_id,
        upload_name=names.get(row.upload_id, ""),
        sheet=row.sheet + 1,
        row_number=row.row_number,
        name=viewer.show(Kind.NAME, row.name),
        birth_date=viewer.show(Kind.BIRTH_DATE, row.birth_date_text),
        marital=row.marital,
        village_code=row.village_code,
        status=row.status,
        status_label=str(row.get_status_display()),
    )


def _groups(rows: list[Supporter], viewer: Viewer) -> dict[str, DuplicateGroup]:
    names = dict(Upload.objects.filter(pk__in={r.upload_id for r in rows}).values_list("pk", "original_name"))
    groups: dict[str, DuplicateGroup] = {}
    for row in rows:
        group = groups.setdefault(row.nik, DuplicateGroup(nik=viewer.show(Kind.NIK, row.nik)))
        group.rows.append(_row(row, names, viewer))
    return groups


def held_groups(*, pair: CandidatePair, viewer: Viewer) -> list[DuplicateGroup]:
    """The first ``GROUPS_SHOWN`` held NIKs of the pair, each with all its held rows in the order sent."""
    niks = list(held_supporters(pair=pair).values_list("nik", flat=True).distinct().order_by("nik")[:GROUPS_SHOWN])
    rows = list(held_supporters(pair=pair).filter(nik__in=niks).order_by("nik", "upload_id", "sheet", "row_number"))
    return list(_groups(rows, viewer).values())


def decided_groups(*, pair: CandidatePair, viewer: Viewer, limit: int = GROUPS_SHOWN) -> list[DuplicateGroup]:
    """The latest decisions on the pair's potential duplicates, each with the rows it decided and the one
    chosen (none when all were rejected)."""
    decisions = list(DuplicateDecision.objects.filter(pair=pair).select_related("decided_by")[:limit])
    ids = {pk for decision in decisions for pk in decision.rows}
    by_pk = {row.pk: row for row in Supporter.objects.filter(pk__in=ids)}
    names = dict(Upload.objects.filter(pk__in={r.upload_id for r in by_pk.values()}).values_list("pk", "original_name"))
    shown = []
    for decision in decisions:
        group = DuplicateGroup(nik=viewer.show(Kind.NIK, decision.nik), decision=decision)
        for pk in decision.rows:
            if pk in by_pk:
                held = _row(by_pk[pk], names, viewer)
                held.chosen = pk == decision.chosen_id
                group.rows.append(held)
        shown.append(group)
    return shown


def supporter_decision(*, supporter: Supporter) -> DuplicateDecision | None:
    """The decision that covered this row, if any (the latest)."""
    for decision in DuplicateDecision.objects.filter(pair_id=supporter.pair_id, nik=supporter.nik):
        if supporter.pk in decision.rows:
            return decision
    return None
