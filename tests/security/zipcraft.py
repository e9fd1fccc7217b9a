"""Zip archives written byte by byte, so that their directory can lie: the sizes and CRC in the local headers
and the central directory are whatever a test declares, not what the data inflates to. Not a test module.

``zipfile`` cannot write such a file (it always records the truth), and a bomb is exactly such a file."""

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

LOCAL = struct.Struct("<4s5H3L2H")
CENTRAL = struct.Struct("<4s6H3L5H2L")
END = struct.Struct("<4s4H2LH")
DATA_DESCRIPTOR = 0x08


@dataclass
class Member:
    name: str
    data: bytes  # as stored (raw deflate for method 8)
    method: int
    crc: int
    size: int  # what it really inflates to
    declared_size: int | None = None  # what the headers say it inflates to (None: the truth)
    declared_compressed: int | None = None  # what the headers say it takes compressed (None: the truth)
    flags: int = 0
    shares_data_of: int | None = None  # index of an earlier member whose local header and data this one reuses


def deflated(name: str, chunks: Iterable[bytes], **lies) -> Member:
    """A deflated member from ``chunks`` (streamed: a gigabyte of padding never sits in memory at once)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    out, crc, size = io.BytesIO(), 0, 0
    for chunk in chunks:
        out.write(packer.compress(chunk))
        crc, size = zlib.crc32(chunk, crc), size + len(chunk)
    out.write(packer.flush())
    return Member(name, out.getvalue(), zipfile.ZIP_DEFLATED, crc, size, **lies)


def repeated(name: str, head: bytes, chunk: bytes, times: int, tail: bytes, **lies) -> Member:
    """``head``, ``times`` × ``chunk``, ``tail``, deflated in seconds whatever ``times`` is: each piece ends in a
    full flush (byte-aligned, no history), so the chunk's compressed blocks are written once and repeated. Its
    CRC is not computed (0): a bomb's CRC is a lie like its sizes, and nothing reads that far."""

    def blocks(data: bytes, final: bool = False) -> bytes:
        packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        return packer.compress(data) + packer.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)

    data = blocks(head) + blocks(chunk) * times + blocks(tail, final=True)
    size = len(head) + len(chunk) * times + len(tail)
    return Member(name, data, zipfile.ZIP_DEFLATED, 0, size, **lies)


def stored(name: str, data: bytes) -> Member:
    return Member(name, data, zipfile.ZIP_STORED, zlib.crc32(data), len(data))


def members_of(xlsx: bytes) -> list[Member]:
    """The members of a real archive, each deflated again as it is (honest headers)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        return [deflated(info.filename, [zf.read(info)]) for info in zf.infolist()]


def write(members: list[Member]) -> bytes:
    """The archive: local headers and data, then the central directory, as each member declares."""
    out = io.BytesIO()
    offsets: list[int] = []
    for member in members:
        if member.shares_data_of is not None:
            offsets.append(offsets[member.shares_data_of])
            continue
        offsets.append(out.tell())
        size, compressed = _declared(member)
        in_local = (0, 0, 0) if member.flags & DATA_DESCRIPTOR else (member.crc, compressed, size)
        name = member.name.encode()
        out.write(LOCAL.pack(b"PK\x03\x04", 20, member.flags, member.method, 0, 0x21, *in_local, len(name), 0))
        out.write(name + member.data)
        if member.flags & DATA_DESCRIPTOR:
            out.write(struct.pack("<4s3L", b"PK\x07\x08", member.crc, compressed, size))
    start = out.tell()
    for member, offset in zip(members, offsets, strict=True):
        size, compressed = _declared(member)
        name = member.name.encode()
        out.write(
            CENTRAL.pack(
                b"PK\x01\x02",
                20,
                20,
                member.flags,
                member.method,
                0,
                0x21,
                member.crc,
                compressed,
                size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
        )
        out.write(name)
    directory = out.tell() - start
    out.write(END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), directory, start, 0))
    return out.getvalue()


def _declared(member: Member) -> tuple[int, int]:
    size = member.size if member.declared_size is None else member.declared_size
    compressed = len(member.data) if member.declared_compressed is None else member.declared_compressed
    return size, compressed
