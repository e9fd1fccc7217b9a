"""Reads of a round's potential duplicates (same NIK, different data), for the duplicates page; split from
``selectors.py``, which re-exports them."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from regions.models import Region
from silon.privacy import Kind, Viewer
from support_uploads.models import RowStatus

from .models import Verdict, VerificationResult, VerificationRound
from .selectors import round_population


def duplicate_niks(*, round: VerificationRound) -> QuerySet:
    """The NIKs of a round's potential duplicates (``review`` rows: same NIK, different data), in NIK order."""
    return (
        round_population(round).filter(status=RowStatus.REVIEW).values_list("nik", flat=True).distinct().order_by("nik")
    )


@dataclass
class DuplicateRow:
    pk: int
    name: str
    birth_date: str
    marital: str
    village_code: str
    village_name: str
    review: bool
    verdict: str  # this round's result so far, as its label, or ""


@dataclass
class DuplicateGroup:
    """Every row of the round with one NIK, and which of the compared fields differ between them."""

    nik: str  # as the viewer may see it
    rows: list[DuplicateRow]
    differs: set[str]  # of "name", "birth_date", "marital", "village"

    @property
    def ids(self) -> list[int]:
        return [row.pk for row in self.rows]


def _normal(text: str) -> str:
    return " ".join((text or "").upper().split())


def duplicate_groups(*, round: VerificationRound, niks: list[str], viewer: Viewer) -> list[DuplicateGroup]:
    """The groups of ``niks`` (a page of ``duplicate_niks``): three queries whatever their number. NIK, name and
    date of birth as ``viewer`` may see them (``silon.privacy``: with the NIK masked, the year of birth only)."""
    rows = list(
        round_population(round)
        .filter(nik__in=niks)
        .order_by("nik", "village_code", "pk")
        .values_list("pk", "nik", "name", "birth_date", "birth_date_text", "marital", "village_code", "status")
    )
    verdicts = dict(
        VerificationResult.objects.filter(round=round, supporter_id__in=[r[0] for r in rows]).values_list(
            "supporter_id", "verdict"
        )
    )
    names = dict(
        Region.objects.filter(version_id=round.election.region_version_id, code__in={r[6] for r in rows}).values_list(
            "code", "name"
        )
    )
    groups: dict[str, DuplicateGroup] = {}
    compared: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for pk, nik, name, birth_date, birth_text, marital, village, status in rows:
        group = groups.setdefault(nik, DuplicateGroup(nik=viewer.show(Kind.NIK, nik), rows=[], differs=set()))
        group.rows.append(
            DuplicateRow(
                pk=pk,
                name=viewer.show(Kind.NAME, name),
                birth_date=viewer.show(Kind.BIRTH_DATE, birth_date or birth_text),
                marital=marital,
                village_code=village,
                village_name=names.get(village, ""),
                review=status == RowStatus.REVIEW,
                verdict=str(Verdict(verdicts[pk]).label) if pk in verdicts else "",
            )
        )
        values = compared[nik]
        values["name"].add(_normal(name))
        values["birth_date"].add(birth_date or _normal(birth_text))
        values["marital"].add(_normal(marital))
        values["village"].add(village)
    for nik, group in groups.items():
        group.differs = {field for field, seen in compared[nik].items() if len(seen) > 1}
    return [groups[nik] for nik in niks if nik in groups]
