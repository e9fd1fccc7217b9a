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
