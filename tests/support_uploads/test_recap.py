"""The recap arithmetic (``support_uploads/recap.py``), the one home shared by uploads, verification and
the portal: pure functions, checked directly."""

from regions.models import Level
from support_uploads.recap import (
    district_counts,
    district_tally,
    percent_of_minimum,
    regency_groups,
    shortfall,
    unit_counts,
    units_met,
)


def test_district_counts_adds_upload_maps_and_skips_empty_ones():
    assert district_counts([{"52.01.01": 3, "52.01.02": 1}, None, {}, {"52.01.01": 2}]) == {
        "52.01.01": 5,
        "52.01.02": 1,
    }


def test_district_tally_sums_village_rows_per_kecamatan():
    rows = [("52.01.01.2001", 2), ("52.01.01.2002", 3), ("52.02.04.1001", 1), ("52.02.04", 4)]
    assert district_tally(rows) == {"52.01.01": 5, "52.02.04": 5}


def test_unit_counts_rolls_up_to_the_spread_unit():
    districts = {"52.01.01": 5, "52.01.02": 0, "52.02.04": 1}
    assert unit_counts(districts, Level.DISTRICT) == districts
    assert unit_counts(districts, Level.REGENCY) == {"52.01": 5, "52.02": 1}


def test_units_met_counts_units_with_support_optionally_among_given_units():
    per_unit = {"52.01": 5, "52.02": 0, "52.03": 2}
    assert units_met(per_unit) == 2
    assert units_met(per_unit, ["52.01", "52.02", "52.04"]) == 1


def test_shortfall_and_percent_of_minimum():
    assert shortfall(10, 4) == 6 and shortfall(10, 12) == 0
    assert percent_of_minimum(5, 10) == 50
    assert percent_of_minimum(25, 10) == 100
    assert percent_of_minimum(3, 0) == 100


def test_regency_groups_orders_kecamatan_under_their_kab_kota():
    assert regency_groups(["52.02.01", "52.01.03", "52.01.01"]) == [
        ("52.01", ["52.01.01", "52.01.03"]),
        ("52.02", ["52.02.01"]),
    ]
