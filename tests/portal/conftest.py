"""A small public world: two provinces, elections with schedules, party and independent pairs, candidates
with distinctive personal data the public must never see."""

import datetime
import importlib
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from candidacy.models import (
    Candidate,
    CandidatePair,
    CandidateRole,
    Document,
    DocumentCheck,
    DocumentRequirement,
    Election,
    ElectionType,
    Nomination,
    PairStatus,
    PairStatusChange,
    Party,
    Path,
    RegulationVersion,
    Sex,
    Stage,
    StageWindow,
    SupportStatus,
)
from regions.models import Kind, Level, Region, RegionListVersion
from regions.names import normalize_region_name
from support_uploads.models import RowStatus, Supporter, Upload, UploadStatus
from tests.accounts.factories import UserFactory
from tests.candidacy.factories import current_regulation
from verification.models import (
    Batch,
    CorrectionSubmission,
    PairOutcome,
    RoundKind,
    Verdict,
    VerificationResult,
    VerificationRound,
)


@dataclass
class PublicWorld:
    version: RegionListVersion
    governor: Election
    regent: Election
    other: Election
    independent: CandidatePair
    party_pair: CandidatePair
    candidates: list[Candidate] = field(default_factory=list)
    supporters: list[Supporter] = field(default_factory=list)
    governor_independent: CandidatePair | None = None
    open_round: VerificationRound | None = None


def _region(version, code, name, level, kind, parent=""):
    return Region.objects.create(
        version=version,
        code=code,
        name=name,
        level=level,
        kind=kind,
        parent_code=parent,
        search_name=normalize_region_name(name),
    )


def _schedule(election, now, current_stage=Stage.SUPPORT_SUBMISSION):
    """Windows a week apart; ``current_stage`` is open now, the ones before it are done."""
    stages = list(Stage)
    index = stages.index(current_stage)
    for i, stage in enumerate(stages):
        start = now + datetime.timedelta(days=7 * (i - index) - 1)
        StageWindow.objects.create(
            election=election, stage=stage, starts_at=start, ends_at=start + datetime.timedelta(days=4, hours=5)
        )


def _candidate(pair, role, nik, name, address, consent):
    return Candidate.objects.create(
        pair=pair,
        election=pair.election,
        role=role,
        nik=nik,
        name=name,
        birth_place="Mataram",
        birth_date=datetime.date(1975, 5, 17),
        sex=Sex.MALE if role == CandidateRole.HEAD else Sex.FEMALE,
        address=address,
        education="S2",
        occupation="Wiraswasta",
        cv_summary=f"Riwayat hidup {name}: pernah menjabat kepala dinas." if consent else "RAHASIA-CV-TIDAK-SETUJU",
        cv_publication_consent=consent,
    )


def _ensure_reference_data() -> None:
    """Regulations, parties and the checklist come from data migrations; a transactional test before this one
    may have flushed them, so put them back with the migrations' own (idempotent) seed functions."""
    if RegulationVersion.objects.exists() and Party.objects.exists():
        return
    from django.apps import apps

    for module in (
        "candidacy.migrations.0002_regulation_versions",
        "candidacy.migrations.0005_seed_parties_and_checklist",
        "candidacy.migrations.0006_document_requirement_label_en",
    ):
        importlib.import_module(module).seed(apps, None)


