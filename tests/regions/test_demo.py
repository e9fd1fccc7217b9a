from io import StringIO

import pytest

from regions import demo
from regions.loading import PACKAGE_VERSION_NAME
from regions.models import Region, RegionListVersion


def test_demo_uses_an_existing_default_without_loading(default_2025, django_assert_max_num_queries):
    ctx: dict = {}
    with django_assert_max_num_queries(1):
        demo.build(ctx=ctx, stdout=StringIO())
    assert ctx["region_version"] == default_2025


@pytest.mark.django_db
def test_demo_loads_the_package_list_once(monkeypatch):
    # The real package list is exercised by test_services; a small parsed list keeps this test quick.
    from regions import loading

    tiny = loading.parse_records(
        [(1, "52", "Nusa Tenggara Barat", None, None), (2, "52.01", "Kabupaten Lombok Barat", None, None)]
    )
    monkeypatch.setattr(loading, "read_package", lambda: tiny)
    RegionListVersion.objects.filter(is_default=True).update(is_default=False)
    out = StringIO()
    ctx: dict = {}
    demo.build(ctx=ctx, stdout=out)
    version = ctx["region_version"]
    assert version.name == PACKAGE_VERSION_NAME and version.is_default
    assert Region.objects.filter(version=version).count() == 2
    again: dict = {}
    demo.build(ctx=again, stdout=out)
    assert again["region_version"] == version
    assert RegionListVersion.objects.filter(name=PACKAGE_VERSION_NAME).count() == 1
    assert "sudah dimuat" in out.getvalue()
