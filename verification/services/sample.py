"""Factual verification by sample (PKPU 10/2022; ``verification.sampling``): the candidate's team picks the start
number on form MODEL.AWAL.SAMPEL.DPD, and every kab/kota's systematic draw is made from it and recorded."""

import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from silon.accounts.models import User
from silon.audit import actions
from silon.audit.services import audit_record
from silon.files import require_pdf
from support_uploads.selectors import lo_pairs

from .. import sampling
from ..models import RoundKind, SampleDraw, SampleDrawRow, SampleStart, VerificationRound
from ..selectors import factual_census
from ..selectors_sample import SORT_ORDER, draw_age_on, order_digest, population_people, sample_plan, start_limit
from ._common import require_open

SIX_PLACES = Decimal("0.000001")  # the interval as recorded (N and n, recorded too, give it exactly)


def _require_sampled(round: VerificationRound) -> None:
    if round.kind != RoundKind.FACTUAL or not round.by_sample:
        raise ValidationError(_("Putaran ini bukan verifikasi faktual dengan sampel."))


def _sha256(file: UploadedFile) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


@transaction.atomic
def sample_start_submit(*, actor: User, round: VerificationRound, number: int, form: UploadedFile) -> SampleStart:
    """The pair's team (its LO) chooses the start number and uploads the signed form MODEL.AWAL.SAMPEL.DPD (PDF);
    each kab/kota with supporters in the round's population is drawn from it in the same transaction
    (PKPU 10/2022). Chosen once: a second submission is refused, so the sample cannot be shopped for."""
    if not lo_pairs(actor).filter(pk=round.pair_id).exists():
        raise PermissionDenied(_("Hanya LO pasangan calon ini yang memilih nomor awal sampel."))
    round = (
        VerificationRound.objects.select_for_update(of=("self",))
        .select_related("election__regulation", "pair")
        .get(pk=round.pk)
    )
    _require_sampled(round)
    require_open(round)
    if SampleStart.objects.filter(round=round).exists() or SampleDraw.objects.filter(round=round).exists():
        raise ValidationError(_("Nomor awal sampel sudah dipilih; sampel sudah diambil."))
    require_pdf(
        form,
        max_bytes=settings.DOCUMENT_UPLOAD_MAX_BYTES,
        wrong_extension=_("Formulir MODEL.AWAL.SAMPEL.DPD harus berkas PDF (.pdf)."),
        not_a_pdf=_("Berkas formulir MODEL.AWAL.SAMPEL.DPD bukan PDF yang sah."),
    )
    plan = sample_plan(round)
    if not plan:
        raise ValidationError(_("Tidak ada pendukung yang memenuhi syarat untuk diambil sampelnya."))
    limit = start_limit(plan)
    if not 1 <= number <= limit:
        raise ValidationError(_("Nomor awal sampel harus antara 1 dan %(limit)s.") % {"limit": limit})
    start = SampleStart(round=round, number=number, form_sha256=_sha256(form), submitted_by=actor)
    start.form.save(f"model-awal-sampel-{round.pk}.pdf", form, save=False)
    start.save()
    draws = _draw_all(actor=actor, round=round, number=number)
    audit_record(
        actor=actor,
        action=actions.VERIFICATION_SAMPLE_DRAW,
        obj=round,
        region_code=round.election.region_code,
        after={
            "start": number,
            "form_sha256": start.form_sha256,
            "draws": [
                {"regency": d.regency_code, "population": d.population, "size": d.size, "start": d.start} for d in draws
            ],
        },
    )
    return start


def _draw_all(*, actor: User, round: VerificationRound, number: int) -> list[SampleDraw]:
    """One recorded draw per kab/kota of the round's census population (set-based: one read, bulk inserts)."""
    regulation = round.election.regulation
    rule = sampling.rule_of(regulation)
    day = draw_age_on(round)
    draws, rows = [], []
    for regency, people in sorted(population_people(factual_census(round), day).items()):
        size = sampling.sample_size(len(people), rule)
        start = sampling.effective_start(number, len(people), size)
        result = sampling.draw(people, start, rule)
        draw = SampleDraw.objects.create(
            round=round,
            regency_code=regency,
            population=result.population,
            size=result.size,
            interval=(Decimal(result.interval.numerator) / Decimal(result.interval.denominator)).quantize(SIX_PLACES),
            chosen_start=number,
            start=start,
            sort_order=SORT_ORDER,
            age_on=day,
            chi_square=regulation.sample_chi2,
            proportion=regulation.sample_proportion,
            margin=regulation.sample_margin,
            order_digest=order_digest(result.order),
            drawn_by=actor,
        )
        positions = sampling.positions(result.population, result.size, start)
        rows += [
            SampleDrawRow(draw=draw, supporter_id=key, position=p)
            for p, key in zip(positions, result.drawn, strict=True)
        ]
        draws.append(draw)
    SampleDrawRow.objects.bulk_create(rows, batch_size=2000)
    return draws
