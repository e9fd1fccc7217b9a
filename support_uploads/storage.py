"""The database side of the pipeline's reads: PostgreSQL uses COPY and set-based SQL; SQLite (the embedded
default) gets plain batched statements. Both feed the same polars logic, so results are identical. The rows'
writes (COPY of a whole upload, the DUP_EXTERNAL update) are the pipeline's service (``services.pipeline``)."""

import polars as pl
from django.db import connection

from .models import COUNTED_STATUSES, RowStatus, Supporter, Upload, UploadStatus

# The supporter columns written per row, in COPY order.
ROW_COLUMNS = [
    "election_id",
    "pair_id",
    "upload_id",
    "sheet",
    "row_number",
    "status",
    "reasons",
    "nik",
    "kk",
    "name",
    "birth_place",
    "birth_date_text",
    "birth_date",
    "sex",
    "marital",
    "occupation",
    "address",
    "rt",
    "rw",
    "village_code",
    "phone",
    "email",
]
TEXT_COLUMNS = [
    c for c in ROW_COLUMNS if c not in ("election_id", "pair_id", "upload_id", "sheet", "row_number", "birth_date")
]


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def lock_election(election_id: int) -> None:
    """Serialise the duplicate check + insert of uploads of one election (held until commit), so two pairs
    uploading at once still see each other's supporters. SQLite serialises writers by itself."""
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7_410_467, election_id])


class FrameCsv:
    """A frame as the CSV stream COPY reads (``read(size)``), written slice by slice as it is read: no temporary
    file of the whole upload is written and read back, and at most one slice's text is held at a time. A read
    may return less than ``size`` (at a slice's end); an empty read means the end."""

    def __init__(self, frame: pl.DataFrame, rows_per_slice: int = 50_000):
        self._slices = iter(frame.iter_slices(rows_per_slice))
        self._buffer, self._at = b"", 0

    def read(self, size: int = -1) -> bytes:
        while self._at >= len(self._buffer):
            part = next(self._slices, None)
            if part is None:
                return b""
            self._buffer, self._at = part.write_csv(include_header=False, null_value="").encode(), 0
        end = len(self._buffer) if size < 0 else min(self._at + size, len(self._buffer))
        out, self._at = self._buffer[self._at : end], end
        return out


COPY_READ_BYTES = 1 << 20  # how much COPY asks of the stream at a time


def copy_frame(cursor, table: str, frame: pl.DataFrame, columns: list[str], force_not_null: list[str]) -> None:
    options = "FORMAT csv"
    if force_not_null:
        options += ", FORCE_NOT_NULL (" + ", ".join(force_not_null) + ")"
    cursor.copy_expert(
        f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH ({options})",
        FrameCsv(frame.select(columns)),
        COPY_READ_BYTES,  # positional: Django's debug cursor wrapper passes only *args on
    )


def fetch_stored(*, election_id: int, upload_id: int, niks: pl.Series, pair_id: int | None = None) -> pl.DataFrame:
    """Counted supporters of the election (done uploads other than this one) whose NIK is in ``niks``, with
    the batch of the upload they came in; with ``pair_id``, that pair's rows held as potential duplicates
    (``review``, DUP_POTENTIAL) too, so a new row of such a NIK joins the held ones (``dedupe``)."""
    schema = {
        "pair_id": pl.Int64,
        "nik": pl.String,
        "name": pl.String,
        "birth_date": pl.String,
        "marital": pl.String,
        "batch": pl.String,
    }
    table, upload_table = Supporter._meta.db_table, Upload._meta.db_table
    counted = tuple(str(s) for s in COUNTED_STATUSES)
    if not Supporter.objects.filter(election_id=election_id).exclude(upload_id=upload_id).exists():
        return pl.DataFrame(schema=schema)
    columns = "s.pair_id, s.nik, s.name, s.birth_date_text, s.marital, u.batch"
    where = "s.election_id = %s AND s.upload_id <> %s AND u.status = %s AND (s.status IN (%s, %s)"
    params = [election_id, upload_id, UploadStatus.DONE, *counted]
    if pair_id is None:
        where += ")"
    else:
        where += " OR (s.pair_id = %s AND s.status = %s AND s.reasons LIKE %s))"
        params += [pair_id, RowStatus.REVIEW.value, "%DUP_POTENTIAL%"]
    rows: list = []
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute("CREATE TEMP TABLE IF NOT EXISTS silon_nik_probe (nik text) ON COMMIT DELETE ROWS")
            cursor.execute("TRUNCATE silon_nik_probe")
            copy_frame(cursor, "silon_nik_probe", niks.unique().to_frame("nik"), ["nik"], [])
            cursor.execute("ANALYZE silon_nik_probe")
            # driven from the probe: one (election, nik) index look-up per new NIK, whatever the size of the
            # election's supporter table and however stale its statistics after a mass withdrawal
            cursor.execute(
                f"SELECT {columns} FROM silon_nik_probe p "  # noqa: S608 (table names from model meta)
                f"CROSS JOIN LATERAL (SELECT * FROM {table} x WHERE x.election_id = %s AND x.nik = p.nik) s "
                f"JOIN {upload_table} u ON u.id = s.upload_id WHERE {where}",
                [election_id, *params],
            )
            rows = cursor.fetchall()
        else:
            values = niks.unique().to_list()
            sql = f"SELECT {columns} FROM {table} s JOIN {upload_table} u ON u.id = s.upload_id WHERE {where}"  # noqa: S608
            for start in range(0, len(values), 500):
                chunk = values[start : start + 500]
                cursor.execute(sql + f" AND s.nik IN ({', '.join(['%s'] * len(chunk))})", params + chunk)
                rows.extend(cursor.fetchall())
    return pl.DataFrame(rows, schema=schema, orient="row")
