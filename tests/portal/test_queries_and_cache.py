"""Every public page renders with a bounded number of queries on a cold cache and almost none warm; a change
of the data it shows invalidates it at once through the version key."""

import pytest
from django.core.cache import cache as django_cache
from django.db import transaction
from django.urls import reverse

from candidacy.models import CandidatePair, PairStatus, PairStatusChange
from portal import cache, signals
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

# Cold budgets hold for any number of elections, pairs and candidates (prefetching, no per-row queries).
COLD_BUDGET = {"home": 5, "region": 8, "election": 11, "pair": 9}


def _urls(world):
    return {
        "home": "/",
        "region": reverse("portal:region", args=["52"]),
        "election": reverse("portal:election", args=[world.regent.pk]),
        "pair": reverse("portal:pair", args=[world.party_pair.pk]),
    }


@pytest.mark.parametrize("page", sorted(COLD_BUDGET))
def test_query_budget_cold_and_warm(client, world, page, django_assert_max_num_queries, django_assert_num_queries):
    url = _urls(world)[page]
    django_cache.clear()
    cache.local_clear()
    with django_assert_max_num_queries(COLD_BUDGET[page]):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_cold_budget_does_not_grow_with_more_pairs(client, world, django_assert_max_num_queries):
    for i in range(12):
        CandidatePair.objects.create(election=world.regent, path="independent", name=f"Tambahan {i}")
    django_cache.clear()
    cache.local_clear()
    with django_assert_max_num_queries(COLD_BUDGET["election"]):
        client.get(_urls(world)["election"])
    with django_assert_max_num_queries(COLD_BUDGET["region"]):
        client.get(_urls(world)["region"])


def test_signed_in_user_gets_cached_data_with_their_own_navigation(client, world, django_assert_max_num_queries):
    url = _urls(world)["election"]
    client.get(url)  # fills the data cache
    user = UserFactory(region_code="52")
    client.force_login(user)
    with django_assert_max_num_queries(2):  # the session and the user, nothing of the page
        html = client.get(url).content.decode()
    assert user.username in html
    assert "__portal_csrf_token__" not in html


def test_anonymous_page_carries_the_visitors_own_csrf_token(client, world):
    html = client.get("/").content.decode()
    html_again = client.get("/").content.decode()
    assert "__portal_csrf_token__" not in html and "__portal_csrf_token__" not in html_again
    assert 'name="csrfmiddlewaretoken" value="' in html_again
    assert "csrftoken" in client.cookies
    # The cached page's language form still works for this visitor.
    client.handler.enforce_csrf_checks = True
    token = html_again.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


# Committed for real: inside the usual test transaction the fixture's own pending bump would absorb the change's.
TRANSACTIONAL = pytest.mark.django_db(transaction=True)


@TRANSACTIONAL
def test_status_change_shows_after_the_version_bump(client, world, monkeypatch):
    url = reverse("portal:pair", args=[world.party_pair.pk])
    assert "Penelitian dokumen" not in client.get(url).content.decode()
    pair = world.party_pair
    bumps = []
    monkeypatch.setattr(signals, "bump_version", lambda: bumps.append(cache.bump_version()))
    with transaction.atomic():
        pair.status = PairStatus.UNDER_REVIEW
        pair.save(update_fields=["status"])
        PairStatusChange.objects.create(pair=pair, from_status=PairStatus.SUBMITTED, to_status=PairStatus.UNDER_REVIEW)
        assert bumps == []  # nothing before the commit
    # Two saves in one transaction bump the version once, on commit.
    assert len(bumps) == 1
    html = client.get(url).content.decode()
    assert "Penelitian dokumen" in html
    assert "Penelitian dokumen" in client.get(reverse("portal:election", args=[pair.election_id])).content.decode()


def test_without_a_signal_the_page_is_served_from_the_cache(client, world):
    url = reverse("portal:pair", args=[world.party_pair.pk])
    client.get(url)
    # QuerySet.update sends no signal: the cached page stays until the TTL (≤ 60 s) or the next bump.
    CandidatePair.objects.filter(pk=world.party_pair.pk).update(status=PairStatus.UNDER_REVIEW)
    assert "Penelitian dokumen" not in client.get(url).content.decode()
    cache.bump_version()
    assert "Penelitian dokumen" in client.get(url).content.decode()


def test_ttl_is_at_most_a_minute():
    assert 0 < cache.PAGE_TTL <= 60


@TRANSACTIONAL
def test_a_rolled_back_change_bumps_nothing_and_blocks_nothing(world):
    before = cache.current_version()
    try:
        with transaction.atomic():
            world.party_pair.save()
            raise RuntimeError("rollback")
    except RuntimeError:
        pass
    assert cache.current_version() == before
    world.party_pair.save()
    assert cache.current_version() != before


def test_a_bump_from_another_process_shows_within_the_local_version_ttl(client, world, monkeypatch):
    url = reverse("portal:pair", args=[world.party_pair.pk])
    client.get(url)
    CandidatePair.objects.filter(pk=world.party_pair.pk).update(status=PairStatus.UNDER_REVIEW)
    # Another gunicorn worker bumps the shared version; this process has its own copy of the page.
    django_cache.set(cache.VERSION_KEY, "bumped-elsewhere", None)
    assert "Penelitian dokumen" not in client.get(url).content.decode()
    clock = cache.time.monotonic() + cache.LOCAL_VERSION_TTL + 0.1
    monkeypatch.setattr(cache.time, "monotonic", lambda: clock)
    assert "Penelitian dokumen" in client.get(url).content.decode()
    assert cache.LOCAL_VERSION_TTL <= 5


def test_made_up_query_strings_share_the_cached_page(client, world, django_assert_num_queries):
    url = reverse("portal:election", args=[world.regent.pk])
    client.get(url)
    with django_assert_num_queries(0):
        for i in range(5):
            assert client.get(url, {"x": i}).status_code == 200


@TRANSACTIONAL
def test_only_a_finished_or_withdrawn_upload_bumps_the_version(world):
    from support_uploads.models import Upload, UploadStatus

    upload = Upload.objects.get(pair=world.independent)
    before = cache.current_version()
    upload.status = UploadStatus.RUNNING
    upload.progress = 40
    upload.save()
    assert cache.current_version() == before  # progress ticks leave the public cache alone
    upload.status = UploadStatus.WITHDRAWN
    upload.save()
    assert cache.current_version() != before
