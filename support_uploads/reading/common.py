"""What every reader shares: the refusal of a whole file, the result, the header check and the row cap."""

from dataclasses import dataclass, field

import polars as pl

# gettext_noop: a refusal keeps its msgid and parameters apart; it is translated where it is shown
from django.utils.translation import gettext_noop as _

from silon.numbers import grouped

from ..messages import format_message
from ..template_spec import ALL_FIELDS, TemplateSpec

TEXT_FIELDS_CHECKED_FOR_NUMBERS = ("nik", "kk")


class FileRejected(Exception):
    """The whole file is refused; the message tells the uploader what to do.

    ``msgid`` (the Indonesian source text) and ``params`` are kept apart so the refusal is stored once and
    shown in each reader's language; ``message`` renders it in the active one.
    """

    def __init__(self, code: str, msgid: str, **params):
        super().__init__(code)
        self.code = code
        self.msgid = msgid
        self.params = params

    @property
    def message(self) -> str:
        return format_message(self.msgid, self.params)

    @property
    def source_text(self) -> str:
        """The message in the source language (Indonesian), whatever language is active."""
        return self.msgid % self.params if self.params else self.msgid


@dataclass
class ReadResult:
    kind: str
    frame: pl.DataFrame  # sheet, row_number, one text column per field, nik_numeric, kk_numeric
    spec: TemplateSpec
    meta: dict = field(default_factory=dict)
    sheets: int = 1


def with_absent_columns(frame: pl.DataFrame, spec: TemplateSpec) -> pl.DataFrame:
    """The columns a narrower template has not (Pemilu DPD's: No. KK, No. HP), empty, so that the rules and
    the supporter table read one column set; and ``<key>_numeric`` False where the reader set none."""
    own = {f.key for f in spec.fields}
    absent = [pl.lit(None, dtype=pl.String).alias(f.key) for f in ALL_FIELDS if f.key not in own]
    numeric = [
        pl.lit(False).alias(f"{k}_numeric")
        for k in TEXT_FIELDS_CHECKED_FOR_NUMBERS
        if f"{k}_numeric" not in frame.columns
    ]
    return frame.with_columns(absent + numeric) if absent or numeric else frame


def clean_frame(frame: pl.DataFrame, spec: TemplateSpec) -> pl.DataFrame:
    """Trim every field, turn empty text into null, and drop rows with no value at all (phantom rows)."""
    keys = [f.key for f in spec.fields]
    frame = frame.with_columns([pl.col(k).cast(pl.String).str.strip_chars().replace("", None).alias(k) for k in keys])
    return frame.filter(pl.any_horizontal([pl.col(k).is_not_null() for k in keys]))


def _header_problem(
    found: list[str | None], spec: TemplateSpec, sheet: str, *, data_in_first_column: bool
) -> tuple[str, dict] | None:
    """The first thing wrong with a header row, as (msgid, params), or None."""
    expected = spec.headers
    found = [(h or "").strip() for h in found]
    while found and not found[-1]:
        found.pop()
    if found == expected:
        return None
    if sorted(found) == sorted(expected):
        return _("Urutan kolom pada lembar %(sheet)s berubah. Jangan memindahkan kolom; gunakan templat asli."), {
            "sheet": sheet
        }
    if found and not found[0] and [h for h in found if h] == expected:
        if data_in_first_column:
            # only the header row moved: deleting column A would take the NIKs with it
            return _(
                "Judul kolom pada lembar %(sheet)s bergeser ke kanan (sel A1 kosong), sedangkan datanya tidak. "
                'Hapus sel A1 dengan menggeser judul ke kiri agar "NIK" kembali di kolom A.'
            ), {"sheet": sheet}
        return _("Kolom pada lembar %(sheet)s bergeser ke kanan. Hapus kolom kosong di depan kolom NIK."), {
            "sheet": sheet
        }
    for index, name in enumerate(expected):
        got = found[index] if index < len(found) else ""
        if got != name:
            if name not in found:
                return _('Kolom "%(name)s" tidak ada atau diganti namanya pada lembar %(sheet)s (kolom ke-%(n)s).'), {
                    "name": name,
                    "sheet": sheet,
                    "n": index + 1,
                }
            if not got:
                return _('Kolom ke-%(n)s pada lembar %(sheet)s seharusnya "%(name)s", tetapi judulnya kosong.'), {
                    "n": index + 1,
                    "sheet": sheet,
                    "name": name,
                }
            return _('Kolom ke-%(n)s pada lembar %(sheet)s seharusnya "%(name)s", tertulis "%(got)s".'), {
                "n": index + 1,
                "sheet": sheet,
                "name": name,
                "got": got,
            }
    return _("Ada kolom tambahan setelah kolom terakhir pada lembar %(sheet)s. Hapus kolom itu."), {"sheet": sheet}


def _blank(values) -> bool:
    return not any(str(v).strip() for v in values if v is not None)


def check_header(raw: pl.DataFrame, spec: TemplateSpec, sheet: str) -> None:
    if raw.height == 0:
        raise FileRejected("HEADER", _("Lembar %(sheet)s kosong; baris judul kolom tidak ditemukan."), sheet=sheet)
    first = [raw[0, i] for i in range(raw.width)]
    if _blank(first):
        if _blank(v for column in raw.iter_columns() for v in column):
            # nothing but spaces or empty cells: no header to have moved
            raise FileRejected(
                "HEADER",
                _(
                    "Lembar %(sheet)s hanya berisi sel kosong atau spasi: tidak ada judul kolom maupun data. "
                    "Gunakan templat dari SILON dan isi data mulai baris 2."
                ),
                sheet=sheet,
            )
        # the header row is not in row 1: rows were inserted above it
        raise FileRejected(
            "HEADER",
            _("Baris judul kolom pada lembar %(sheet)s bergeser ke bawah. Judul kolom harus di baris 1."),
            sheet=sheet,
        )
    # an empty header cell is empty, not the text "None"
    headers = [None if v is None else str(v) for v in first]
    data_in_first_column = raw.height > 1 and raw.get_column(raw.columns[0]).slice(1).drop_nulls().len() > 0
    problem = _header_problem(headers, spec, sheet, data_in_first_column=data_in_first_column)
    if problem:
        raise FileRejected("HEADER", problem[0], **problem[1])


def check_row_cap(rows: int, max_rows: int) -> None:
    if rows > max_rows:
        raise FileRejected(
            "TOO_MANY_ROWS",
            _("Berkas berisi lebih dari %(max)s baris data. Bagi menjadi beberapa berkas."),
            max=grouped(max_rows),
        )
