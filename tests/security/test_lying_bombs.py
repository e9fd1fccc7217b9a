"""No file can push a worker past a hard memory bound (issue #16).

Zip bombs that lie (sizes under-reported in the central directory and the local headers, a data descriptor
hiding them, one deflate stream under many names, many small parts, archives nested in the archive) are
refused from the bytes they really inflate to, whatever their directory says (``reading.inflate``). A file
within every archive bound that is still too heavy to hold (one shared string of a megabyte, copied into
every cell that names it) meets the read's memory ceiling (``reading.bounded``: a child process under
``RLIMIT_AS``) and is refused ``MEMORY_LIMIT``, not retryable. Each through the real upload service; then an
honest upload goes through. And in a fresh process standing in for the worker: the reading children's peak
resident memory stays under the ceiling, the worker's own stays at its size, and it reads an honest file.

The budget is small here (``SUPPORT_UPLOAD_MAX_ROWS`` 1,000: 64 MB + 4 KB per row; the memory ceiling 768
MiB), so each bomb is built and refused in about a second."""

import io
import json
import signal
import subprocess
import sys
import uuid
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from support_uploads.models import Upload, UploadStatus
from support_uploads.reading import FileRejected, bounded, inflate
from support_uploads.services import upload_create
from support_uploads.services.pipeline import DEFAULT_MAX_ROWS
from tests.conftest import ROOT
from tests.support_uploads.conftest import csv_bytes, rows_for, template_xlsx

from . import zipcraft

pytestmark = pytest.mark.django_db

MAX_ROWS = 1000
READ_CEILING = 768 << 20  # address space of the reading child (one that reads an honest file peaks near 370 MiB)
WORKER_GROWTH = 96 << 20  # what the worker standing-in process may grow by while its children read
PADDING = b" " * (4 << 20)


