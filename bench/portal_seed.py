"""The public world the portal benches load, seeded once into the bench database: one province, 10 kab/kota
with 15 kecamatan each, 11 elections with schedules, party and independent pairs, uploads with per-kecamatan
recaps, and closed administrative and factual rounds with their results."""

import datetime

VERSION_NAME = "bench: portal"
BENCH_NAME = "bench-portal"


def seed_world() -> int:
    """The bench world; returns the id of the election page to load (a regent election, three pairs)."""
    from django.utils import timezone

    from candidacy.models import Election, ElectionType, Party, Stage, StageWindow
    from regions.models import RegionListVersion
    from silon.accounts.models import User

    version = RegionListVersion.objects.filter(name=VERSION_NAME).first()
    if version is not None:
        return Election.objects.filter(region_version=version, type=ElectionType.REGENT).order_by("id").first().pk

    version = RegionListVersion.objects.create(name=VERSION_NAME)
    _seed_regions(version)
    operator = User.objects.filter(username=BENCH_NAME).first() or User.objects.create(username=BENCH_NAME)
    now = timezone.now()
    parties = list(Party.objects.order_by("number"))
    elections = _seed_elections(version)
    windows = []
    for election in elections:
        for i, stage in enumerate(Stage):
            start = now + datetime.timedelta(days=7 * i - 2)
            windows.append(
                StageWindow(election=election, stage=stage, starts_at=start, ends_at=start + datetime.timedelta(days=5))
            )
    StageWindow.objects.bulk_create(windows)
    party_index = 0
    for election in elections:
        for p in range(3):
            pair = _seed_pair(election, p)
            if p == 0:
                _seed_upload(pair, operator)
            else:
                party_index = _seed_nominations(pair, parties, party_index)
    return elections[1].pk


def _seed_regions(version) -> None:
    from regions.models import Kind, Level, Region
    from regions.names import normalize_region_name

    regions = [Region(version=version, code="52", name="NUSA TENGGARA BARAT", level=Level.PROVINCE, kind=Kind.PROVINSI)]
    for k in range(1, 11):
        kab = f"52.{k:02d}"
        regions.append(
            Region(version=version, code=kab, name=f"KAB. BENCH {k}", level=Level.REGENCY, kind=Kind.KABUPATEN)
        )
        regions[-1].parent_code = "52"
        for c in range(1, 16):
            regions.append(
                Region(
                    version=version,
                    code=f"{kab}.{c:02d}",
                    name=f"Kecamatan {k}-{c}",
                    level=Level.DISTRICT,
                    kind=Kind.KECAMATAN,
                    parent_code=kab,
                )
            )
    for region in regions:
        region.search_name = normalize_region_name(region.name)
    Region.objects.bulk_create(regions)


def _seed_elections(version) -> list:
    """The governor election of the province, then a regent election of each kab/kota."""
    from django.utils import timezone

    from candidacy.models import Election, ElectionType, RegulationVersion

    regulation = RegulationVersion.objects.order_by("-effective_from").first()
    polling = timezone.localdate() + datetime.timedelta(days=120)
    elections = [
        Election.objects.create(
            name="Pemilihan Gubernur Bench",
            type=ElectionType.GOVERNOR,
            region_version=version,
            regulation=regulation,
            region_code="52",
            region_name="NUSA TENGGARA BARAT",
            polling_day=polling,
            dpt=3_568_594,
        )
    ]
    for k in range(1, 11):
        elections.append(
            Election.objects.create(
                name=f"Pemilihan Bupati Bench {k}",
                type=ElectionType.REGENT,
                region_version=version,
                regulation=regulation,
                region_code=f"52.{k:02d}",
                region_name=f"KAB. BENCH {k}",
                polling_day=polling,
                dpt=400_000 + 10_000 * k,
            )
        )
    return elections


def _seed_pair(election, p: int):
    """Pair ``p`` of ``election`` (the first independent, the others party-backed) with its two candidates."""
    from candidacy.models import Candidate, CandidatePair, CandidateRole, Path, Sex, SupportStatus

    independent = p == 0
    pair = CandidatePair.objects.create(
        election=election,
        path=Path.INDEPENDENT if independent else Path.PARTY,
        name=f"Pasangan {election.pk}-{p + 1}",
        support_status=SupportStatus.SUBMITTED if independent else "",
    )
    for role, sex in ((CandidateRole.HEAD, Sex.MALE), (CandidateRole.DEPUTY, Sex.FEMALE)):
        Candidate.objects.create(
            pair=pair,
            election=election,
            role=role,
            nik=f"52{election.pk:04d}{p}{role == CandidateRole.HEAD:d}0101000{p}"[:16],
            name=f"Calon {election.pk}-{p}-{role}",
            birth_place="Mataram",
            birth_date=datetime.date(1970, 1, 1),
            sex=sex,
            address="bench",
            education="S1",
            occupation="Wiraswasta",
            cv_summary="Riwayat hidup singkat.",
            cv_publication_consent=True,
        )
    return pair


