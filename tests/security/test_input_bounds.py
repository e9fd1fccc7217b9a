"""Every number the election forms, the API and the CSV imports take is range-checked: boundary integers
(0, -1, 2**31, 2**63, 10**30 and the bounds themselves) are accepted within the bounds and answered 400 with a
message outside them, never 500 (hypothesis, over each numeric input)."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidacy.models import COUNT_MAX, SEATS_MAX, Election, ElectionType, PartyResult
from tests import clock
from tests.accounts.factories import operator
from tests.candidacy.factories import ElectionFactory, RegionListVersionFactory, current_regulation, districts, province

pytestmark = pytest.mark.django_db

API = "/api/candidacy"
BOUNDARIES = [0, -1, 1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 10**30, SEATS_MAX, SEATS_MAX + 1, COUNT_MAX, COUNT_MAX + 1]
boundary = st.sampled_from(BOUNDARIES)
RUN = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def world(client):
    version = RegionListVersionFactory()
    province(version, "52", regencies=1)
    districts(version, "52.01", 2)
    election = ElectionFactory(region_version=version, type=ElectionType.REGENT, region_code="52.01")
    client.force_login(operator("52"))
    return version, election


def _refused_with_a_message(response) -> bool:
    assert response.status_code in (200, 201, 400), (response.status_code, response.content[:300])
    if response.status_code == 400:
        assert response.content.strip(), "a 400 without a message"
        return True
    return False


@RUN
@given(field=st.sampled_from(["dpt", "total_valid_votes", "total_seats"]), value=boundary)
def test_election_numbers_through_the_api_and_the_form(client, world, field, value):
    version, _election = world
    limits = {"dpt": (1, COUNT_MAX), "total_valid_votes": (0, COUNT_MAX), "total_seats": (1, SEATS_MAX)}
    low, high = limits[field]
    data = {
        "name": "Pilbup Uji",
        "type": "regent",
        "region_version": version.pk,
        "regulation": current_regulation().pk,
        "region_code": "52.01",
        "polling_day": clock.polling_day().isoformat(),
        "dpt": 400_000,
        "total_valid_votes": 300_000,
        "total_seats": 45,
        field: value,
    }
    before = Election.objects.count()
    api = client.post(f"{API}/elections/", data, content_type="application/json")
    assert _refused_with_a_message(api) == (not low <= value <= high), (field, value, api.content[:300])
    page = client.post(reverse("candidacy:election_create"), data)
    assert page.status_code in (302, 400), (field, value, page.status_code)
    assert (page.status_code == 400) == (not low <= value <= high), (field, value)
    assert Election.objects.count() == before + (0 if not low <= value <= high else 2)


@RUN
@given(dpt=boundary)
def test_area_dpt_import(client, world, dpt):
    _version, election = world
    response = client.post(
        f"{API}/elections/{election.pk}/area-dpt/", {"text": f"52.01.01,{dpt}\n"}, content_type="application/json"
    )
    assert _refused_with_a_message(response) == (not 0 <= dpt <= COUNT_MAX), (dpt, response.content[:300])


@RUN
@given(votes=boundary, seats=boundary)
def test_party_results_import_and_set(client, world, votes, seats):
    _version, election = world
    within = 0 <= votes <= COUNT_MAX and 0 <= seats <= SEATS_MAX
    imported = client.post(
        f"{API}/elections/{election.pk}/party-results/import/",
        {"text": f"2,{votes},{seats}\n"},
        content_type="application/json",
    )
    refused = _refused_with_a_message(imported)
    assert refused or within, (votes, seats)
    one = client.post(
        f"{API}/elections/{election.pk}/party-results/",
        {"party": 3, "votes": votes, "seats": seats},
        content_type="application/json",
    )
    assert _refused_with_a_message(one) or within, (votes, seats)
    assert all(r.votes <= COUNT_MAX and r.seats <= SEATS_MAX for r in PartyResult.objects.all())


@RUN
@given(number=boundary)
def test_ballot_number_of_a_transition(client, world, number):
    _version, election = world
    from tests.candidacy.factories import PairFactory

    pair = PairFactory(election=election)
    response = client.post(
        f"{API}/pairs/{pair.pk}/transitions/",
        {"to": "ballot_assigned", "reason": "uji", "ballot_number": number},
        content_type="application/json",
    )
    # refused for the pair's status or for the number, but never a crash
    assert response.status_code in (200, 201, 400), (number, response.status_code, response.content[:300])
