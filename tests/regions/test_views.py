import re

import pytest
from django.urls import reverse

from regions.models import RegionListVersion


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def main(response) -> str:
    return text(response).split('<main id="main"')[1].split("</main>")[0]


def test_province_list_shows_every_province_with_counts(client, default_2025, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = client.get(reverse("regions:province_list"))
    assert response.status_code == 200
    body = text(response)
    assert body.count('href="/wilayah/') >= 38
    assert "Nusa Tenggara Barat" in body
    assert "Papua Barat Daya" in body
    # Totals for the whole country (Indonesian number format).
    assert "<strong>38</strong> Provinsi" in body
    assert "<strong>514</strong> Kabupaten/Kota (416 Kabupaten, 98 Kota)" in body
    assert "<strong>7.285</strong> Kecamatan" in body
    assert "<strong>83.762</strong> Desa/Kelurahan (8.496 Kelurahan, 75.252 Desa, 14 Desa adat)" in body
    assert 'aria-current="page">Indonesia' in body


def test_second_request_is_served_from_the_cache(client, default_2025, django_assert_num_queries):
    url = reverse("regions:region_detail", args=["52"])
    first = client.get(url)
    # The only query left is the version list (to resolve ?versi= and draw the picker).
    with django_assert_num_queries(1):
        second = client.get(url)
    # The page body is identical (the header's CSRF token is masked differently per response).
    assert main(first) == main(second)
    assert "<strong>10</strong> Kabupaten/Kota" in main(second)


def test_province_page_lists_kab_kota_with_counts_and_breadcrumbs(client, default_2025, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = client.get(reverse("regions:region_detail", args=["52"]))
    body = text(response)
    assert response.status_code == 200
    assert "<h1>Nusa Tenggara Barat</h1>" in body
    assert "<strong>10</strong> Kabupaten/Kota (8 Kabupaten, 2 Kota)" in body
    assert 'href="/wilayah/52.01/"' in body and "Kabupaten Lombok Barat" in body
    assert 'href="/wilayah/">Indonesia</a>' in body


def test_district_page_lists_villages_and_full_breadcrumbs(client, default_2025, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = client.get(reverse("regions:region_detail", args=["52.01.01"]))
    body = text(response)
    assert response.status_code == 200
    crumbs = body.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert crumbs.index("Indonesia") < crumbs.index("Nusa Tenggara Barat") < crumbs.index("Kabupaten Lombok Barat")
    assert 'aria-current="page">Gerung</span>' in crumbs
    assert 'href="/wilayah/52.01.01.1001/"' in body and "Gerung Utara" in body
    assert "Kelurahan" in body


def test_village_page(client, default_2025):
    response = client.get(reverse("regions:region_detail", args=["52.01.01.1001"]))
    body = text(response)
    assert response.status_code == 200
    assert "<h1>Gerung Utara</h1>" in body
    assert "tingkat wilayah terendah" in body
    assert 'href="/wilayah/52.01.01/">Gerung</a>' in body


def test_unknown_code_and_version_are_404(client, default_2025):
    assert client.get(reverse("regions:region_detail", args=["52.01.01.2001"])).status_code == 404
    assert client.get(reverse("regions:province_list") + "?versi=999999999").status_code == 404
    assert client.get(reverse("regions:province_list") + "?versi=abc").status_code == 404


def test_versi_selects_another_list_and_links_keep_it(client, default_2025, v2022):
    url = reverse("regions:region_detail", args=["92"])
    # 92.01 (KAB. SORONG) is under Papua Barat in 2022 only.
    assert "92.01/" not in text(client.get(url))
    body = text(client.get(url + f"?versi={v2022.pk}"))
    assert f'href="/wilayah/92.01/?versi={v2022.pk}"' in body
    assert "KAB. SORONG" in body
    assert client.get(reverse("regions:region_detail", args=["96"]) + f"?versi={v2022.pk}").status_code == 404
    # The version picker lists both.
    assert f'<option value="{v2022.pk}"' in body


def test_search_page(client, default_2025, django_assert_max_num_queries):
    url = reverse("regions:search")
    with django_assert_max_num_queries(4):
        response = client.get(url, {"q": "kab. lombok barat"})
    body = text(response)
    assert response.status_code == 200
    assert 'href="/wilayah/52.01/"' in body
    village = text(client.get(url, {"q": "gerung utara"}))
    assert "Nusa Tenggara Barat \u203a Kabupaten Lombok Barat \u203a Gerung" in village
    assert "Tidak ada wilayah" in text(client.get(url, {"q": "zzzz tidak ada"}))
    with django_assert_max_num_queries(1):
        client.get(url, {"q": "KAB LOMBOK BARAT"})  # same normalised query: cached


def test_pages_are_public_and_csp_safe(client, default_2025):
    response = client.get(reverse("regions:province_list"))
    body = response.content.decode()
    assert "<script>" not in body and "style=" not in body
    assert 'name="viewport"' in body


@pytest.mark.django_db
def test_without_any_list_the_page_says_so(client):
    RegionListVersion.objects.filter(is_default=True).update(is_default=False)
    response = client.get(reverse("regions:province_list"))
    assert response.status_code == 200
    assert "Belum ada daftar wilayah" in response.content.decode()


def test_admin_lists_regions_read_only(admin_client, v2025):
    response = admin_client.get("/admin/regions/region/", {"q": "52.01.01.1001", "version__id__exact": v2025.pk})
    assert response.status_code == 200
    assert "Gerung Utara" in response.content.decode()
    assert admin_client.get("/admin/regions/region/add/").status_code == 403
