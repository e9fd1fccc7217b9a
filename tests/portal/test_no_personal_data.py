"""UU 10/2016 Pasal 48(3d) and UU 27/2022: the public sees aggregates only.

A crawler starts at the home page, follows every link it finds (and the open-data API and CSV downloads),
and checks that no supporter NIK, KK, name, address, phone or e-mail, and no candidate NIK or address, appears
in any response, in Indonesian or in English.
"""

import contextlib
import json
import re
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LINK = re.compile(r'(?:href|src)="([^"]+)"')
# Not pages: the language switches (a redirect back to a page already queued; the English walk below
# follows one on purpose), the admin is for staff.
SKIP_PREFIXES = ("/i18n/", "/bahasa/", "/admin/", "/static/")
MAX_PAGES = 400


def _secrets(world) -> list[str]:
    values = []
    for s in world.supporters:
        values += [s.nik, s.kk, s.name, s.address, s.phone, s.email]
    for c in world.candidates:
        values += [c.nik, c.address]
    return [v for v in values if v]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _assert_clean(url: str, body: bytes, secrets: list[str]) -> None:
    text = body.decode("utf-8", errors="replace")
    # JSON escapes non-ASCII; compare on the decoded form as well.
    if text[:1] in "[{":
        with contextlib.suppress(ValueError):
            text += json.dumps(json.loads(text), ensure_ascii=False)
    for secret in secrets:
        assert secret not in text, f"{url} shows personal data: {secret!r}"


def crawl(client, start_urls: list[str], secrets: list[str]) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = list(start_urls)
    while queue and len(seen) < MAX_PAGES:
        url = urldefrag(queue.pop(0))[0]
        if url in seen or not url.startswith("/") or url.startswith(SKIP_PREFIXES):
            continue
        response = client.get(url)
        seen[url] = response.status_code
        body = _body(response)
        _assert_clean(url, body, secrets)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
        if response.get("Content-Type", "").startswith("text/html"):
            for link in LINK.findall(body.decode()):
                target = urljoin(url, link.replace("&amp;", "&"))
                parsed = urlparse(target)
                if parsed.netloc in ("", "testserver"):
                    queue.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return seen


def _api_urls(world) -> list[str]:
    urls = [
        reverse("api-schema") + "?format=json",
        reverse("portal_api:election-list"),
        reverse("portal_api:pair-list"),
        reverse("portal_api:stage-list"),
    ]
    for election in (world.governor, world.regent, world.other):
        urls += [
            reverse("portal_api:election-detail", args=[election.pk]),
            reverse("portal_api:pair-list") + f"?election={election.pk}",
            reverse("portal_api:stage-list") + f"?election={election.pk}",
            reverse("portal_api:support-list") + f"?election={election.pk}",
        ]
    for pair_id in world.regent.pairs.values_list("pk", flat=True):
        urls.append(reverse("portal_api:pair-detail", args=[pair_id]))
    urls += [
        reverse("portal:csv", args=[name]) for name in ("pemilihan", "paslon", "tahapan", "dukungan", "verifikasi")
    ]
    return urls


def test_no_personal_data_on_any_public_page_api_or_download(client, world, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    world.candidates[0].photo.save("foto.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32))
    secrets = _secrets(world)
    assert len(secrets) >= 20
    # The data really is there: the crawler would see it if a page leaked it, verified supporters (closed and
    # open rounds) included.
    from support_uploads.models import Supporter
    from verification.models import VerificationResult

    assert Supporter.objects.filter(nik=world.supporters[0].nik).exists()
    verified = VerificationResult.objects.values_list("supporter_id", flat=True)
    assert {s.pk for s in world.supporters if s.pk in set(verified)} and len(verified) >= 15
    secrets += list(VerificationResult.objects.values_list("note", flat=True))

    seen = crawl(client, ["/", "/?q=lombok", *_api_urls(world)], secrets)

    visited = " ".join(seen)
    for must in (
        reverse("portal:region", args=["52"]),
        reverse("portal:region", args=["52.01"]),
        reverse("portal:election", args=[world.regent.pk]),
        reverse("portal:election", args=[world.governor.pk]),
        reverse("portal:pair", args=[world.independent.pk]),
        reverse("portal:pair", args=[world.party_pair.pk]),
        reverse("portal:photo", args=[world.candidates[0].pk]),
        reverse("portal:open_data"),
        reverse("portal:csv", args=["dukungan"]),
    ):
        assert must in visited, f"the crawler never reached {must}"
    ok = [url for url, status in seen.items() if status == 200]
    assert len(ok) >= 25
    # The walk saw the verification aggregates it guards.
    assert "MS faktual awal" in client.get(reverse("portal:election", args=[world.regent.pk])).content.decode()

    # The same walk in English, switched with the page's own language link.
    html = client.get("/").content.decode()
    link = html[html.index('href="/bahasa/en/') + len('href="') :].split('"')[0].replace("&amp;", "&")
    assert client.get(link).status_code == 302
    assert 'lang="en"' in client.get("/").content.decode()
    english = crawl(client, ["/", *_api_urls(world)], secrets)
    assert len([status for status in english.values() if status == 200]) >= 25


def test_the_crawler_would_catch_a_leak(client, world):
    """Guard against a crawler that checks nothing: a pair named after a supporter's NIK is caught."""
    leaked = world.supporters[0].nik
    world.independent.name = f"Pasangan {leaked}"
    world.independent.save()
    with pytest.raises(AssertionError, match="shows personal data"):
        crawl(client, ["/publik/wilayah/52.01/"], [leaked])


def test_education_and_occupation_only_with_cv_consent(client, world):
    """Education and occupation are part of the daftar riwayat hidup: without the candidate's consent they
    appear on no page, API answer or download; with it, on the pair page and in the API."""
    consenting, refusing = world.candidates[0], world.candidates[1]  # the independent pair's head and deputy
    assert consenting.cv_publication_consent and not refusing.cv_publication_consent
    consenting.education, consenting.occupation = "S3 Ilmu Pemerintahan", "Dosen Universitas Mataram"
    refusing.education, refusing.occupation = "Pendidikan Rahasia Baiq", "Pekerjaan Rahasia Baiq"
    consenting.save()
    refusing.save()

    seen = crawl(client, ["/", *_api_urls(world)], [refusing.education, refusing.occupation])
    assert reverse("portal:pair", args=[world.independent.pk]) in seen

    html = client.get(reverse("portal:pair", args=[world.independent.pk])).content.decode()
    assert consenting.education in html and consenting.occupation in html
    for url in (
        reverse("portal_api:pair-detail", args=[world.independent.pk]),
        reverse("portal_api:pair-list") + f"?election={world.regent.pk}",
    ):
        data = client.get(url).json()
        pair = data if "candidates" in data else next(p for p in data["results"] if p["id"] == world.independent.pk)
        people = {c["role"]: c for c in pair["candidates"]}
        assert people["head"]["education"] == consenting.education
        assert people["head"]["occupation"] == consenting.occupation
        assert people["deputy"]["education"] is None and people["deputy"]["occupation"] is None
        assert people["deputy"]["cv"] is None
