"""The generated B.1-KWK template: fields from the spec, text cells, dropdown, protection, signed metadata."""

import io

import pytest
from openpyxl import load_workbook

from regions.models import Level, Region
from support_uploads.reading import verify_meta
from support_uploads.template import template_build
from support_uploads.template_spec import current_spec

pytestmark = pytest.mark.django_db


def test_template_layout(pair, regions_version):
    spec = current_spec()
    wb = load_workbook(io.BytesIO(template_build(pair=pair, sheets=2)))
    assert wb.sheetnames[:2] == ["Dukungan", "Dukungan 2"]
    data = wb["Dukungan"]
    assert [c.value for c in data[1]] == spec.headers
    assert data.protection.sheet and data["A1"].protection.locked
    assert data.column_dimensions["A"].number_format == "@"  # NIK stays text
    assert not data.column_dimensions["A"].protection.locked  # data rows are editable
    validation = data.data_validations.dataValidation[0]
    assert (
        validation.type == "list" and "Referensi Desa" in validation.formula1 and "L2:L1048576" in str(validation.sqref)
    )
    ref = wb["Referensi Desa"]
    villages = Region.objects.filter(version=regions_version, level=Level.VILLAGE, code__startswith="52.").count()
    assert ref.max_row - 1 == villages and ref.protection.sheet
    meta_ws = wb[spec.meta_sheet]
    assert meta_ws.sheet_state == "veryHidden"
    meta = {row[0].value: row[1].value for row in meta_ws.iter_rows()}
    assert verify_meta(meta, election_id=pair.election_id, pair_id=pair.pk) is spec
    # the instructions sheet states each column's maximum length, the same data the validator checks
    limits = {row[0]: row[3] for row in wb["Petunjuk"].iter_rows(min_row=2, values_only=True) if row and row[0]}
    assert all(limits[f.header] == f.max_length for f in spec.fields)
