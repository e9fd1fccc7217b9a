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


# --- ids and page numbers a page or a query string takes by hand (``silon.numbers.parse_id``) ---------------

# what str.isdigit() takes but int() refuses or the database cannot hold, beside the boundary integers
ODD_NUMERALS = ["²", "١٢", "𝟙", "１", " 7 ", "+3", "1e3", "0x10", "", "-0", str(2**63), "9" * 40]
typed_id = st.sampled_from([str(b) for b in BOUNDARIES] + ODD_NUMERALS)


@pytest.fixture
def verification_world(client):
    from tests.verification.verification_helpers import DESA_A, add_supporters, make_election, make_pair
    from verification.models import RoundKind
    from verification.services import round_open

    election = make_election()
    pair = make_pair(election)
    supporters = add_supporters(pair, [DESA_A] * 2)
    kpu = operator("52")
    round = round_open(actor=kpu, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    client.force_login(kpu)
    return election, pair, round, supporters


def _no_crash(response, what):
    assert response.status_code in (200, 302, 400, 404), (what, response.status_code, response.content[:300])


@RUN
@given(value=typed_id)
def test_ids_posted_to_the_verification_pages(client, verification_world, value):
    from tests.verification.verification_helpers import DESA_A

    _election, pair, round, supporters = verification_world
    posts = [
        ("verification:mark", [round.pk], {"desa": DESA_A, "pilih": [value], "verdict": "ms", "halaman": value}),
        ("verification:undo", [round.pk], {"desa": DESA_A, "pilih": [value, str(supporters[0].pk)]}),
        ("verification:duplicate", [round.pk], {"keep": value, "pilih": [value], "note": "uji", "halaman": value}),
        ("verification:external", [round.pk], {"supporter": value, "pair": value, "note": "uji", "halaman": value}),
        ("verification:external", [round.pk], {"supporter": str(supporters[0].pk), "pair": value, "note": "uji"}),
        ("verification:correction", [pair.pk], {"unggahan": [value]}),
    ]
    for name, args, data in posts:
        _no_crash(client.post(reverse(name, args=args), data), (name, data))
    for params in ({"wilayah": DESA_A, "halaman": value}, {"wilayah": value}):
        _no_crash(client.get(reverse("verification:round", args=[round.pk]), params), params)
    _no_crash(client.get(reverse("verification:duplicates", args=[round.pk]), {"halaman": value}), value)


@RUN
@given(value=typed_id)
def test_ids_in_query_strings_of_pages_and_the_api(client, verification_world, value):
    _election, pair, _round, _supporters = verification_world
    template = client.get(reverse("support_uploads:template", args=[pair.pk]), {"lembar": value})
    assert template.status_code == 200, (value, template.status_code)
    for name in ("portal_api:election-list", "portal_api:pair-list", "portal_api:stage-list"):
        _no_crash(client.get(reverse(name), {"election": value}), (name, value))
    support = client.get(reverse("portal_api:support-list"), {"election": value})
    _no_crash(support, value)
    regions = client.get(reverse("regions_api:region_list"), {"version": value})
    _no_crash(regions, value)
    assert support.status_code != 400 or "election" in support.json(), support.content[:300]
    assert regions.status_code != 400 or "version" in regions.json(), regions.content[:300]
    for name, params in (("regions:province_list", {"versi": value}), ("support_uploads:pair", {"page": value})):
        url = reverse(name, args=[pair.pk]) if name == "support_uploads:pair" else reverse(name)
        _no_crash(client.get(url, params), (name, value))


def test_parse_id_takes_ascii_ids_the_database_holds_only():
    from silon.numbers import ID_MAX, parse_id, parse_ids

    assert [parse_id(v) for v in ("1", " 42 ", str(ID_MAX), 7)] == [1, 42, ID_MAX, 7]
    odd = [v for v in ODD_NUMERALS if v.strip() != "7"]
    assert {parse_id(v) for v in [*odd, "0", "-1", str(ID_MAX + 1), None, True, 0, 2**63]} == {None}
    assert parse_ids(["3", "²", "x", "4"]) == [3, 4]


@RUN
@given(value=boundary)
def test_election_pages_take_bounded_numbers(client, world, value):
    """The page forms and CSV imports behind the API ones above: party result, party-result and area-DPT CSV,
    ballot number, the lists' filters. A refusal is a 400 page or a redirect with the field's message."""
    from tests.candidacy.factories import PairFactory

    _version, election = world
    pair = PairFactory(election=election)
    one = client.post(
        reverse("candidacy:party_results", args=[election.pk]),
        {"one-party": 3, "one-votes": value, "one-seats": value},
    )
    _no_crash(one, ("one", value))
    for name, data in (
        ("candidacy:party_results", {"csv-text": f"2,{value},{value}\n"}),
        ("candidacy:area_dpt_import", {"text": f"52.01.01,{value}\n"}),
    ):
        _no_crash(client.post(reverse(name, args=[election.pk]), data), (name, value))
    transition = client.post(
        reverse("candidacy:pair_transition", args=[pair.pk]),
        {"to": "ballot_assigned", "reason": "uji", "ballot_number": value},
        follow=True,
    )
    _no_crash(transition, ("transition", value))
    if not 1 <= value <= 99:
        assert "Nomor urut" in transition.content.decode()  # the field's message, not a missing reason's
    for name, params in (("candidacy:election_list", {"year": value}), ("candidacy:pair_list", {"election": value})):
        _no_crash(client.get(reverse(name), params), (name, value))
    assert all(r.votes <= COUNT_MAX and r.seats <= SEATS_MAX for r in PartyResult.objects.all())
    assert all(0 <= a.dpt <= COUNT_MAX for a in election.area_dpts.all())
