"""Bawaslu follows verification across its area: its dashboard lists, per pair, every verification round and
its progress per district (a regent election) or regency (a governor election), as counts only
(``verification.supervision``, the ``supervision_rounds`` panel)."""

import pytest
from django.urls import reverse

from candidacy.panels import pairs_in_reach
from silon.accounts.models import Role
from tests.accounts.factories import UserFactory
from verification.models import VerificationRound
from verification.supervision import supervision_progress, unit_width

pytestmark = pytest.mark.django_db


def test_unit_width_is_the_level_below_the_election():
    assert unit_width("52") == 5  # a governor election: per kabupaten/kota
    assert unit_width("52.01") == 8  # a regent election: per kecamatan


def test_every_round_in_reach_with_its_progress_per_district(world):
    bawaslu = world.users["bawaslu"]
    shown, total = supervision_progress(user=bawaslu, pairs=pairs_in_reach(bawaslu))
    rounds = set(VerificationRound.objects.filter(election=world.election).values_list("pk", flat=True))
    assert {p.round.pk for p in shown} == rounds and total == len(rounds) == 4
    factual = next(p for p in shown if p.round.pk == world.factual_a.pk)
    district = world.supporter_a.village_code[:8]
    assert [(u.code, u.total, u.ms, u.tms, u.pending, u.undecided) for u in factual.units] == [
        (district, 1, 0, 0, 1, 0)
    ]
    assert factual.units[0].name  # the kecamatan's name from the election's region list
    admin = next(p for p in shown if p.round.pk == world.round_a.pk)
    assert admin.total.ms == 1 and admin.total.total >= 1
    assert admin.total.undecided == admin.total.total - 1


def test_the_dashboard_shows_it_to_bawaslu_only(world, client):
    client.force_login(world.users["bawaslu"])
    page = client.get(reverse("dashboard:home")).content.decode()
    district = world.supporter_a.village_code[:8]
    assert 'id="supervision"' in page
    assert f'id="round-{world.factual_a.pk}-{district}"' in page
    assert world.supporter_a.name not in page and world.supporter_a.nik not in page
    client.force_login(world.users["kpu_r"])
    assert 'id="supervision"' not in client.get(reverse("dashboard:home")).content.decode()


def test_another_area_sees_none_of_it(world, client):
    elsewhere = UserFactory(role=Role.BAWASLU, level="", region_code="52.06")
    shown, total = supervision_progress(user=elsewhere, pairs=pairs_in_reach(elsewhere))
    assert shown == [] and total == 0
    client.force_login(elsewhere)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert f'id="round-{world.factual_a.pk}"' not in page
