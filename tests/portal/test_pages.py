"""The public pages show what the public may read, in Bahasa Indonesia, without login."""

import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candidacy.models import Stage, StageWindow
from portal import cache

pytestmark = pytest.mark.django_db


def test_home_groups_active_elections_by_province_with_stage_and_countdown(client, world):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    # Provinces in code order, each with its elections.
    assert html.index(">Bali</a>") < html.index(">Nusa Tenggara Barat</a>")
    assert world.governor.name in html and world.regent.name in html and world.other.name in html
    assert "Penyerahan dukungan" in html
    # The schedule fixture closes the current stage 3 days 5 hours after now (minus the seconds elapsed).
    assert "3 hari 4 jam lagi" in html
    assert 'data-deadline="' in html
    assert reverse("portal:region", args=["52"]) in html


def test_home_search_by_region_name(client, world):
    html = client.get("/", {"q": "lombok"}).content.decode()
    assert world.regent.name in html
    assert world.other.name not in html
    assert world.governor.name in html  # Lombok Barat lies in the province (#21)
    # regions' normalisation: prefix style, case and punctuation do not matter.
    html = client.get("/", {"q": "KAB. LOMBOK-BARAT"}).content.decode()
    assert world.regent.name in html and world.other.name not in html
    html = client.get("/", {"q": "denpasar"}).content.decode()
    assert world.other.name in html and world.regent.name not in html
    html = client.get("/", {"q": "tidak ada di mana pun"}).content.decode()
    assert "Tidak ada pemilihan aktif di wilayah yang dicari." in html


def test_the_search_example_finds_what_it_names_in_the_demo(client, settings, tmp_path):
    """The search box's own example ("mis. …"), searched as it is, finds the demo election on the home page
    that ``make run`` serves."""
    from candidacy import demo
    from candidacy.models import Election
    from silon.accounts import demo as accounts_demo
    from tests.candidacy.factories import RegionListVersionFactory, province

    settings.MEDIA_ROOT = tmp_path
    version = RegionListVersionFactory(name="Demo", is_default=True)
    province(version, "52", regencies=8, kota=2)
    ctx: dict = {}
    accounts_demo.build(ctx=ctx, stdout=io.StringIO())
    demo.build(ctx=ctx, stdout=io.StringIO())
    election = Election.objects.get(type="governor")
    for language, prefix in (("id", "mis. "), ("en", "e.g. ")):
        client.get(reverse("language", args=[language]))
        placeholder = re.search(r'id="portal-q"[^>]*placeholder="([^"]+)"', client.get("/").content.decode())
        assert placeholder and placeholder.group(1).startswith(prefix), placeholder
        example = placeholder.group(1).removeprefix(prefix)
        html = client.get("/", {"q": example}).content.decode()
        assert election.name in html, (language, example)
        assert demo.DPD_ELECTION_NAME in html  # the demo's DPD election, beside the governor's
        assert "Tidak ada pemilihan aktif" not in html and "No active election" not in html


def test_home_leaves_out_elections_whose_polling_day_has_passed(client, world):
    world.other.polling_day = timezone.localdate() - datetime.timedelta(days=1)
    world.other.save()
    assert world.other.name not in client.get("/").content.decode()


def test_province_page_lists_its_elections_and_pairs(client, world):
    html = client.get(reverse("portal:region", args=["52"])).content.decode()
    assert "<h1>Nusa Tenggara Barat</h1>" in html
    assert world.governor.name in html and world.regent.name in html
    assert world.other.name not in html
    assert "Koalisi Maju" in html and "Mandiri Bersatu" in html


def test_regency_page_includes_its_province_governor_election(client, world):
    html = client.get(reverse("portal:region", args=["52.01"])).content.decode()
    assert "<h1>Kabupaten Lombok Barat</h1>" in html
    assert world.regent.name in html and world.governor.name in html
    assert client.get(reverse("portal:region", args=["99.99"])).status_code == 404


def test_election_page_shows_timeline_with_current_stage_and_pairs(client, world):
    html = client.get(reverse("portal:election", args=[world.regent.pk])).content.decode()
    current = html[html.index('aria-current="step"') - 200 : html.index('aria-current="step"') + 400]
    assert "state-current" in current and "Penyerahan dukungan" in current
    for stage in Stage:
        assert str(stage.label) in html
    # Party path lists the coalition; the independent pair says so.
    parties = world.party_pair.nominations.order_by("party__number")
    assert ", ".join(n.party.short_name for n in parties) in html
    assert "Perseorangan" in html
    assert "Lalu Ahmad Zaini" in html and "Siti Rohmah" in html
    # UU 10/2016 Pasal 41: DPT 540,000 in a regency → 7.5% → 40,500.
    assert "40.500" in html or "40,500" in html


def test_extension_for_every_pair_moves_the_public_deadline(client, world):
    from candidacy.models import StageExtension
    from tests.accounts.factories import UserFactory

    window = StageWindow.objects.get(election=world.regent, stage=Stage.SUPPORT_SUBMISSION)
    StageExtension.objects.create(
        election=world.regent,
        stage=Stage.SUPPORT_SUBMISSION,
        extended_until=window.ends_at + datetime.timedelta(days=2),
        reason="Gangguan server",
        granted_by=UserFactory(),
    )
    html = client.get(reverse("portal:election", args=[world.regent.pk])).content.decode()
    assert "diperpanjang" in html
    assert "5 hari 4 jam lagi" in html


