"""Every public page renders with a bounded number of queries on a cold cache and almost none warm; a change
of the data it shows invalidates it at once through the version key."""

import pytest
from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from candidacy.models import CandidatePair, PairStatus, PairStatusChange
from portal import cache, signals, views
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

# Cold budgets hold for any number of elections, pairs, candidates and verification rounds (prefetching,
# grouped counts, no per-row queries). The election page with closed rounds: 8 for the election, its schedule
# (one query, extensions included), pairs and requirement, then uploads (2: the recap, Diserahkan) and
# verification (rounds, their counts, outcomes, correction: 4).
# A region search adds the region look-up to the home page's queries and lists the pairs named like the query
# (2: the pairs, their candidates); the open-data page reads the newest audit checkpoints (one query). An
# independent pair's page also counts its confirmed objections (one grouped query, objections.selectors_public).
COLD_BUDGET = {
    "home": 4,
    "home_search": 6,
    "open_data": 1,
    "region": 7,
    "election": 14,
    "pair": 9,
    "pair_independent": 16,
}


def _urls(world):
    return {
        "home": "/",
        "home_search": "/?" + urlencode({"q": "lombok barat"}),
        "open_data": reverse("portal:open_data"),
        "region": reverse("portal:region", args=["52"]),
        "election": reverse("portal:election", args=[world.regent.pk]),
        "pair": reverse("portal:pair", args=[world.party_pair.pk]),
        "pair_independent": reverse("portal:pair", args=[world.independent.pk]),
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


def test_region_search_finds_what_it_should_within_its_budget(client, world, django_assert_max_num_queries):
    """The budget above is for a search that matches: the region look-up really ran."""
    with django_assert_max_num_queries(COLD_BUDGET["home_search"]):
        html = client.get(_urls(world)["home_search"]).content.decode()
    assert world.regent.name in html and world.other.name not in html


# The open-data API and the CSV downloads: (cold, warm) query budgets for any number of elections, pairs,
# candidates and stage windows. The lists and details read the database on every request (only the support
# block is cached, so warm costs nothing there); the per-election CSVs (dukungan, verifikasi) cost a fixed
# number of queries per election that has an independent pair, never per pair, round or supporter.
OPEN_DATA_BUDGET = {
    "api_elections": (2, 2),  # count, page
    "api_election": (1, 1),
    "api_pairs": (4, 4),  # count, page, candidates, nominations with parties
    "api_pairs_of_election": (4, 4),
    "api_pair": (3, 3),
    "api_stages": (2, 2),  # count, page (extensions in the same query)
    "api_stages_of_election": (2, 2),
    "api_support": (14, 0),
    "api_audit_checkpoints": (2, 2),  # count, page
    "csv_pemilihan": (1, 1),
    "csv_paslon": (4, 4),
    "csv_tahapan": (1, 1),
    # Two elections with independent pairs; a closed round's counts are kept once counted (warm).
    "csv_dukungan": (12, 11),
    "csv_verifikasi": (12, 11),
}


def _open_data_urls(world):
    pairs, stages = reverse("portal_api:pair-list"), reverse("portal_api:stage-list")
    urls = {
        "api_elections": reverse("portal_api:election-list"),
        "api_election": reverse("portal_api:election-detail", args=[world.regent.pk]),
        "api_pairs": pairs,
        "api_pairs_of_election": f"{pairs}?election={world.regent.pk}",
        "api_pair": reverse("portal_api:pair-detail", args=[world.party_pair.pk]),
        "api_stages": stages,
        "api_stages_of_election": f"{stages}?election={world.regent.pk}",
        "api_support": reverse("portal_api:support-list") + f"?election={world.regent.pk}",
        "api_audit_checkpoints": reverse("portal_api:audit-checkpoint-list"),
    }
    for name in ("pemilihan", "paslon", "tahapan", "dukungan", "verifikasi"):
        urls[f"csv_{name}"] = reverse("portal:csv", args=[name])
    return urls


def _fetch(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    # A CSV is streamed: its queries run while the body is read.
    return b"".join(response.streaming_content) if response.streaming else response.content


def _more_rows(world) -> None:
    """More of everything the open data lists, in elections that already have independent pairs or in new
    ones without: more elections with schedules and extensions, party pairs with candidates and parties,
    independent pairs with closed rounds."""
    import datetime

    from candidacy.models import (
        Candidate,
        CandidateRole,
        Election,
        Nomination,
        Party,
        Stage,
        StageExtension,
        StageWindow,
    )
    from tests.portal.conftest import _schedule
    from verification.models import Batch, RoundKind, VerificationRound

    operator = UserFactory(region_code="52")
    now = timezone.now()
    parties = list(Party.objects.order_by("number")[:3])
    for i in range(4):
        election = Election.objects.create(
            name=f"Pemilihan Tambahan {i}",
            type=world.other.type,
            region_version=world.version,
            regulation=world.other.regulation,
            region_code=f"51.0{i + 1}",
            region_name=f"Tambahan {i}",
            polling_day=world.other.polling_day,
            dpt=100_000,
        )
        _schedule(election, now)
        window = StageWindow.objects.get(election=election, stage=Stage.SUPPORT_SUBMISSION)
        StageExtension.objects.create(
            election=election,
            stage=Stage.SUPPORT_SUBMISSION,
            extended_until=window.ends_at + datetime.timedelta(days=1),
            reason="Gangguan",
            granted_by=operator,
        )
        for j in range(3):
            pair = CandidatePair.objects.create(election=election, path="party", name=f"Koalisi {i}-{j}")
            for k, role in enumerate((CandidateRole.HEAD, CandidateRole.DEPUTY)):
                Candidate.objects.create(
                    pair=pair,
                    election=election,
                    role=role,
                    nik=f"51010{i}{j}{k}01750001"[:16],
                    name=f"Calon {i}-{j}-{k}",
                    birth_place="Denpasar",
                    birth_date=datetime.date(1970, 1, 1),
                    sex="M",
                    address="Jl. Contoh",
                    education="S1",
                    occupation="Swasta",
                    cv_publication_consent=bool(k),
                )
            # A party nominates one pair per election.
            Nomination.objects.create(pair=pair, election=election, party=parties[j])
    for i in range(5):
        pair = CandidatePair.objects.create(election=world.regent, path="independent", name=f"Mandiri {i}")
        for kind in RoundKind.values:
            VerificationRound.objects.create(
                election=world.regent,
                pair=pair,
                kind=kind,
                batch=Batch.INITIAL,
                opened_by=operator,
                closed_by=operator,
                closed_at=now,
            )
    from silon.audit.checkpoints import audit_checkpoint_sign
    from silon.audit.models import CheckpointReason
    from silon.audit.services import audit_record

    for i in range(3):  # signed checkpoints of the audit trail (open-data page and API)
        audit_record(actor=None, action="test.step", object_type="x", object_id=i)
        audit_checkpoint_sign(reason=CheckpointReason.MANUAL, note=f"uji {i}")


@pytest.mark.parametrize("more", [False, True], ids=["world", "more_rows"])
@pytest.mark.parametrize("endpoint", sorted(OPEN_DATA_BUDGET))
def test_open_data_query_budget_cold_and_warm(client, world, endpoint, more, django_assert_max_num_queries):
    if more:
        _more_rows(world)
    url = _open_data_urls(world)[endpoint]
    cold, warm = OPEN_DATA_BUDGET[endpoint]
    django_cache.clear()
    cache.local_clear()
    with django_assert_max_num_queries(cold):
        first = _fetch(client, url)
    with django_assert_max_num_queries(warm):
        assert _fetch(client, url) == first


def test_cold_budget_does_not_grow_with_more_pairs(client, world, django_assert_max_num_queries):
    from verification.models import Batch, PairOutcome, RoundKind, VerificationRound

    operator = UserFactory(region_code="52")
    for i in range(12):
        pair = CandidatePair.objects.create(election=world.regent, path="independent", name=f"Tambahan {i}")
        for kind in RoundKind.values:
            VerificationRound.objects.create(
                election=world.regent,
                pair=pair,
                kind=kind,
                batch=Batch.INITIAL,
                opened_by=operator,
                closed_at=timezone.now(),
            )
        PairOutcome.objects.create(
            pair=pair,
            batch=Batch.INITIAL,
            status="bms",
            ms_total=0,
            minimum=1,
            shortfall=1,
            spread_met=0,
            spread_required=2,
            decided_by=operator,
        )
    django_cache.clear()
    cache.local_clear()
    with django_assert_max_num_queries(COLD_BUDGET["election"]):
        client.get(_urls(world)["election"])
    with django_assert_max_num_queries(COLD_BUDGET["region"]):
        client.get(_urls(world)["region"])


def test_closed_rounds_are_counted_once_not_after_every_bump(client, world, django_assert_num_queries):
    """A closed round's results never change: after a data bump (a new upload anywhere) the page is rebuilt
    without counting them again."""
    url = _urls(world)["election"]
    django_cache.clear()
    cache.local_clear()
    with django_assert_num_queries(COLD_BUDGET["election"]):
        assert "MS faktual awal" in client.get(url).content.decode()
    cache.bump_version()
    with django_assert_num_queries(COLD_BUDGET["election"] - 1):
        assert "MS faktual awal" in client.get(url).content.decode()


def test_signed_in_user_gets_cached_data_with_their_own_navigation(client, world, django_assert_max_num_queries):
    url = _urls(world)["election"]
    client.get(url)  # fills the data cache
    user = UserFactory(region_code="52")
    client.force_login(user)
    with django_assert_max_num_queries(2):  # the session and the user, nothing of the page
        html = client.get(url).content.decode()
    assert user.username in html
    assert views.CSRF_PLACEHOLDER not in html
    assert 'name="csrfmiddlewaretoken"' in html  # their own token, in the sign-out form


def test_anonymous_page_is_one_shared_byte_string(client, world, django_assert_num_queries):
    """Nothing per visitor on a cached public page: no CSRF token or cookie, the same bytes for everyone."""
    url = reverse("portal:election", args=[world.regent.pk])
    first = client.get(url)
    with django_assert_num_queries(0):
        again = Client().get(url)  # another visitor, no cookies
    assert first.content == again.content
    assert "csrfmiddlewaretoken" not in again.content.decode()
    assert views.CSRF_PLACEHOLDER not in again.content.decode()
    assert "csrftoken" not in again.cookies and not again.cookies
    # browsers ask again every time; the front proxy may share it for PORTAL_SHARED_CACHE_SECONDS
    assert again["Cache-Control"] == f"max-age=0, s-maxage={settings.PORTAL_SHARED_CACHE_SECONDS}"
    assert again["Vary"] == "Cookie"
    assert again["ETag"] == first["ETag"]
    # The browser revalidates: the same page answers 304 without a body.
    not_modified = Client().get(url, headers={"If-None-Match": again["ETag"]})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert Client().get(url, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_signed_in_pages_are_never_shareable_and_the_proxys_share_can_be_turned_off(client, world, settings):
    """Only the anonymous shared page tells a shared cache it may keep it; 0 seconds keeps it out of the proxy."""
    url = reverse("portal:election", args=[world.regent.pk])
    settings.PORTAL_SHARED_CACHE_SECONDS = 0
    assert Client().get(url)["Cache-Control"] == "no-cache"
    settings.PORTAL_SHARED_CACHE_SECONDS = 30
    assert Client().get(url)["Cache-Control"] == "max-age=0, s-maxage=30"
    client.force_login(UserFactory(region_code="52"))
    assert "s-maxage" not in client.get(url).get("Cache-Control", "")


def test_anonymous_page_in_english_is_its_own_shared_page(client, world):
    url = reverse("portal:election", args=[world.regent.pk])
    indonesian = client.get(url)
    client.cookies["django_language"] = "en"
    english = client.get(url)
    assert 'lang="en"' in english.content.decode() and 'lang="id"' in indonesian.content.decode()
    assert english["ETag"] != indonesian["ETag"]


def test_a_page_with_a_token_form_is_never_shared(client, world, monkeypatch, settings):
    """If a public template ever put a CSRF-protected form on the page, it is rendered per visitor."""
    from django.template import engines

    template = engines["django"].from_string("{% csrf_token %}<p>{{ query }}</p>")
    monkeypatch.setattr(views, "render_to_string", lambda name, context, request: template.render(context, request))
    monkeypatch.setattr(views, "render", lambda request, name, context: HttpResponse(template.render(context, request)))
    first = client.get("/").content.decode()
    second = Client().get("/").content.decode()
    assert views.CSRF_PLACEHOLDER not in first and views.CSRF_PLACEHOLDER not in second
    assert first != second  # each visitor's own token


def test_shared_page_links_back_to_its_canonical_url_not_the_visitors_query(client, world):
    """The first visitor's raw query string (tracking tags, anything) must not end up in everyone's page."""
    html = client.get("/", {"q": "lombok", "utm_source": "rahasia-pengunjung"}).content.decode()
    assert "rahasia-pengunjung" not in html
    assert f'{reverse("language", args=["en"])}?next=/%3Fq%3Dlombok"' in html
    html = client.get(reverse("portal:election", args=[world.regent.pk]), {"x": "rahasia"}).content.decode()
    assert "rahasia" not in html


def test_visitor_with_a_session_or_a_message_gets_their_own_page(client, world):
    url = reverse("portal:election", args=[world.regent.pk])
    shared = client.get(url)
    for cookie in (settings.SESSION_COOKIE_NAME, "messages"):
        visitor = Client()
        visitor.cookies[cookie] = "x"
        response = visitor.get(url)
        assert "ETag" not in response  # rendered for this visitor, not the shared copy
        assert response.status_code == 200 and shared["ETag"]


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
