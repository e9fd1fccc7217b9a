"""Factual verification by sample on a small province (PKPU 10/2022; issue #20): the regulation makes the
factual round a sample, the candidate's team picks the start number on form MODEL.AWAL.SAMPEL.DPD, each
kab/kota is drawn and recorded, PPS/PPK see only the sampled supporters, and each kab/kota's sample decides
its count (eligible share × N, rounded down)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from candidacy.models import SupportStatus
from silon.audit import actions
from silon.audit.models import AuditEvent
from tests.accounts.factories import operator
from verification import sampling
from verification.models import PairOutcome, RoundKind, SampleDraw, SampleDrawRow, SampleStart, Verdict, Visit
from verification.selectors import pair_support_result, round_totals, sample_decisions, worklist
from verification.selectors_sample import draw_rederive, sample_plan
from verification.services import factual_visit_record, results_mark, round_close, round_open, sample_start_submit

from .sample_helpers import form, sampled_province
from .test_team_results import team_lo
from .verification_helpers import DESA_A, DESA_C, add_supporters, make_election, make_pair, verifier

pytestmark = pytest.mark.django_db


def drawn_ids(round) -> set[int]:
    return set(SampleDrawRow.objects.filter(draw__round=round).values_list("supporter_id", flat=True))


def test_the_whole_flow_draws_each_kabkota_shows_only_the_sample_and_decides_per_kabkota():
    p = sampled_province()
    round, rows, lo, op1, op2 = p["round"], p["rows"], p["lo"], p["op1"], p["op2"]
    assert round.by_sample
    pps_a = verifier(DESA_A)
    # before the start number: nothing to visit, and the round cannot close on an empty sample
    assert worklist(user=pps_a, round=round).count() == 0
    with pytest.raises(ValidationError, match="nomor awal"):
        round_close(actor=op2, round=round)
    plan = {d.regency_code: (d.population, d.size) for d in sample_plan(round)}
    # 52.01: 30 supporters, one TMS in the administrative round; the lone supporter of 52.03 is sampled too
    assert plan == {"52.01": (29, sampling.sample_size(29)), "52.02": (12, 12), "52.03": (1, 1)}
    assert sampling.sample_size(29) < 29

    with pytest.raises(PermissionDenied):
        sample_start_submit(actor=op1, round=round, number=1, form=form())
    with pytest.raises(ValidationError, match="PDF"):
        sample_start_submit(actor=lo, round=round, number=1, form=form("model.pdf", b"GIF89a not a pdf"))
    with pytest.raises(ValidationError, match="antara 1 dan 1"):
        sample_start_submit(actor=lo, round=round, number=2, form=form())
    start = sample_start_submit(actor=lo, round=round, number=1, form=form())
    assert start.form_sha256 and start.form.name.endswith(".pdf")
    with pytest.raises(ValidationError, match="sudah dipilih"):
        sample_start_submit(actor=lo, round=round, number=1, form=form())

    draws = {d.regency_code: d for d in SampleDraw.objects.filter(round=round)}
    assert {code: (d.population, d.size, d.start) for code, d in draws.items()} == {
        "52.01": (29, sampling.sample_size(29), 1),
        "52.02": (12, 12, 1),
        "52.03": (1, 1, 1),
    }
    a = draws["52.01"]
    assert a.interval == (Decimal(29) / Decimal(a.size)).quantize(Decimal("0.000001"))  # N/n, recorded to 6 places
    assert (a.chi_square, a.proportion, a.margin) == (Decimal("3.841"), Decimal("0.5"), Decimal("0.05"))
    assert a.rows.count() == a.size and a.age_on == p["election"].polling_day
    event = AuditEvent.objects.get(action=actions.VERIFICATION_SAMPLE_DRAW, object_id=str(round.pk))
    assert event.actor == lo and event.after["start"] == 1 and len(event.after["draws"]) == 3

    # PPS of desa A sees only its sampled supporters; a supporter not drawn cannot be visited
    sampled = drawn_ids(round)
    seen = set(worklist(user=pps_a, round=round).values_list("pk", flat=True))
    in_a = {r.pk for r in rows[1:20]}
    assert seen == in_a & sampled and seen
    left_out = next(r for r in rows[1:30] if r.pk not in sampled)
    with pytest.raises(ValidationError, match="tidak termasuk"):
        factual_visit_record(actor=pps_a, round=round, supporter=left_out, visit=Visit.CONFIRMS)
    assert round_totals(round).population == len(sampled)

    # record the sample: 3 of 52.01's sample deny, half of 52.02's, the lone 52.03 supporter denies
    by_pk = {r.pk: r for r in rows}
    denied = {"52.01": 3, "52.02": 6, "52.03": 1}
    for code, draw in draws.items():
        for i, supporter_id in enumerate(draw.rows.order_by("position").values_list("supporter_id", flat=True)):
            visit = Visit.DENIES if i < denied[code] else Visit.CONFIRMS
            factual_visit_record(
                actor=op1, round=round, supporter=by_pk[supporter_id], visit=visit, note="tidak mendukung"
            )
    decisions = {d.regency_code: d for d in sample_decisions(pair=p["pair"], round=round)}
    n_a = draws["52.01"].size
    assert {c: (d.eligible, d.counted) for c, d in decisions.items()} == {
        "52.01": (n_a - 3, (n_a - 3) * 29 // n_a),
        "52.02": (6, 6),
        "52.03": (0, 0),
    }
    round_close(actor=op2, round=round)
    result = pair_support_result(pair=p["pair"])
    assert result.ms_total == (n_a - 3) * 29 // n_a + 6
    assert result.per_unit == {"52.01": (n_a - 3) * 29 // n_a, "52.02": 6, "52.03": 0}
    assert (result.spread_met, result.spread_required) == (2, 2)
    outcome = PairOutcome.objects.get(pair=p["pair"])
    assert (outcome.status, outcome.ms_total) == (SupportStatus.MS, result.ms_total)


def test_the_regulations_parameters_set_the_size_and_one_start_number_lands_in_every_interval():
    # d = 0.2 instead of 0.05: smaller samples, so an interval longer than 2 (parameters are data)
    p = sampled_province(per_regency=(20, 10, 12, 1), tms_in_a=0, sample_margin=Decimal("0.2"))
    rule = sampling.rule_of(p["election"].regulation)
    assert rule.margin == Decimal("0.2")
    plan = {d.regency_code: (d.population, d.size, d.last_start) for d in sample_plan(p["round"])}
    assert plan["52.01"] == (30, sampling.sample_size(30, rule), 2)
    assert plan["52.01"][1] < sampling.sample_size(30)
    sample_start_submit(actor=p["lo"], round=p["round"], number=2, form=form())
    starts = dict(SampleDraw.objects.filter(round=p["round"]).values_list("regency_code", "start"))
    # 52.01 takes 2; 52.02 (interval < 2) and 52.03 take it modulo their interval: 1
    assert starts == {"52.01": 2, "52.02": 1, "52.03": 1}
    assert SampleStart.objects.get(round=p["round"]).number == 2
    assert all(draw_rederive(d).matches for d in SampleDraw.objects.filter(round=p["round"]))


def test_a_census_round_is_unchanged_by_the_sampling():
    election = make_election()
    pair = make_pair(election)
    op1, op2 = operator("52"), operator("52")
    lo = team_lo(pair, op1)
    rows = add_supporters(pair, [DESA_A, DESA_C])
    admin = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    results_mark(actor=op1, round=admin, verdict=Verdict.MS, supporter_ids=[r.pk for r in rows])
    round_close(actor=op2, round=admin)
    factual = round_open(actor=op1, pair=pair, kind=RoundKind.FACTUAL)
    assert not factual.by_sample
    assert worklist(user=verifier(DESA_C), round=factual).count() == 1
    with pytest.raises(ValidationError, match="bukan verifikasi faktual dengan sampel"):
        sample_start_submit(actor=lo, round=factual, number=1, form=form())


def test_a_proven_forgery_deducts_the_regulations_penalty_from_the_outcome():
    """Pemilu DPD: each proven duplicate or forged support deducts the regulation's penalty (50 in the seeded DPD
    regulation; 5 here, to keep the count above zero) from what the sample decided."""
    from support_uploads.models import RowStatus, Supporter
    from support_uploads.services.counts import upload_counts_refresh

    p = sampled_province(duplicate_penalty=5)
    round, lo, op1, op2 = p["round"], p["lo"], p["op1"], p["op2"]
    sample_start_submit(actor=lo, round=round, number=1, form=form())
    by_pk = {r.pk: r for r in p["rows"]}
    for supporter_id in drawn_ids(round):
        factual_visit_record(actor=op1, round=round, supporter=by_pk[supporter_id], visit=Visit.CONFIRMS)
    round_close(actor=op2, round=round)
    before = pair_support_result(pair=p["pair"])
    assert (before.penalty_cases, before.ms_total) == (0, before.counted) and before.counted > 5
    # a confirmed citizen objection (objections.services): the row TMS SUPPORTER_DENIED, its file's counts follow
    forged = next(r for r in p["rows"] if r.pk not in drawn_ids(round))
    Supporter.objects.filter(pk=forged.pk).update(status=RowStatus.REJECTED, reasons="SUPPORTER_DENIED")
    upload_counts_refresh(upload_ids=[forged.upload_id])
    after = pair_support_result(pair=p["pair"])
    assert (after.counted, after.penalty_cases, after.penalty_per_case) == (before.counted, 1, 5)
    assert after.ms_total == before.counted - 5 and after.shortfall == max(0, after.minimum - after.ms_total)
