"""Reading a CSV upload (comma or semicolon separated, UTF-8)."""

from pathlib import Path

import polars as pl

# gettext_noop: a refusal keeps its msgid and parameters apart; it is translated where it is shown
from django.utils.translation import gettext_noop as _

from ..template_spec import TEMPLATES, current_spec
from .common import FileRejected, ReadResult, check_header, check_row_cap, clean_frame


def read_csv(path: Path, *, max_rows: int, template_version: str | None = None) -> ReadResult:
    """A CSV carries no metadata: its columns are those of the template ``template_version`` names (the
    election's), B.1-KWK's when none is given."""
    spec = TEMPLATES[template_version] if template_version else current_spec()
    with open(path, "rb") as fh:
        first_line = fh.readline().decode("utf-8-sig", errors="replace")
    separator = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        raw = pl.read_csv(
            path,
            has_header=False,
            infer_schema=False,
            separator=separator,
            truncate_ragged_lines=True,
            encoding="utf8",
        )
    except Exception as exc:
        raise FileRejected(
            "CORRUPT", _("Berkas CSV tidak dapat dibaca. Simpan sebagai CSV UTF-8 (dipisah koma) lalu unggah lagi.")
        ) from exc
    if raw.height and raw[0, 0] is not None:
        raw = raw.with_columns(pl.col(raw.columns[0]).str.strip_prefix("\ufeff"))
    check_header(raw, spec, "CSV")
    data = raw.slice(1)
    columns = {
        f.key: (data.get_column(raw.columns[i]) if i < raw.width else pl.Series([None] * data.height, dtype=pl.String))
        for i, f in enumerate(spec.fields)
    }
    frame = pl.DataFrame(columns).with_columns(
        pl.int_range(2, data.height + 2, dtype=pl.UInt32).alias("row_number"),
        pl.lit(False).alias("nik_numeric"),
        pl.lit(0, dtype=pl.UInt16).alias("sheet"),
    )
    frame = clean_frame(frame, spec)
    check_row_cap(frame.height, max_rows)
    return ReadResult("csv", frame, spec)
