"""Quick set-up for verification tests: a tiny NTB-like region tree, a governor election (DPT 50 →
minimum 5; 3 kab/kota → spread 2), open stage windows, a SUBMITTED pair and its supporters created with
the ORM (the upload pipeline has its own tests)."""

import datetime
import itertools

from django.utils import timezone

from candidacy.models import ElectionType, Stage, StageWindow, SupportStatus
from regions.models import Kind, Level, Region, RegionListVersion
from silon.accounts.models import KpuLevel, Role
from support_uploads.models import Batch, RowStatus, Supporter, Upload, UploadStatus
from tests.accounts.factories import UserFactory, operator
from tests.candidacy.factories import ElectionFactory, PairFactory

# three kab/kota, two kecamatan in the first, one desa per kecamatan
DESA_A = "52.01.01.2001"
DESA_B = "52.01.02.2001"
DESA_C = "52.02.01.2001"
DESA_D = "52.03.01.2001"
REGIONS = [
    ("52", "NUSA TENGGARA BARAT", Level.PROVINCE, "", Kind.PROVINSI),
    ("52.01", "KAB. LOMBOK BARAT", Level.REGENCY, "52", Kind.KABUPATEN),
    ("52.02", "KAB. LOMBOK TENGAH", Level.REGENCY, "52", Kind.KABUPATEN),
    ("52.03", "KAB. LOMBOK TIMUR", Level.REGENCY, "52", Kind.KABUPATEN),
    ("52.01.01", "GERUNG", Level.DISTRICT, "52.01", Kind.KECAMATAN),
    ("52.01.02", "KEDIRI", Level.DISTRICT, "52.01", Kind.KECAMATAN),
    ("52.02.01", "PRAYA", Level.DISTRICT, "52.02", Kind.KECAMATAN),
    ("52.03.01", "SELONG", Level.DISTRICT, "52.03", Kind.KECAMATAN),
    (DESA_A, "GERUNG UTARA", Level.VILLAGE, "52.01.01", Kind.DESA),
    (DESA_B, "KEDIRI SELATAN", Level.VILLAGE, "52.01.02", Kind.DESA),
    (DESA_C, "PRAYA BARAT", Level.VILLAGE, "52.02.01", Kind.DESA),
    (DESA_D, "SELONG UTARA", Level.VILLAGE, "52.03.01", Kind.DESA),
]
_nik = itertools.count(1)


def ensure_verification_seed() -> None:
    """Migration-seeded data (regulations, reason codes) may have been flushed by a transactional test."""
    from importlib import import_module

    from django.apps import apps

    from support_uploads.models import ReasonCode
    from tests.support_uploads.conftest import ensure_seed_data

    ensure_seed_data()
    if not ReasonCode.objects.filter(pk="TMS_DENIES").exists():
        import_module("support_uploads.migrations.0005_seed_tms_reasons").seed(apps, None)


def make_election(**kwargs):
    ensure_verification_seed()
    version = RegionListVersion.objects.create(name=f"Uji verifikasi {next(_nik)}")
    Region.objects.bulk_create(
        [
            Region(version=version, code=c, name=n, level=lvl, kind=k, parent_code=p, search_name=n.lower())
            for c, n, lvl, p, k in REGIONS
        ]
    )
    election = ElectionFactory(region_version=version, type=ElectionType.GOVERNOR, region_code="52", dpt=50, **kwargs)
    open_stages(election)
    return election


def open_stages(election, *stages):
    now = timezone.now()
    for stage in stages or (
        Stage.ADMIN_VERIFICATION,
        Stage.FACTUAL_VERIFICATION,
        Stage.CORRECTION_SUBMISSION,
        Stage.CORRECTION_VERIFICATION,
    ):
        StageWindow.objects.update_or_create(
            election=election,
            stage=stage,
            defaults={"starts_at": now - datetime.timedelta(days=5), "ends_at": now + datetime.timedelta(days=10)},
        )


def close_stage(election, stage):
    now = timezone.now()
    StageWindow.objects.filter(election=election, stage=stage).update(
        starts_at=now - datetime.timedelta(days=5), ends_at=now - datetime.timedelta(days=1)
    )


def make_pair(election, status=SupportStatus.SUBMITTED):
    pair = PairFactory(election=election)
    pair.support_status = status
    pair.save(update_fields=["support_status"])
    return pair


def add_supporters(
    pair, villages, *, status=RowStatus.ACCEPTED, nik=None, uploader=None, names=None, batch=Batch.INITIAL
) -> list:
    """One DONE upload of ``batch`` with one supporter per entry of ``villages``; returns the Supporter rows."""
    uploader = uploader or operator("52")
    upload = Upload.objects.create(
        election=pair.election,
        pair=pair,
        uploaded_by=uploader,
        file="support/uji.csv",
        original_name="uji.csv",
        size=1,
        status=UploadStatus.DONE,
        batch=batch,
    )
    rows = []
    for i, village in enumerate(villages):
        rows.append(
            Supporter(
                election=pair.election,
                pair=pair,
                upload=upload,
                row_number=i + 1,
                status=status,
                nik=nik or f"5201{next(_nik):012d}",
                name=(names[i] if names else f"PENDUKUNG {i}"),
                address="JL. UJI NO. 1",
                village_code=village,
            )
        )
    Supporter.objects.bulk_create(rows)
    return list(Supporter.objects.filter(upload=upload).order_by("row_number"))


def verifier(region_code: str, **kwargs):
    level = KpuLevel.PPS if len(region_code) == 13 else KpuLevel.PPK
    return UserFactory(role=Role.VERIFIER, level=level, region_code=region_code, **kwargs)
