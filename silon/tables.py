"""One table as a download, CSV or xlsx: the operators' list exports (#21). Every text cell is formula-neutralised
(``silon.csvsafe``); a Bawaslu download is stamped and audited on its way out (``silon.audit.downloads``)."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse

from .csvsafe import csv_safe

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    def write(self, value):
        return value


def table_download(*, filename: str, header: Sequence[str], rows: Iterable[Sequence], fmt: str) -> HttpResponse:
    """``header`` and ``rows`` as ``filename``.``fmt`` (``csv``, streamed UTF-8; or
    ``xlsx``, one sheet with a bold header row)."""
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield writer.writerow(csv_safe(header))
            for row in rows:
                yield writer.writerow(csv_safe(row))

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=filename[:31])
        bold = Font(bold=True)
        cells = []
        for title in csv_safe(header):
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        for row in rows:
            sheet.append(csv_safe(row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