@pytest.fixture(autouse=True)
def bounds(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SUPPORT_UPLOAD_MAX_ROWS = MAX_ROWS
    settings.SUPPORT_UPLOAD_READ_MEMORY_BYTES = READ_CEILING


def _sheet(members: list[zipcraft.Member]) -> int:
    return next(i for i, m in enumerate(members) if m.name.startswith("xl/worksheets/sheet"))


def _padded_sheet(member: zipcraft.Member, padding_chunks: int, **lies) -> zipcraft.Member:
    """The sheet part with ``padding_chunks`` × 4 MiB of whitespace inside ``<sheetData>``."""
    original = zlib_inflate(member.data)
    cut = original.index(b"<sheetData>") + len(b"<sheetData>")
    return zipcraft.repeated(member.name, original[:cut], PADDING, padding_chunks, original[cut:], **lies)


def zlib_inflate(raw: bytes) -> bytes:
    return zlib.decompress(raw, -zlib.MAX_WBITS)


def under_reported(xlsx: bytes, *, compressed_too: bool = False, descriptor: bool = False) -> bytes:
    """A sheet that inflates to 96 MiB while both its local header and the central directory say it is as
    small as the honest sheet (``compressed_too``: its compressed size lies as well; ``descriptor``: the
    local header says nothing, a data descriptor after the data lies)."""
    members = zipcraft.members_of(xlsx)
    index = _sheet(members)
    honest = members[index]
    lies = {"declared_size": honest.size, "flags": zipcraft.DATA_DESCRIPTOR if descriptor else 0}
    if compressed_too:
        lies["declared_compressed"] = len(honest.data)
    members[index] = _padded_sheet(honest, 24, **lies)
    return zipcraft.write(members)


def one_stream_many_names(xlsx: bytes) -> bytes:
    """Twelve directory entries that all point at one 8 MiB deflate stream, each declaring 8 KiB: each alone
    is under the 16 MB floor a member's ratio is judged from, but a reader that follows the directory
    inflates the stream twelve times (96 MiB)."""
    members = zipcraft.members_of(xlsx)
    kernel = zipcraft.deflated("customXml/item0.xml", [PADDING, PADDING], declared_size=8 << 10)
    aliases = [
        zipcraft.Member(
            f"customXml/item{i}.xml",
            kernel.data,
            kernel.method,
            kernel.crc,
            kernel.size,
            declared_size=kernel.declared_size,
            shares_data_of=len(members),
        )
        for i in range(1, 12)
    ]
    return zipcraft.write([*members, kernel, *aliases])


def many_small_parts(xlsx: bytes) -> bytes:
    """Forty parts of 1 MiB of whitespace each, each declaring 4 KiB: none is over the 16 MB floor a single
    member's ratio is judged from, but together they inflate a thousand times their compressed size."""
    members = zipcraft.members_of(xlsx)
    parts = [zipcraft.deflated(f"xl/media/image{i}.bin", [PADDING[: 1 << 20]], declared_size=4096) for i in range(40)]
    return zipcraft.write([*members, *parts])


def nested(xlsx: bytes, *, method: int) -> bytes:
    """An embedded object that is itself a zip holding a zip of 64 MiB of whitespace."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("padding.xml", PADDING * 16)
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("xl/embeddings/Microsoft_Excel_Worksheet1.xlsx", inner.getvalue())
    members = zipcraft.members_of(xlsx)
    if method == zipfile.ZIP_STORED:
        embedded = zipcraft.stored("xl/embeddings/oleObject1.bin", outer.getvalue())
    else:
        embedded = zipcraft.deflated("xl/embeddings/oleObject1.bin", [outer.getvalue()])
    return zipcraft.write([*members, embedded])


def shared_string_amplifier(xlsx: bytes, *, rows: int = 80, string: int = 1 << 20) -> bytes:
    """Within every archive bound (about 1 MiB inflated), and yet heavy: one shared string of ``string`` bytes
    that every cell of ``rows`` data rows names. A reader copies it into each cell: rows × 14 × 1 MiB."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    sheet = sorted(n for n in parts if n.startswith("xl/worksheets/sheet"))[0]
    index = 0  # the template writes its text inline: the shared-strings part is this one string
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>" + b"A" * string + b"</t></si></sst>"
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    xml = parts[sheet]
    header_end = xml.index(b"</row>") + len(b"</row>")
    letters = [chr(65 + i) for i in range(14)]
    body = b"".join(
        b'<row r="%d">' % r
        + b"".join(b'<c r="%s%d" t="s"><v>%d</v></c>' % (c.encode(), r, index) for c in letters)
        + b"</row>"
        for r in range(2, rows + 2)
    )
    parts[sheet] = xml[:header_end] + body + xml[xml.index(b"</sheetData>") :]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


BOMBS = {
    # name: (build from the honest template xlsx, the refusal)
    "sizes-under-reported": (under_reported, "ZIP_BOMB"),
    "compressed-size-too": (lambda x: under_reported(x, compressed_too=True), "ZIP_BOMB"),
    "data-descriptor": (lambda x: under_reported(x, descriptor=True), "ZIP_BOMB"),
    "one-stream-many-names": (one_stream_many_names, "ZIP_BOMB"),
    "many-small-parts": (many_small_parts, "ZIP_BOMB"),
    "nested-deflated": (lambda x: nested(x, method=zipfile.ZIP_DEFLATED), "NESTED_ARCHIVE"),
    "nested-stored": (lambda x: nested(x, method=zipfile.ZIP_STORED), "NESTED_ARCHIVE"),
    "shared-string-amplifier": (shared_string_amplifier, "MEMORY_LIMIT"),
}


def _upload(pair, lo, content: bytes, name: str, capture) -> Upload:
    with capture(execute=True):
        upload = upload_create(actor=lo, pair=pair, file=SimpleUploadedFile(name, content), max_bytes=len(content) + 1)
    upload.refresh_from_db()
    return upload


def test_the_directory_lies_where_it_is_read(pair, villages, tmp_path):
    """The under-reported bomb looks small to anything that believes its directory (the check before this
    issue did); counting what really inflates finds the truth."""
    path = tmp_path / "bom.xlsx"
    path.write_bytes(under_reported(template_xlsx(pair, rows_for(villages, 2))))
    with zipfile.ZipFile(path) as zf:
        members = zf.infolist()
    sheet = next(i for i in members if i.filename.startswith("xl/worksheets/sheet"))
    assert sheet.file_size < 64 << 10 and sheet.file_size / sheet.compress_size < 200
    sizes = inflate.inflated_sizes(path, members, inflate.Budget(total=1 << 40, ratio=1 << 20, floor=0))
    assert sizes[sheet.filename] == sheet.file_size + 24 * len(PADDING)  # 96 MiB more than declared


def test_an_honest_archive_counts_what_its_directory_says(pair, villages, tmp_path):
    path = tmp_path / "jujur.xlsx"
    path.write_bytes(template_xlsx(pair, rows_for(villages, 50)))
    with zipfile.ZipFile(path) as zf:
        members = zf.infolist()
    budget = inflate.Budget(total=64 << 20, ratio=200, floor=16 << 20)
    assert inflate.inflated_sizes(path, members, budget) == {i.filename: i.file_size for i in members}


@pytest.mark.parametrize("name", list(BOMBS))
def test_a_lying_bomb_is_refused_and_the_next_upload_goes_through(
    name, pair, lo, villages, django_capture_on_commit_callbacks
):
    build, code = BOMBS[name]
    bomb = build(template_xlsx(pair, rows_for(villages, 2)))
    assert len(bomb) < 2 << 20, len(bomb)
    upload = _upload(pair, lo, bomb, "bom.xlsx", django_capture_on_commit_callbacks)
    assert (upload.status, upload.error_code) == (UploadStatus.FAILED, code), upload.error_message
    assert not upload.is_retryable  # the file is the cause: the same file would meet the same bound
    assert "berkas" in upload.error_message.lower()
    honest = _upload(
        pair, lo, template_xlsx(pair, rows_for(villages, 3)), "jujur.xlsx", django_capture_on_commit_callbacks
    )
    assert (honest.status, honest.rows_read) == (UploadStatus.DONE, 3), (honest.error_code, honest.error_message)


def test_the_memory_refusal_is_shown_in_both_languages(pair, lo, villages, django_capture_on_commit_callbacks):
    bomb = shared_string_amplifier(template_xlsx(pair, rows_for(villages, 2)))
    upload = _upload(pair, lo, bomb, "berat.xlsx", django_capture_on_commit_callbacks)
    assert upload.error_code == "MEMORY_LIMIT"
    assert "batas memori server (768 MiB)" in upload.error_message
    from support_uploads.messages import format_message

    detail = upload.error_detail
    with translation.override("en"):
        english = format_message(detail["msgid"], detail["params"])
    assert english != upload.error_message and "memory" in english and "768 MiB" in english


def test_a_fresh_worker_process_stays_at_its_size_while_bombs_are_read(pair, villages, tmp_path):
    """Every bomb, then an honest file, read as the worker reads them, in a process of its own: each answer
    as above, the reading children's peak under the ceiling, and the worker's own resident size unchanged."""
    xlsx = template_xlsx(pair, rows_for(villages, 2))
    files = []
    for name, (build, _code) in BOMBS.items():
        files.append(tmp_path / f"{name}.xlsx")
        files[-1].write_bytes(build(xlsx))
    files.append(tmp_path / "jujur.xlsx")
    files[-1].write_bytes(template_xlsx(pair, rows_for(villages, 3)))
    files.append(tmp_path / "jujur.csv")
    files[-1].write_bytes(csv_bytes(rows_for(villages, 3)))
    job = tmp_path / "job.json"
    job.write_text(
        json.dumps(
            {
                "election_id": pair.election_id,
                "pair_id": pair.pk,
                "max_rows": MAX_ROWS,
                "memory_limit": READ_CEILING,
                "files": [str(f) for f in files],
            }
        )
    )
    script = Path(__file__).with_name("bounded_read_probe.py")
    done = subprocess.run(
        [sys.executable, str(script), str(job)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    start, reads, peaks = lines[0], lines[1:-1], lines[-1]
    expected = [code for _build, code in BOMBS.values()]
    assert [r.get("code") for r in reads[:-2]] == expected, reads
    assert [r.get("rows") for r in reads[-2:]] == [3, 3], reads
    assert peaks["children_peak"] < READ_CEILING, f"a reader peaked at {peaks['children_peak'] >> 20} MB"
    for read in reads:  # the worker's high-water mark while each file was read, and its size after
        assert read["peak"] - start["rss_before"] < WORKER_GROWTH, (read, start)
        assert read["rss"] - start["rss_before"] < WORKER_GROWTH, (read, start)


def the_issues_bomb(xlsx: bytes) -> bytes:
    """The file of issue #16: a sheet of 1 GiB (whitespace inside ``<sheetData>``) in an archive of about a
    megabyte whose directory and local header say the sheet is as small as the honest one."""
    members = zipcraft.members_of(xlsx)
    index = _sheet(members)
    members[index] = _padded_sheet(members[index], 256, declared_size=members[index].size)
    return zipcraft.write(members)


def test_the_issues_bomb_meets_the_real_bounds_in_a_fresh_process(pair, villages, tmp_path):
    """With the real bounds (2.5M rows: a 10 GB inflate budget; the 6 GiB read ceiling): the 1 GiB lying sheet
    is refused after counting at most 200 times the file's size, its reader peaks under 512 MiB, and the
    worker's process then reads an honest file."""
    bomb = tmp_path / "bom-1gib.xlsx"
    bomb.write_bytes(the_issues_bomb(template_xlsx(pair, rows_for(villages, 2))))
    assert bomb.stat().st_size < 2 << 20
    honest = tmp_path / "jujur.xlsx"
    honest.write_bytes(template_xlsx(pair, rows_for(villages, 3)))
    job = tmp_path / "job.json"
    job.write_text(
        json.dumps(
            {
                "election_id": pair.election_id,
                "pair_id": pair.pk,
                "max_rows": DEFAULT_MAX_ROWS,
                "memory_limit": bounded.DEFAULT_READ_MEMORY_BYTES,
                "files": [str(bomb), str(honest)],
            }
        )
    )
    script = Path(__file__).with_name("bounded_read_probe.py")
    done = subprocess.run(
        [sys.executable, str(script), str(job)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    start, refused, read, peaks = (json.loads(line) for line in done.stdout.splitlines() if line.startswith("{"))
    assert (refused.get("code"), read.get("rows")) == ("ZIP_BOMB", 3), (refused, read)
    assert peaks["children_peak"] < 512 << 20, f"the reader peaked at {peaks['children_peak'] >> 20} MB"
    assert refused["peak"] - start["rss_before"] < WORKER_GROWTH, (refused, start)


@pytest.mark.parametrize(
    ("returncode", "stderr", "expected"),
    [
        (-signal.SIGABRT, b"memory allocation of 1048576 bytes failed\n", "MEMORY_LIMIT"),  # Rust, native code
        (1, b"Traceback (most recent call last):\nMemoryError\n", "MEMORY_LIMIT"),
        (-signal.SIGKILL, b"", "MEMORY_LIMIT"),  # the kernel's out-of-memory killer
        (-signal.SIGSEGV, b"", RuntimeError),  # a crash that is not the file's size: a server fault, retryable
        (1, b"Traceback (most recent call last):\nImportError: no module\n", RuntimeError),
    ],
)
def test_how_a_reader_that_left_no_result_ended_decides_the_answer(returncode, stderr, expected, tmp_path):
    (tmp_path / "stderr").write_bytes(stderr)
    if expected is RuntimeError:
        with pytest.raises(RuntimeError):
            bounded._outcome(tmp_path, returncode, READ_CEILING)
    else:
        with pytest.raises(FileRejected) as refused:
            bounded._outcome(tmp_path, returncode, READ_CEILING)
        assert refused.value.code == expected


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_refuses_a_heavy_file_and_stays_at_its_size(pair, lo, villages, tmp_path):
    """On a real prefork worker (PostgreSQL + Redis) configured with the small ceiling: an honest upload, the
    heavy file (refused ``MEMORY_LIMIT``), an honest upload again; the same pool process ran all three and is
    no larger after the heavy file than before it; and the worker runs with its memory-per-child ceiling."""
    import psutil
    from celery import current_app

    from tests.support_uploads.test_worker import _kill_group, _start_worker, _wait

    queue = f"silon-test-bomb-{uuid.uuid4().hex[:8]}"
    previous, current_app.conf.task_default_queue = current_app.conf.task_default_queue, queue
    limits = {"SUPPORT_UPLOAD_READ_MEMORY_BYTES": str(READ_CEILING), "SUPPORT_UPLOAD_MAX_ROWS": str(MAX_ROWS)}
    worker = _start_worker(queue, "bomb-worker.log", MEDIA_ROOT=str(tmp_path), **limits)
    try:

        def validated(content: bytes, name: str) -> Upload:
            upload = upload_create(actor=lo, pair=pair, file=SimpleUploadedFile(name, content), max_bytes=10**7)
            return _wait(upload.pk, lambda u: u.is_finished and (u.status == UploadStatus.FAILED or u.report))

        first = validated(csv_bytes(rows_for(villages, 3)), "jujur.csv")
        assert first.status == UploadStatus.DONE, (first.error_code, first.error_message)
        (pool,) = psutil.Process(worker.pid).children()
        before = pool.memory_info().rss
        heavy = validated(shared_string_amplifier(template_xlsx(pair, rows_for(villages, 2))), "berat.xlsx")
        assert (heavy.status, heavy.error_code, heavy.is_retryable) == (UploadStatus.FAILED, "MEMORY_LIMIT", False)
        assert psutil.Process(worker.pid).children() == [pool] and not pool.children()  # no reader left behind
        assert pool.memory_info().rss - before < WORKER_GROWTH
        honest = validated(template_xlsx(pair, rows_for(villages, 3, start=3)), "jujur.xlsx")
        assert (honest.status, honest.rows_read) == (UploadStatus.DONE, 3), (honest.error_code, honest.error_message)
        (conf,) = current_app.control.inspect(timeout=5).conf().values()
        assert conf["CELERY_WORKER_MAX_MEMORY_PER_CHILD"] == settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD
    finally:
        _kill_group(worker)
        current_app.conf.task_default_queue = previous


def test_a_task_that_stops_waiting_leaves_no_reader_behind(monkeypatch, pair, villages, tmp_path):
    """The soft time limit raises inside the task while it waits for its reader: the reader is killed (and its
    work directory removed) before the task's failure is handled."""
    from celery.exceptions import SoftTimeLimitExceeded

    readers, real_wait = [], subprocess.Popen.wait

    def wait(self, timeout=None):
        if not readers:
            readers.append(self)
            raise SoftTimeLimitExceeded()
        return real_wait(self, timeout)

    monkeypatch.setattr(subprocess.Popen, "wait", wait)
    path = tmp_path / "jujur.xlsx"
    path.write_bytes(template_xlsx(pair, rows_for(villages, 3)))
    with pytest.raises(SoftTimeLimitExceeded):
        bounded.read_upload_bounded(
            path, election_id=pair.election_id, pair_id=pair.pk, max_rows=MAX_ROWS, memory_limit=READ_CEILING
        )
    (reader,) = readers
    assert reader.returncode == -signal.SIGKILL
    assert not Path(reader.args[-1]).exists()  # the job file, in the removed work directory
