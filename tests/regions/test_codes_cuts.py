"""The cuts of ``regions/codes.py`` that other apps use instead of slicing a code themselves: each form (text,
SQL, polars) gives the same answer."""

import polars as pl
import pytest

from regions.codes import (
    ancestor_at,
    ancestor_at_column,
    ancestor_at_sql,
    child_of,
    child_sql,
    dotted_column,
)
from regions.models import Level, Region, RegionListVersion

CODES = ["52", "52.01", "52.01.01", "52.01.01.2001"]


def test_ancestor_at_each_level():
    assert [ancestor_at("52.01.01.2001", level) for level in Level.values] == CODES


def test_child_of():
    assert child_of("52.01.01.2001", "") == "52"
    assert child_of("52.01.01.2001", "52") == "52.01"
    assert child_of("52.01.01.2001", "52.01") == "52.01.01"
    assert child_of("52.01.01.2001", "52.01.01") == "52.01.01.2001"
    assert child_of("52.01.01.2001", "52.01.01.2001") == "52.01.01.2001"


def test_the_polars_forms_agree_with_the_text_form():
    frame = pl.DataFrame({"village_code": ["52.01.01.2001", "52.06.03.1002"], "raw": ["5201012001", "5206031002"]})
    for level in Level.values:
        cut = frame.select(ancestor_at_column(pl.col("village_code"), level)).to_series().to_list()
        assert cut == [ancestor_at(code, level) for code in frame["village_code"]]
    assert frame.select(dotted_column(pl.col("raw"))).to_series().to_list() == frame["village_code"].to_list()


@pytest.mark.django_db
def test_the_sql_forms_agree_with_the_text_form():
    version = RegionListVersion.objects.create(name="uji potong kode", decree="uji")
    Region.objects.create(version=version, code="52.01.01.2001", name="Desa", level=Level.VILLAGE, kind="desa")
    rows = Region.objects.filter(version=version)
    for level in Level.values:
        assert rows.annotate(cut=ancestor_at_sql("code", level)).values_list("cut", flat=True).get() == ancestor_at(
            "52.01.01.2001", level
        )
    assert rows.annotate(cut=child_sql("code", "52.01")).values_list("cut", flat=True).get() == "52.01.01"
