"""The support bench's planted rows: every row-level reason of the rule registry has one, a reason registered
without one is named and fails the bench's check, and the expected counts follow the plan exactly. (The file
itself goes through the real pipeline in ``tests/support_uploads/test_cells.py``.)"""

import polars as pl

from bench import support_files, support_plants
from bench.support_files import upload_failures
from support_uploads.rules import RULES


def test_every_registered_row_reason_is_planted():
    assert support_plants.unplanted() == []
    planted = {reason for plant in support_plants.plants() for reason in plant.reasons}
    assert set(RULES) <= planted
    # each kind is planted for a reason of its own: no two kinds share one
    codes = [plant.code for plant in support_plants.plants()]
    assert len(codes) == len(set(codes)) == len(RULES) + 2


def test_a_registered_reason_without_a_plant_is_named_and_fails_the_bench(monkeypatch):
    monkeypatch.setitem(RULES, "SOMETHING_NEW", lambda ctx: pl.lit(False))
    assert support_plants.unplanted() == ["SOMETHING_NEW"]
    expected = support_files.expected_counts(2000)
    failures = upload_failures(
        count=2000,
        reason_counts=expected,
        rows_read=2000,
        rows_accepted=2000 - support_files.planted_row_count(2000),
    )
    assert failures == ["2,000-row file: registered row reasons not planted: ['SOMETHING_NEW']"]


def test_a_count_off_by_one_fails_the_bench():
    count = 3000
    expected = support_files.expected_counts(count)
    accepted = count - support_files.planted_row_count(count)
    assert upload_failures(count=count, reason_counts=expected, rows_read=count, rows_accepted=accepted) == []
    got = expected | {"NAME_HAS_EMAIL": expected["NAME_HAS_EMAIL"] - 1, "EXTRA": 1}
    failures = upload_failures(count=count, reason_counts=got, rows_read=count, rows_accepted=accepted + 1)
    assert failures == [
        "3,000-row upload: counts per reason (got, planted) differ: {'EXTRA': (1, 0), 'NAME_HAS_EMAIL': (2, 3)}",
        f"3,000-row upload: {accepted + 1:,} rows accepted; want {accepted:,}",
    ]


def test_each_planted_row_follows_a_good_row_and_the_counts_follow_the_plan():
    plan = support_files.plan()
    assert not {pos - 1 for pos in plan} & set(plan)  # a duplicate copies the good row before it
    assert max(plan) < support_files.BLOCK
    for count in (999, 1000, 1500, 2000):
        rows = support_files.expected_rows(count)
        counts: dict[str, int] = {}
        for reasons in rows.values():
            for code in reasons:
                counts[code] = counts.get(code, 0) + 1
        assert support_files.expected_counts(count) == counts
        assert support_files.planted_row_count(count) == len(rows)


def test_the_generated_plants_get_the_reasons_of_their_cells():
    """What the plants declare for a few cells, worked out by hand (the pipeline checks them all)."""
    by_code = {plant.code: plant for plant in support_plants.plants()}
    assert by_code["NAME_HAS_NIK"].reasons == ("NAME_HAS_NIK",)
    assert by_code["RT_HAS_DATE"].reasons == ("RT_HAS_DATE", "FIELD_TOO_LONG", "RT_INVALID")
    assert by_code["PHONE_HAS_DATE"].reasons == ("PHONE_HAS_DATE",)  # 17081990: eight digits, a number
    assert by_code["PHONE_HAS_NIK"].reasons == ("PHONE_HAS_NIK", "PHONE_INVALID")  # sixteen digits: too many
    assert by_code["SEX_HAS_EMAIL"].reasons == ("SEX_HAS_EMAIL", "FIELD_TOO_LONG", "SEX_INVALID")
    assert by_code["NOT_TEXT_RT"].reasons == ("NOT_TEXT_RT",)  # 001 as the number 1: still an RT
    assert by_code["NOT_TEXT_BIRTH_DATE"].reasons == ("NOT_TEXT_BIRTH_DATE", "DATE_INVALID")
    assert by_code["NOT_TEXT_NIK"].reasons == ("NOT_TEXT_NIK",)
    row = support_plants.reference_row()
    assert by_code["NOT_TEXT_NIK"].make(dict(row), None)["nik"] == support_plants.Formula(f'="{row["nik"]}"')
    assert by_code["NOT_TEXT_PHONE"].make(dict(row), None)["phone"] == int(row["phone"])
