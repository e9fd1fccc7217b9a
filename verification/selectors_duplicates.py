"""Reads of a round's potential duplicates (same NIK, different data), for the duplicates page; split from
``selectors.py``, which re-exports them."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from regions.models import Region
from silon.privacy import mask_name, mask_nik
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

    nik: str  # masked
    rows: list[DuplicateRow]
    differs: set[str]  # of "name", "birth_date", "marital", "village"

    @property
    def ids(self) -> list[int]:
        return [row.pk for row in self.rows]


def _normal(text: str) -> str:
    return " ".join((text or "").upper().split())


def duplicate_groups(*, round: VerificationRound, niks: list[str], full: bool) -> list[DuplicateGroup]:
    """The groups of ``niks`` (a page of ``duplicate_niks``): three queries whatever their number. Names are
    masked unless ``full``; the date of birth then shows its year only; the NIK is always masked."""
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
        born = birth_date.strftime("%d-%m-%Y") if birth_date else birth_text
        if not full and born:
            born = "**-**-" + born[-4:]
        group = groups.setdefault(nik, DuplicateGroup(nik=mask_nik(nik), rows=[], differs=set()))
        group.rows.append(
            DuplicateRow(
                pk=pk,
                name=name if full else mask_name(name),
                birth_date=born,
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