def build_world() -> PublicWorld:
    _ensure_reference_data()
    now = timezone.now()
    version = RegionListVersion.objects.create(name="Uji portal", is_default=True)
    _region(version, "52", "Nusa Tenggara Barat", Level.PROVINCE, Kind.PROVINSI)
    _region(version, "52.01", "Kabupaten Lombok Barat", Level.REGENCY, Kind.KABUPATEN, "52")
    _region(version, "52.71", "Kota Mataram", Level.REGENCY, Kind.KOTA, "52")
    _region(version, "52.01.01", "Gerung", Level.DISTRICT, Kind.KECAMATAN, "52.01")
    _region(version, "52.01.02", "Kediri", Level.DISTRICT, Kind.KECAMATAN, "52.01")
    _region(version, "52.01.03", "Narmada", Level.DISTRICT, Kind.KECAMATAN, "52.01")
    _region(version, "51", "Bali", Level.PROVINCE, Kind.PROVINSI)
    _region(version, "51.71", "Kota Denpasar", Level.REGENCY, Kind.KOTA, "51")
    regulation = current_regulation()
    polling = timezone.localdate() + datetime.timedelta(days=120)
    governor = Election.objects.create(
        name="Pemilihan Gubernur NTB 2026",
        type=ElectionType.GOVERNOR,
        region_version=version,
        regulation=regulation,
        region_code="52",
        region_name="Nusa Tenggara Barat",
        polling_day=polling,
        dpt=3_568_594,
    )
    regent = Election.objects.create(
        name="Pemilihan Bupati Lombok Barat 2026",
        type=ElectionType.REGENT,
        region_version=version,
        regulation=regulation,
        region_code="52.01",
        region_name="Lombok Barat",
        polling_day=polling,
        dpt=540_000,
    )
    other = Election.objects.create(
        name="Pemilihan Wali Kota Denpasar 2026",
        type=ElectionType.MAYOR,
        region_version=version,
        regulation=regulation,
        region_code="51.71",
        region_name="Kota Denpasar",
        polling_day=polling,
        dpt=480_000,
    )
    for election in (governor, regent, other):
        _schedule(election, now)
    operator = UserFactory(region_code="52")
    independent = CandidatePair.objects.create(
        election=regent,
        path=Path.INDEPENDENT,
        name="Mandiri Bersatu",
        support_status=SupportStatus.SUBMITTED,
    )
    party_pair = CandidatePair.objects.create(
        election=regent, path=Path.PARTY, name="Koalisi Maju", status=PairStatus.SUBMITTED
    )
    CandidatePair.objects.create(election=governor, path=Path.PARTY, name="NTB Gemilang")
    for pair in (independent, party_pair):
        PairStatusChange.objects.create(pair=pair, from_status="", to_status=PairStatus.DRAFT, actor=operator)
    PairStatusChange.objects.create(
        pair=party_pair, from_status=PairStatus.DRAFT, to_status=PairStatus.SUBMITTED, actor=operator
    )
    for party in Party.objects.order_by("number")[:2]:
        Nomination.objects.create(pair=party_pair, election=regent, party=party)
    candidates = [
        _candidate(independent, CandidateRole.HEAD, "5201011705750001", "Lalu Ahmad Zaini", "Jl. Rahasia No. 17", True),
        _candidate(independent, CandidateRole.DEPUTY, "5201015705800002", "Baiq Nurhayati", "Dusun Tersembunyi", False),
        _candidate(party_pair, CandidateRole.HEAD, "5201011705750003", "Haji Muhammad Saleh", "Jl. Pribadi 99", True),
        _candidate(party_pair, CandidateRole.DEPUTY, "5201015705800004", "Siti Rohmah", "Gang Privasi 4", True),
    ]
    requirement = DocumentRequirement.objects.filter(regulation=regulation, path=Path.PARTY).first()
    if requirement is not None:
        Document.objects.create(
            pair=party_pair,
            requirement=requirement,
            candidate=candidates[2] if requirement.scope == "candidate" else None,
            revision=1,
            file="candidacy/documents/x.pdf",
            original_name="ktp-haji-saleh.pdf",
            size=10,
            sha256="0" * 64,
            uploaded_by=operator,
            check_status=DocumentCheck.COMPLETE,
        )
    supporters = []
    governor_independent = CandidatePair.objects.create(
        election=governor, path=Path.INDEPENDENT, name="NTB Mandiri", support_status=SupportStatus.COLLECTING
    )
    for pair, recap, rows_read in (
        (independent, {"52.01.01": 1200, "52.01.03": 300}, 1700),
        (governor_independent, {"52.01.01": 40, "52.01.02": 25, "52.71.01": 10}, 90),
    ):
        upload = Upload.objects.create(
            election=pair.election,
            pair=pair,
            uploaded_by=operator,
            file="support/2026/11/b1.xlsx",
            original_name="B1-KWK.xlsx",
            size=1000,
            status=UploadStatus.DONE,
            rows_read=rows_read,
            rows_accepted=sum(recap.values()),
            rows_rejected=rows_read - sum(recap.values()),
            recap=recap,
        )
        for i in range(3):
            supporters.append(
                Supporter.objects.create(
                    election=pair.election,
                    pair=pair,
                    upload=upload,
                    row_number=i + 1,
                    status=RowStatus.ACCEPTED if i else RowStatus.REJECTED,
                    nik=f"52010{pair.pk}4{i}0990{i:04d}"[:16],
                    kk=f"52010{pair.pk}77700{i:05d}"[:16],
                    name=f"Pendukung Rahasia {pair.pk}-{i} Zulkarnain",
                    address=f"Jalan Pendukung Tersembunyi No. {pair.pk}{i}",
                    rt="003",
                    rw="007",
                    phone=f"08123{pair.pk}55{i}",
                    email=f"pendukung{pair.pk}{i}@contoh.id",
                    village_code="52.01.01.2001",
                )
            )
    open_round = _verification(independent, operator, supporters, now)
    return PublicWorld(
        version,
        governor,
        regent,
        other,
        independent,
        party_pair,
        candidates,
        supporters,
        governor_independent,
        open_round,
    )