def test_pair_page_shows_history_documents_and_only_consented_cv(client, world):
    html = client.get(reverse("portal:pair", args=[world.party_pair.pk])).content.decode()
    assert "Riwayat status" in html and "Didaftarkan" in html and "Draf" in html
    assert "Kelengkapan dokumen" in html
    assert "Riwayat hidup Haji Muhammad Saleh" in html
    assert "ktp-haji-saleh.pdf" not in html  # the checklist shows statuses, never the files

    html = client.get(reverse("portal:pair", args=[world.independent.pk])).content.decode()
    assert "Riwayat hidup Lalu Ahmad Zaini" in html
    assert "RAHASIA-CV-TIDAK-SETUJU" not in html
    assert "Calon tidak bersedia riwayat hidupnya dipublikasikan." in html


def test_unknown_objects_are_404(client, world):
    assert client.get(reverse("portal:election", args=[999999])).status_code == 404
    assert client.get(reverse("portal:pair", args=[999999])).status_code == 404


def test_pages_need_no_login_and_refuse_writes(client, world):
    url = reverse("portal:election", args=[world.regent.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code in (403, 405)


def _language_link(html: str, code: str) -> str:
    marker = f'href="{reverse("language", args=[code])}?next='
    start = html.index(marker) + len('href="')
    return html[start : html.index('"', start)].replace("&amp;", "&")


def test_english_through_the_language_switch(client, world):
    election_url = reverse("portal:election", args=[world.regent.pk])
    response = client.get(_language_link(client.get(election_url).content.decode(), "en"))
    assert response["Location"] == election_url  # back to the page the link was on
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Regional head candidacy" in html and "Search by region" in html
    html = client.get(reverse("portal:election", args=[world.regent.pk])).content.decode()
    assert "Candidacy stages" in html and "Support for Mandiri Bersatu" in html
    # The cached Indonesian page is not served to the English visitor, nor the other way round.
    client.get(_language_link(html, "id"))
    assert "Tahapan pencalonan" in client.get(reverse("portal:election", args=[world.regent.pk])).content.decode()


def test_candidate_photo_is_served_for_the_pair_page(client, world, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    head = world.candidates[0]
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    head.photo.save("foto.png", ContentFile(png))
    html = client.get(reverse("portal:pair", args=[world.independent.pk])).content.decode()
    url = reverse("portal:photo", args=[head.pk])
    assert url in html
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png
    assert client.get(reverse("portal:photo", args=[world.candidates[1].pk])).status_code == 404


def test_ping_is_a_constant_page_without_queries(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("portal:ping"))
    assert response.status_code == 200 and b"ok" in response.content


def test_document_checklist_in_english_with_fallback_and_admin_edit(client, world):
    """The checklist labels follow the page's language: ``label_en`` (seeded by a data migration, editable in
    the admin) on English pages, the Indonesian label where no English one is filled in."""
    from candidacy.models import DocumentRequirement
    from silon.accounts.models import Role
    from tests.accounts.factories import UserFactory

    url = reverse("portal:pair", args=[world.party_pair.pk])
    requirements = DocumentRequirement.objects.filter(regulation=world.regent.regulation, path="party")
    nomination = requirements.get(code="nomination_letter")
    assert nomination.label_en == "Nomination letter of the political party or coalition (Form B-KWK Parpol)"
    vision = requirements.get(code="vision")
    vision.label_en = ""
    vision.save()

    html = client.get(url).content.decode()
    assert nomination.label in html and nomination.label_en not in html

    client.get(_language_link(html, "en"))  # the cookie, as a visitor sets it
    html = client.get(url).content.decode()
    assert '<html lang="en">' in html
    assert nomination.label_en in html and nomination.label not in html
    assert "Copy of the electronic identity card (KTP-el)" in html
    assert vision.label in html  # no English label: the Indonesian one

    # An administrator fills in the missing English label; the English page shows it at once.
    admin = Client()
    admin.force_login(UserFactory(role=Role.ADMIN, region_code="", is_superuser=True, is_staff=True))
    change = f"/admin/candidacy/documentrequirement/{vision.pk}/change/"
    assert 'name="label_en"' in admin.get(change).content.decode()
    response = admin.post(
        change,
        {
            "regulation": vision.regulation_id,
            "path": vision.path,
            "code": vision.code,
            "label": vision.label,
            "label_en": "Vision, mission and programme",
            "scope": vision.scope,
            "note": vision.note,
            "is_required": "on",
            "order": vision.order,
        },
    )
    assert response.status_code == 302
    vision.refresh_from_db()
    assert vision.label_en == "Vision, mission and programme"
    # On a site the save bumps the portal's data version on commit; this test's transaction never commits.
    cache.bump_version()
    html = client.get(url).content.decode()
    assert "Vision, mission and programme" in html and vision.label not in html