def _seed_upload(pair, operator) -> None:
    """A validated upload of an independent pair, with its per-kecamatan recap."""
    from candidacy.models import ElectionType
    from support_uploads.models import Upload, UploadStatus

    election = pair.election
    prefix = election.region_code
    if election.type == ElectionType.GOVERNOR:
        recap = {f"52.{k:02d}.{c:02d}": 100 * k + c for k in range(1, 11) for c in range(1, 16) if c % 3}
    else:
        recap = {f"{prefix}.{c:02d}": 500 + 37 * c for c in range(1, 16) if c % 4}
    Upload.objects.create(
        election=election,
        pair=pair,
        uploaded_by=operator,
        file="support/bench.xlsx",
        original_name="bench.xlsx",
        size=1,
        status=UploadStatus.DONE,
        rows_read=int(sum(recap.values()) * 1.1),
        rows_accepted=sum(recap.values()),
        recap=recap,
    )


def _seed_nominations(pair, parties: list, party_index: int) -> int:
    """Two parties, the next in turn, nominate a party-backed pair; returns the next turn."""
    from candidacy.models import Nomination

    for _ in range(2):
        Nomination.objects.create(pair=pair, election=pair.election, party=parties[party_index % len(parties)])
        party_index += 1
    return party_index


def seed_verification(election_id: int) -> None:
    """Closed administrative and factual rounds of the initial batch for every independent pair of the bench
    world, with one result per supporter (2,000 supporters per pair over the election's kecamatan), and the
    pair's outcome: the election page then shows MS after each round as it will during verification."""
    from django.utils import timezone

    from candidacy.models import CandidatePair, Path
    from silon.accounts.models import User
    from verification.models import VerificationRound

    pairs = list(
        CandidatePair.objects.filter(election__region_version__name=VERSION_NAME, path=Path.INDEPENDENT).select_related(
            "election"
        )
    )
    if VerificationRound.objects.filter(pair__in=pairs).exists():
        return
    operator = User.objects.get(username=BENCH_NAME)
    now = timezone.now()
    for pair in pairs:
        _seed_pair_verification(pair, operator, now)


def _seed_pair_verification(pair, operator, now: datetime.datetime) -> None:
    """One independent pair's 2,000 supporters, its two closed rounds with their results, and its outcome."""
    from support_uploads.models import RowStatus, Supporter, Upload
    from verification.models import Batch, PairOutcome, RoundKind, Verdict, VerificationResult, VerificationRound

    upload = Upload.objects.filter(pair=pair).first()
    districts = sorted(upload.recap)
    supporters = Supporter.objects.bulk_create(
        [
            Supporter(
                election=pair.election,
                pair=pair,
                upload=upload,
                row_number=i + 2,
                status=RowStatus.ACCEPTED,
                nik=f"52{pair.pk:04d}{i:010d}"[:16],
                name=f"PENDUKUNG BENCH {i}",
                village_code=f"{districts[i % len(districts)]}.2001",
            )
            for i in range(2000)
        ],
        batch_size=2000,
    )
    admin, factual = (
        VerificationRound.objects.create(
            election=pair.election,
            pair=pair,
            kind=kind,
            batch=Batch.INITIAL,
            opened_by=operator,
            closed_by=operator,
            closed_at=now,
        )
        for kind in (RoundKind.ADMINISTRATIVE, RoundKind.FACTUAL)
    )
    results = _round_results(supporters, admin, factual, operator, now)
    VerificationResult.objects.bulk_create(results, batch_size=5000)
    ms = sum(1 for r in results if r.round_id == factual.pk and r.verdict == Verdict.MS)
    PairOutcome.objects.create(
        pair=pair,
        batch=Batch.INITIAL,
        status="bms",
        ms_total=ms,
        minimum=1,
        shortfall=0,
        spread_met=len(districts),
        spread_required=1,
        decided_by=operator,
    )


def _round_results(supporters: list, admin, factual, operator, now: datetime.datetime) -> list:
    """Every tenth supporter TMS in the administrative round; of the rest, every seventh TMS in the factual."""
    from verification.models import Verdict, VerificationResult

    results = []
    for i, supporter in enumerate(supporters):
        admin_ms = i % 10 != 0
        results.append(
            VerificationResult(
                round=admin,
                supporter=supporter,
                verdict=Verdict.MS if admin_ms else Verdict.TMS,
                village_code=supporter.village_code,
                recorded_by=operator,
                recorded_at=now,
            )
        )
        if admin_ms:
            results.append(
                VerificationResult(
                    round=factual,
                    supporter=supporter,
                    verdict=Verdict.MS if i % 7 else Verdict.TMS,
                    village_code=supporter.village_code,
                    recorded_by=operator,
                    recorded_at=now,
                )
            )
    return results