# Verdicts per (kind, batch) round of the regent's independent pair, by kecamatan: (MS, TMS) counts.
VERIFIED = {
    (RoundKind.ADMINISTRATIVE, Batch.INITIAL): {"52.01.01": (3, 1), "52.01.03": (2, 0)},
    (RoundKind.FACTUAL, Batch.INITIAL): {"52.01.01": (2, 1), "52.01.03": (1, 1)},
    (RoundKind.ADMINISTRATIVE, Batch.CORRECTION_1): {"52.01.02": (4, 0)},  # still open: never public
}
OUTCOME_INITIAL = {"ms_total": 3, "minimum": 40_500, "shortfall": 40_497, "spread_met": 2, "spread_required": 2}


def _verification(pair, operator, supporters, now) -> VerificationRound:
    """Closed administrative and factual rounds of the initial batch (BMS), a correction submitted and its
    administrative round still open. Results point at supporter rows with personal data of their own."""
    upload = Upload.objects.filter(pair=pair).first()
    open_round = None
    for i, ((kind, batch), by_district) in enumerate(VERIFIED.items()):
        closed = batch == Batch.INITIAL
        round = VerificationRound.objects.create(
            election=pair.election,
            pair=pair,
            kind=kind,
            batch=batch,
            opened_by=operator,
            closed_by=operator if closed else None,
            closed_at=now - datetime.timedelta(days=10 - 3 * i) if closed else None,
        )
        open_round = None if closed else round
        for district, (ms, tms) in by_district.items():
            for j, verdict in enumerate([Verdict.MS] * ms + [Verdict.TMS] * tms):
                n = len(supporters)
                supporter = Supporter.objects.create(
                    election=pair.election,
                    pair=pair,
                    upload=upload,
                    row_number=100 + n,
                    status=RowStatus.ACCEPTED,
                    nik=f"5201{n:02d}5{i}0{j}99{n:04d}"[:16],
                    kk=f"5201{n:02d}88{i}{j}00{n:04d}"[:16],
                    name=f"Pendukung Terverifikasi {n} Hasanuddin",
                    address=f"Gang Verifikasi Rahasia {n}",
                    phone=f"0819{n:04d}77",
                    email=f"terverifikasi{n}@contoh.id",
                    village_code=f"{district}.2001",
                )
                supporters.append(supporter)
                VerificationResult.objects.create(
                    round=round,
                    supporter=supporter,
                    verdict=verdict,
                    note=f"Catatan rahasia {supporter.name}",
                    village_code=supporter.village_code,
                    recorded_by=operator,
                    recorded_at=now,
                )
    PairOutcome.objects.create(pair=pair, batch=Batch.INITIAL, status="bms", decided_by=operator, **OUTCOME_INITIAL)
    CorrectionSubmission.objects.create(
        pair=pair, shortfall=40_497, required=80_994, submitted=81_000, submitted_by=operator
    )
    pair.support_status = "bms"
    pair.save(update_fields=["support_status"])
    return open_round


@pytest.fixture(autouse=True)
def _portal_local_cache():
    """The autouse ``cache.clear()`` of tests/conftest.py does not reach the per-process tier."""
    from portal import cache

    cache.local_clear()
    yield
    cache.local_clear()


@pytest.fixture
def world(db) -> PublicWorld:
    return build_world()
