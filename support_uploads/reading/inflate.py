"""What an xlsx archive really inflates to, whatever its zip directory says.

The sizes in a zip's central directory and local headers are written by whoever made the file: a bomb
under-reports them, and a reader that inflates a member until its deflate stream ends (calamine does) then
meets the real size. So every member is inflated here once, as a stream through ``zlib`` in bounded chunks,
from its local header to the end of its deflate stream (not to the end the directory claims), and the bytes
that really come out are counted against the budget. Nothing is kept: memory stays at one chunk, and
counting stops as soon as a member or the archive is over its bound, so a lie costs at most the budget's
worth of inflating.

A member that is itself a zip archive (a nested archive, a workbook or package embedded as an object) is
refused: no part of the template holds one, and whatever reads it would inflate again what was counted here
once.
"""

import struct
import zipfile
import zlib
from dataclasses import dataclass

# gettext_noop: a refusal keeps its msgid and parameters apart; it is translated where it is shown
from django.utils.translation import gettext_noop as _

from .common import FileRejected

CHUNK_IN = 1 << 20  # compressed bytes read at a time
CHUNK_OUT = 4 << 20  # inflated bytes produced at a time (zlib's max_length: a bomb cannot blow one step up)
STORED, DEFLATED = 0, 8
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # signature, version, flags, method, time, date, crc, sizes, lengths
_ARCHIVE_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


@dataclass(frozen=True)
class Budget:
    """The bounds on what an archive may inflate to: ``total`` bytes over all members; and, past ``floor``
    bytes, at most ``ratio`` inflated bytes per compressed byte, per member and over the archive."""

    total: int
    ratio: int
    floor: int


def bomb() -> FileRejected:
    return FileRejected(
        "ZIP_BOMB", _("Berkas xlsx terlalu besar setelah diekstrak (kemungkinan bom zip). Simpan ulang dari Excel.")
    )


def unreadable() -> FileRejected:
    return FileRejected(
        "CORRUPT", _("Berkas xlsx tidak dapat dibaca (rusak). Simpan ulang dari Excel lalu unggah lagi.")
    )


def nested() -> FileRejected:
    return FileRejected(
        "NESTED_ARCHIVE",
        _(
            "Berkas xlsx berisi arsip atau berkas lain yang disisipkan (objek tersemat). "
            "Salin data sebagai nilai (Paste Values) ke templat B.1-KWK lalu unggah lagi."
        ),
    )


def inflated_sizes(path, members: list[zipfile.ZipInfo], budget: Budget) -> dict[str, int]:
    """Each member's name → the bytes it really inflates to. Raises ``ZIP_BOMB`` as soon as a member or the
    whole archive goes over ``budget``, ``NESTED_ARCHIVE`` for an archive inside, ``CORRUPT`` for a member
    that cannot be read (bad local header, encryption, a compression method Excel never writes)."""
    if _over(budget, [(info.compress_size, info.file_size) for info in members]):
        raise bomb()  # an honest bomb says so in its directory: no need to inflate it to find out
    sizes: dict[str, int] = {}
    total_in = total_out = 0
    with open(path, "rb") as fh:
        file_size = fh.seek(0, 2)
        for info in members:
            start = _data_start(fh, info)
            left = budget.total - total_out
            # a member's own bound: its ratio over every compressed byte it could possibly span
            cap = min(left, max(budget.floor, budget.ratio * (file_size - start)))
            used, out = _inflate(fh, info, start, cap)
            if out > cap or _over(budget, [(used, out)]):
                raise bomb()
            total_in, total_out = total_in + used, total_out + out
            sizes[info.filename] = out
    if _over(budget, [(total_in, total_out)]):
        raise bomb()  # many small parts, each under the floor, that together inflate like a bomb
    return sizes


def _over(budget: Budget, sizes: list[tuple[int, int]]) -> bool:
    """Whether (compressed, inflated) sizes, as declared, are already over ``budget``."""
    total_in, total_out = sum(c for c, _ in sizes), sum(o for _, o in sizes)
    if total_out > budget.total or (total_out > budget.floor and total_out > budget.ratio * max(total_in, 1)):
        return True
    return any(out > budget.floor and out > budget.ratio * max(used, 1) for used, out in sizes)


def _data_start(fh, info: zipfile.ZipInfo) -> int:
    """Where the member's data begins, from its local header (whose name and extra field lengths may differ
    from the central directory's); the header must be one and agree on the method."""
    fh.seek(info.header_offset)
    raw = fh.read(_LOCAL_HEADER.size)
    if len(raw) < _LOCAL_HEADER.size:
        raise unreadable()
    signature, _version, flags, method, *_rest, name_length, extra_length = _LOCAL_HEADER.unpack(raw)
    if signature != b"PK\x03\x04" or method != info.compress_type or flags & 0x1 or info.flag_bits & 0x1:
        raise unreadable()  # not a member, a method the directory hides, or encrypted
    return info.header_offset + _LOCAL_HEADER.size + name_length + extra_length


def _inflate(fh, info: zipfile.ZipInfo, start: int, cap: int) -> tuple[int, int]:
    """(compressed bytes consumed, bytes inflated) for one member, stopping once past ``cap``."""
    fh.seek(start)
    if info.compress_type == STORED:
        # a stored member is read for as long as the directory says (either of its two sizes)
        size = max(info.compress_size, info.file_size)
        head = fh.read(min(size, 8))
        if head.startswith(_ARCHIVE_MAGICS):
            raise nested()
        return size, size
    if info.compress_type != DEFLATED:
        raise unreadable()
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    used = out = 0
    head = b""
    # the declared compressed size is only a hint for the first read (most members are small: a chunk each
    # would read megabytes past them); the stream is followed to its end whatever it says
    want = min(CHUNK_IN, info.compress_size + 1024)
    try:
        while not inflater.eof and out <= cap:
            data = inflater.unconsumed_tail or fh.read(want)
            want = CHUNK_IN
            if not data:
                break  # the file ended inside the stream: the reader fails there too
            if not inflater.unconsumed_tail:
                used += len(data)
            piece = inflater.decompress(data, CHUNK_OUT)
            if len(head) < 8:
                head += piece[: 8 - len(head)]
                if head.startswith(_ARCHIVE_MAGICS):
                    raise nested()
            out += len(piece)
    except zlib.error as exc:
        raise unreadable() from exc
    return used - len(inflater.unused_data), out
