import datetime

import factory

from candidacy.models import CandidatePair, Election, ElectionType, Path, RegulationVersion
from regions.models import RegionListVersion


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
    polling_day = datetime.date(2026, 11, 27)
    dpt = 3_568_594


class PairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidatePair

    election = factory.SubFactory(ElectionFactory)
    path = Path.INDEPENDENT
    name = factory.Sequence(lambda n: f"Pasangan {n}")
