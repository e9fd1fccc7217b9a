import datetime
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from candidacy.models import (
    Candidate,
    CandidatePair,
    Document,
    DocumentCheck,
    DocumentScope,
    Election,
    ElectionType,
    Party,
    PartyResult,
    Path,
    RegulationVersion,
    Stage,
    StageWindow,
)
from candidacy.selectors import document_requirements
from regions.models import Kind, Level, Region, RegionListVersion
from tests import clock


def current_regulation() -> RegulationVersion:
    return RegulationVersion.objects.get(name="UU 10/2016 jo. Putusan MK 60/PUU-XXII/2024")


class RegionListVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionListVersion
        django_get_or_create = ("name",)

    name = "Uji"


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election

    name = factory.Sequence(lambda n: f"Pemilihan {n}")
    type = ElectionType.GOVERNOR
    region_version = factory.SubFactory(RegionListVersionFactory)
    regulation = factory.LazyFunction(current_regulation)
    region_code = "52"
    region_name = "Nusa Tenggara Barat"
    polling_day = factory.LazyFunction(clock.polling_day)
    dpt = 3_568_594


class PairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidatePair

    election = factory.SubFactory(ElectionFactory)
    path = Path.INDEPENDENT
    name = factory.Sequence(lambda n: f"Pasangan {n}")


class RegisteringElectionFactory(ElectionFactory):
    """An election whose registration window is open now (pairs, candidates, documents and research)."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def registration_open(obj, create, extracted, **kwargs):
        open_stage(obj, Stage.REGISTRATION)


class RegisteringPairFactory(PairFactory):
    """A pair of an election in its registration window."""

    election = factory.SubFactory(RegisteringElectionFactory)


# --- regions, stages, parties, candidates ----------------------------------------------------------


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def region(version, code, name, level, kind, parent_code=""):
    return Region.objects.get_or_create(
        version=version,
        code=code,
        defaults={"name": name, "level": level, "kind": kind, "parent_code": parent_code, "search_name": name.lower()},
    )[0]


def province(version, code="52", name="Nusa Tenggara Barat", regencies=0, kota=0):
    """A province with ``regencies`` kabupaten (01…) and ``kota`` kota (71…) under it."""
    prov = region(version, code, name, Level.PROVINCE, Kind.PROVINSI)
    for i in range(1, regencies + 1):
        region(version, f"{code}.{i:02d}", f"Kabupaten {code}.{i:02d}", Level.REGENCY, Kind.KABUPATEN, code)
    for i in range(71, 71 + kota):
        region(version, f"{code}.{i:02d}", f"Kota {code}.{i:02d}", Level.REGENCY, Kind.KOTA, code)
    return prov


def districts(version, regency_code, n):
    for i in range(1, n + 1):
        region(version, f"{regency_code}.{i:02d}", f"Kecamatan {i}", Level.DISTRICT, Kind.KECAMATAN, regency_code)


def open_stage(election, stage, *, days_before=1, days_after=1):
    now = timezone.now()
    StageWindow.objects.update_or_create(
        election=election,
        stage=stage,
        defaults={"starts_at": now - timedelta(days=days_before), "ends_at": now + timedelta(days=days_after)},
    )


def party(number):
    return Party.objects.get(number=number)


def result(election, number, votes, seats):
    return PartyResult.objects.create(election=election, party=party(number), votes=votes, seats=seats)


def candidate(pair, role="head", **kwargs):
    """A candidate written straight to the table (no checks): fixtures for tests of later steps."""
    defaults = {
        "head": {"nik": "5201011203750001", "name": "Lalu Uji", "birth_date": datetime.date(1975, 3, 12), "sex": "M"},
        "deputy": {"nik": "5271016108800002", "name": "Baiq Uji", "birth_date": datetime.date(1980, 8, 21), "sex": "F"},
    }[role]
    fields = {
        "birth_place": "Mataram",
        "address": "Jl. Pejanggik 1",
        "education": "S1",
        "occupation": "Wiraswasta",
        **defaults,
        **kwargs,
    }
    return Candidate.objects.create(pair=pair, election=pair.election, role=role, **fields)


def required_documents(pair, actor, *, check=DocumentCheck.COMPLETE, skip_code=None):
    """Every required document of the pair's checklist, written once straight to the table (checked ``check``)."""
    candidates = list(pair.candidates.all())
    rows = [
        Document(
            pair=pair,
            requirement=req,
            candidate=holder,
            revision=1,
            file="candidacy/documents/x.pdf",
            original_name="x.pdf",
            size=10,
            sha256="0" * 64,
            uploaded_by=actor,
            check_status=check,
        )
        for req in document_requirements(pair).filter(is_required=True).exclude(code=skip_code or "")
        for holder in (candidates if req.scope == DocumentScope.EACH_CANDIDATE else [None])
    ]
    return Document.objects.bulk_create(rows)


def pdf(name="dokumen.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")
