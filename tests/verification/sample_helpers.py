"""A small province verified by sample: an ordinary independent pair of a governor election whose regulation
version says ``factual_by_sample`` (PKPU 10/2022), with supporters in the three kab/kota of the test region
tree and the administrative round closed."""

import datetime
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from candidacy.models import RegulationVersion
from support_uploads.models import Supporter
from tests.accounts.factories import operator
from tests.support_uploads.conftest import PDF
from verification.models import RoundKind, Verdict
from verification.services import results_mark, round_close, round_open

from .test_team_results import team_lo
from .verification_helpers import DESA_A, DESA_B, DESA_C, DESA_D, add_supporters, make_election, make_pair

_names = itertools.count(1)


def sampled_regulation(base: RegulationVersion, **params) -> RegulationVersion:
    """A copy of ``base`` (its bands too) that verifies factual support by sample."""
    bands = list(base.bands.all())
    copy = RegulationVersion.objects.get(pk=base.pk)
    copy.pk = None
    copy.name = f"{base.name} (sampel {next(_names)})"
    copy.factual_by_sample = True
    for field, value in params.items():
        setattr(copy, field, value)
    copy.save()
    for band in bands:
        band.pk = None
        band.regulation = copy
        band.save()
    return copy


def vary(rows: list[Supporter], polling_day: datetime.date) -> None:
    """Different addresses, sexes and ages, so that the sort order is not the upload order."""
    streets = ["JL. MELATI", "JL. MAWAR", "DUSUN BARAT", "jl.  anggrek"]
    for i, row in enumerate(rows):
        row.address = f"{streets[(i * 7) % len(streets)]} NO. {(i * 13) % 9}"
        row.sex = "LP"[(i * 3) % 2]
        row.birth_date = polling_day.replace(year=polling_day.year - 18 - (i * 11) % 50)
    Supporter.objects.bulk_update(rows, ["address", "sex", "birth_date"])


def sampled_province(*, per_regency=(20, 10, 12, 1), tms_in_a: int = 1, **params) -> dict:
    """Supporters per desa A, B (kab/kota 52.01), C (52.02) and D (52.03); the administrative round found all MS
    but ``tms_in_a`` in desa A; the factual round is open, by sample, before its start number is chosen."""
    election = make_election()
    election.regulation = sampled_regulation(election.regulation, **params)
    election.save(update_fields=["regulation"])
    pair = make_pair(election)
    op1, op2 = operator("52"), operator("52")
    lo = team_lo(pair, op1)
    villages = [desa for desa, n in zip((DESA_A, DESA_B, DESA_C, DESA_D), per_regency, strict=True) for _ in range(n)]
    rows = add_supporters(pair, villages)
    vary(rows, election.polling_day)
    admin = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    refused = rows[:tms_in_a]
    if refused:
        results_mark(
            actor=op1, round=admin, verdict=Verdict.TMS, supporter_ids=[r.pk for r in refused], reason_code="TMS_NO_KTP"
        )
    results_mark(actor=op1, round=admin, verdict=Verdict.MS, supporter_ids=[r.pk for r in rows[tms_in_a:]])
    round_close(actor=op2, round=admin)
    factual = round_open(actor=op1, pair=pair, kind=RoundKind.FACTUAL)
    return {"election": election, "pair": pair, "op1": op1, "op2": op2, "lo": lo, "rows": rows, "round": factual}


def form(name: str = "model-awal-sampel.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")
