"""The COPY stream of support_uploads/storage.py: the frame's CSV, written slice by slice as COPY reads it."""

import polars as pl
import pytest

from support_uploads.storage import FrameCsv


@pytest.mark.parametrize("size", [1, 7, 64, 1 << 20])
def test_the_stream_is_the_frames_csv_whatever_the_read_size(size):
    frame = pl.DataFrame({"nik": [f"52{i:014d}" for i in range(1_003)], "name": ['A, "B"\\nC', None] * 501 + ["é"]})
    stream, parts = FrameCsv(frame, rows_per_slice=100), []
    while chunk := stream.read(size):
        assert len(chunk) <= size
        parts.append(chunk)
    assert b"".join(parts) == frame.write_csv(include_header=False, null_value="").encode()
    assert stream.read(size) == b""  # stays at the end


@pytest.mark.postgres
@pytest.mark.django_db
def test_copy_goes_through_the_debug_cursor_too():
    """With DEBUG (the embedded default, and a bench worker), Django wraps the cursor in CursorDebugWrapper,
    whose copy_expert takes the size positionally only: COPY must work through either wrapper."""
    from django.db import connection

    from support_uploads.storage import copy_frame

    frame = pl.DataFrame({"nik": ["5201010101900001", "5201010101900002"]})
    for debug in (False, True):
        connection.force_debug_cursor = debug
        try:
            with connection.cursor() as cursor:
                cursor.execute("CREATE TEMP TABLE IF NOT EXISTS silon_copy_probe (nik text)")
                cursor.execute("TRUNCATE silon_copy_probe")
                copy_frame(cursor, "silon_copy_probe", frame, ["nik"], [])
                cursor.execute("SELECT nik FROM silon_copy_probe ORDER BY nik")
                assert [r[0] for r in cursor.fetchall()] == frame.get_column("nik").to_list()
        finally:
            connection.force_debug_cursor = False
