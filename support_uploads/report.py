"""The error report's xlsx writer: rejected rows (and rows held for review) beside their reasons in Indonesian.

The worker writes it from the validation frame (``services.pipeline``). It can be built again from the stored
rows, which keep every value as sent and every reason: when a worker died between the upload's DONE commit and
the report, and, masked, for a reader whose role does not need the supporters' personal data
(``services.reports``).

Written as xlsx straight from polars: every cell is an inline string built column-wise, so a report of
hundreds of thousands of rows takes a second, not the minutes a cell-by-cell writer needs. Inline strings
are never evaluated as formulas; values that look like one still get the apostrophe of ``silon.csvsafe``,
so the report is safe when copied into another sheet or saved as CSV.
"""

import zipfile
from pathlib import Path
from typing import IO

import polars as pl

from .template_spec import TemplateSpec

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Baris Ditolak" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" state="frozen"/>'
    "</sheetView></sheetViews><sheetData>"
)
_SHEET_TAIL = "</sheetData></worksheet>"


def _xml_text(expr: pl.Expr) -> pl.Expr:
    """Formula-neutralised, XML-escaped text; characters XML 1.0 forbids are dropped."""
    text = expr.cast(pl.String).fill_null("")
    text = pl.when(text.str.contains(r"^[=+\-@\t\r]")).then(pl.lit("'") + text).otherwise(text)
    return (
        text.str.replace_all(r"[\x00-\x08\x0B\x0C\x0E-\x1F]", "")
        .str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
    )


def _cell(expr: pl.Expr) -> pl.Expr:
    return pl.lit('<c t="inlineStr"><is><t xml:space="preserve">') + _xml_text(expr) + pl.lit("</t></is></c>")


def report_write(*, path: Path | IO[bytes], rows: pl.DataFrame, spec: TemplateSpec, labels: dict[str, str]) -> int:
    """Write the report of ``rows`` (sheet, row_number, reasons and the field columns) to a path or an open
    binary file. Returns rows written."""
    headers = ["Lembar", "Baris", "Alasan", "Kode alasan", *spec.headers]
    reasons_text = (
        pl.col("reasons").str.split(",").list.eval(pl.element().replace(labels)).list.join("; ").alias("_labels")
    )
    body = rows.sort(["sheet", "row_number"]).select(
        pl.concat_str(
            [
                pl.lit("<row>"),
                _cell((pl.col("sheet") + 1).cast(pl.String)),
                _cell(pl.col("row_number").cast(pl.String)),
                _cell(reasons_text),
                _cell(pl.col("reasons").str.replace_all(",", ", ", literal=True)),
                *[_cell(pl.col(f.key)) for f in spec.fields],
                pl.lit("</row>"),
            ]
        ).alias("xml")
    )
    header_xml = "<row>" + "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in headers) + "</row>"
    if isinstance(path, Path):
        path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write((_SHEET_HEAD + header_xml).encode())
            for chunk in body.iter_slices(50_000):
                sheet.write("".join(chunk.get_column("xml").to_list()).encode())
            sheet.write(_SHEET_TAIL.encode())
    return rows.height
