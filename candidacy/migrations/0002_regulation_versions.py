"""The regulation versions in force for Pilkada, as data (docs/domain.md §4)."""

import datetime
from decimal import Decimal

from django.db import migrations

# UU 10/2016 Pasal 41(1) (governor, province DPT) and 41(2) (regent/mayor, kab/kota DPT); None = no upper bound.
SUPPORT_BANDS = {
    "province": [(2_000_000, "10"), (6_000_000, "8.5"), (12_000_000, "7.5"), (None, "6.5")],
    "regency": [(250_000, "10"), (500_000, "8.5"), (1_000_000, "7.5"), (None, "6.5")],
}

VERSIONS = [
    {
        "name": "UU 10/2016 (sebelum MK 60/PUU-XXII/2024)",
        "legal_basis": "UU 10/2016 Pasal 40 dan 41; PKPU 3/2017 dan perubahannya",
        "effective_from": datetime.date(2016, 7, 1),
        "party_rule": "seats_or_votes",
        "party_seat_percent": Decimal("20"),
        "party_vote_percent": Decimal("25"),
    },
    {
        "name": "UU 10/2016 jo. Putusan MK 60/PUU-XXII/2024",
        "legal_basis": "UU 10/2016 Pasal 41; Putusan MK 60/PUU-XXII/2024; PKPU 8/2024 dan 10/2024",
        "effective_from": datetime.date(2024, 8, 20),
        "party_rule": "votes_dpt_bands",
        "party_seat_percent": None,
        "party_vote_percent": None,
    },
]


def seed(apps, schema_editor):
    RegulationVersion = apps.get_model("candidacy", "RegulationVersion")
    ThresholdBand = apps.get_model("candidacy", "ThresholdBand")
    for fields in VERSIONS:
        regulation, _ = RegulationVersion.objects.get_or_create(name=fields["name"], defaults=fields)
        for scope, bands in SUPPORT_BANDS.items():
            for up_to, percent in bands:
                ThresholdBand.objects.get_or_create(
                    regulation=regulation, scope=scope, dpt_up_to=up_to, defaults={"percent": Decimal(percent)}
                )


class Migration(migrations.Migration):
    dependencies = [("candidacy", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
