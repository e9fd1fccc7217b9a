from regions import selectors
from regions.models import RegionListVersion


def test_version_default_and_lookup(v2022, default_2025):
    assert selectors.version_default() == default_2025
    assert selectors.version_get(version_id=None) == default_2025
    assert selectors.version_get(version_id=v2022.pk) == v2022
    assert selectors.version_get(version_id=10**9) is None
    assert selectors.version_find(ref=str(v2022.pk)) == v2022
    assert selectors.version_find(ref=v2022.name) == v2022
    assert selectors.version_list().first() == default_2025


def test_region_by_code_per_version(v2025, v2022):
    assert selectors.region_get(version=v2025, code="11.01.01.2001").name == "Keude Bakongan"
    assert selectors.region_get(version=v2025, code="52.01.01.1001").name == "Gerung Utara"
    assert selectors.region_get(version=v2025, code="52.01.01.2001") is None
    # 2022 only / 2025 only (SOURCE.md's handy codes).
    assert selectors.region_get(version=v2022, code="92.71.01.1001").name == "Remu Utara"
    assert selectors.region_get(version=v2025, code="92.71.01.1001") is None
    assert selectors.region_get(version=v2025, code="96").name == "Papua Barat Daya"
    assert selectors.region_get(version=v2022, code="96") is None


def test_children(v2025):
    provinces = list(selectors.region_children(version=v2025))
    assert len(provinces) == 38
    assert provinces[0].code == "11"
    ntb = list(selectors.region_children(version=v2025, code="52"))
    assert len(ntb) == 10
    assert ntb[0].code == "52.01"
    gerung = [r.code for r in selectors.region_children(version=v2025, code="52.01.01")]
    assert "52.01.01.1001" in gerung
    assert all(code.startswith("52.01.01.") for code in gerung)
    assert list(selectors.region_children(version=v2025, code="52.01.01.1001")) == []


def test_ancestors_give_the_breadcrumb(v2025):
    crumbs = selectors.region_ancestors(version=v2025, code="52.01.01.1001")
    assert [r.code for r in crumbs] == ["52", "52.01", "52.01.01"]
    assert crumbs[1].name == "Kabupaten Lombok Barat"
    assert [r.code for r in selectors.region_ancestors(version=v2025, code="52.01", include_self=True)] == [
        "52",
        "52.01",
    ]
    assert selectors.region_ancestors(version=v2025, code="52") == []


def test_villages_under_a_region(v2025):
    ntb = selectors.region_villages_under(version=v2025, code="52")
    assert ntb.count() == selectors.region_counts_under(version=v2025, code="52")["village"]
    assert not ntb.exclude(code__startswith="52.").exists()
    assert selectors.region_villages_under(version=v2025).count() == 83762
    assert [r.code for r in selectors.region_villages_under(version=v2025, code="52.01.01.1001")] == ["52.01.01.1001"]
    # "5" is not a prefix of "52": only whole segments count.
    assert selectors.region_villages_under(version=v2025, code="5").count() == 0


def test_counts_under_a_region(v2025):
    country = selectors.region_counts_under(version=v2025)
    assert (country["province"], country["regency"], country["district"], country["village"]) == (
        38,
        514,
        7285,
        83762,
    )
    assert (country["kabupaten"], country["kota"], country["kelurahan"]) == (416, 98, 8496)
    ntb = selectors.region_counts_under(version=v2025, code="52")
    assert ntb["province"] == 0
    assert ntb["regency"] == 10
    assert (ntb["kabupaten"], ntb["kota"]) == (8, 2)
    assert ntb["village"] == ntb["kelurahan"] + ntb["desa"] + ntb["desa_adat"]
    lobar = selectors.region_counts_under(version=v2025, code="52.01")
    assert lobar["regency"] == 0
    assert lobar["district"] == selectors.region_children(version=v2025, code="52.01").count()


def test_child_counts_match_counts_under_each_child(v2025):
    per_child = selectors.region_child_counts(version=v2025, code="52")
    assert len(per_child) == 10
    for child, counts in per_child.items():
        under = selectors.region_counts_under(version=v2025, code=child)
        assert counts["district"] == under["district"]
        assert counts["village"] == under["village"]
    provinces = selectors.region_child_counts(version=v2025)
    assert len(provinces) == 38
    assert sum(c["village"] for c in provinces.values()) == 83762
    assert provinces["52"]["regency"] == 10


def test_search_ignores_case_prefix_style_and_apostrophes(v2025, v2022):
    hits = selectors.region_search(version=v2025, query="kab. lombok barat")
    assert hits[0].code == "52.01"
    assert selectors.region_search(version=v2025, query="KAB LOMBOK BARAT")[0].code == "52.01"
    assert selectors.region_search(version=v2025, query="  Lombok   barat ")[0].code == "52.01"
    # The 2022 list spells it "KAB. LOMBOK BARAT"; the same queries find it there too.
    assert selectors.region_search(version=v2022, query="Kabupaten Lombok Barat")[0].code == "52.01"
    # Kota is kept apart from Kabupaten.
    assert [r.code for r in selectors.region_search(version=v2025, query="kota bima")] == ["52.72"]
    # Larger regions first.
    levels = [r.level for r in selectors.region_search(version=v2025, query="bima")]
    assert levels == sorted(levels, key=selectors.LEVEL_ORDER.index)


def test_search_matches_curly_and_plain_apostrophes(v2025):
    curly = selectors.region_queryset(version=v2025).filter(name__contains="\u2019").first()
    assert curly is not None
    plain_query = curly.name.replace("\u2019", "'")
    assert curly in selectors.region_search(version=v2025, query=plain_query, level=curly.level)
    assert curly in selectors.region_search(version=v2025, query=curly.name.replace("\u2019", ""), level=curly.level)


def test_search_by_code_and_empty_query(v2025):
    assert selectors.region_search(version=v2025, query="52.01")[0].code == "52.01"
    assert selectors.region_search(version=v2025, query=" .. ") == []
    assert len(selectors.region_search(version=v2025, query="a", limit=7)) == 7


def test_queryset_filters(v2025):
    qs = selectors.region_queryset(version=v2025, level="regency", under="52")
    assert qs.count() == 10
    assert selectors.region_queryset(version=v2025, kind="kota", under="52").count() == 2
    assert selectors.region_queryset(version=v2025, parent_code="").count() == 38
    assert selectors.region_queryset(version=v2025, name="kab. lombok barat").first().code == "52.01"


def test_no_version_means_no_default(db):
    RegionListVersion.objects.filter(is_default=True).update(is_default=False)
    assert selectors.version_default() is None
