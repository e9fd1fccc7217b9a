"""Writes to the region master data: loading a list version and choosing the default one.

A version is immutable once loaded: loading the same name again with the same content is a no-op, and with
different content it is refused, because a new Kepmendagri decree must become a new version (elections
keep pointing at the list they were set up with).
"""

import csv
import io
import time
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.utils.translation import gettext as _

from silon.audit import actions
from silon.audit.services import audit_record

from .loading import ParsedRegionList, RegionRow
from .models import Region, RegionListVersion

SQLITE_BATCH_SIZE = 5000


class RegionListConflict(Exception):
    """A version with this name exists with different content."""


@dataclass(frozen=True)
class LoadResult:
    version: RegionListVersion
    created: bool
    rows: int
    seconds: float


def region_list_load(
    *,
    regions: ParsedRegionList,
    name: str,
    decree: str = "",
    title: str = "",
    effective_date: date | None = None,
    source: str = "",
    make_default: bool | None = False,
    actor=None,
) -> LoadResult:
    """Store ``regions`` as the version ``name`` in one transaction and record it in the audit log.

    ``make_default``: True makes this version the default, False leaves the default alone, None makes it
    the default only when no version is the default yet (the package list on a fresh install).
    Loading an existing name with the same checksum changes nothing and returns ``created=False``.
    Raises :class:`RegionListConflict` when the name exists with other content.
    """
    started = time.perf_counter()
    name = name.strip()
    if not name:
        raise ValueError("a region list version needs a name")
    with transaction.atomic():
        existing = RegionListVersion.objects.select_for_update().filter(name=name).first()
        if existing is not None:
            _require_same_content(existing, regions, name=name)
            if make_default and not existing.is_default:
                region_list_set_default(version=existing, actor=actor)
                existing.refresh_from_db()
            return LoadResult(existing, False, existing.row_count, time.perf_counter() - started)
        version = _version_create(
            regions=regions,
            name=name,
            decree=decree,
            title=title,
            effective_date=effective_date,
            source=source,
            actor=actor,
        )
        if make_default or (make_default is None and not RegionListVersion.objects.filter(is_default=True).exists()):
            region_list_set_default(version=version, actor=actor)
            version.refresh_from_db()
    return LoadResult(version, True, len(regions.rows), time.perf_counter() - started)


def _require_same_content(existing: RegionListVersion, regions: ParsedRegionList, *, name: str) -> None:
    """A loaded version is immutable: the same name with other content is a new decree, refused here."""
    if existing.checksum != regions.checksum:
        raise RegionListConflict(
            _(
                "Versi %(name)s sudah dimuat dengan isi berbeda (checksum %(old)s, bukan %(new)s). "
                "Keputusan baru harus dimuat sebagai versi baru dengan nama lain."
            )
            % {"name": name, "old": existing.checksum[:12], "new": regions.checksum[:12]}
        )


def _version_create(
    *,
    regions: ParsedRegionList,
    name: str,
    decree: str,
    title: str,
    effective_date: date | None,
    source: str,
    actor,
) -> RegionListVersion:
    """The new version row, its regions and its audit event (inside the caller's transaction)."""
    version = RegionListVersion.objects.create(
        name=name,
        decree=decree,
        title=title,
        effective_date=effective_date,
        source=source,
        checksum=regions.checksum,
        row_count=len(regions.rows),
    )
    _insert_rows(version_id=version.pk, rows=regions.rows)
    audit_record(
        actor=actor,
        action=actions.REGIONS_LOAD,
        obj=version,
        after={
            "name": name,
            "decree": decree,
            "source": source,
            "checksum": regions.checksum,
            "rows": len(regions.rows),
            "levels": regions.level_counts,
            "kinds": regions.kind_counts,
        },
    )
    return version


def region_list_set_default(*, version: RegionListVersion, actor=None) -> RegionListVersion:
    """Make ``version`` the default list (the one pages, the API and new elections use unless told otherwise)."""
    with transaction.atomic():
        previous = list(RegionListVersion.objects.select_for_update().filter(is_default=True).exclude(pk=version.pk))
        # Clear first: the partial unique index allows one default row at any moment.
        RegionListVersion.objects.filter(pk__in=[v.pk for v in previous]).update(is_default=False)
        RegionListVersion.objects.filter(pk=version.pk).update(is_default=True)
        audit_record(
            actor=actor,
            action=actions.REGIONS_SET_DEFAULT,
            obj=version,
            before={"default": [v.name for v in previous]},
            after={"default": version.name},
        )
    version.is_default = True
    return version


def _insert_rows(*, version_id: int, rows: list[RegionRow]) -> None:
    if connection.vendor == "postgresql":
        _copy_rows(version_id=version_id, rows=rows)
    else:
        Region.objects.bulk_create(
            (
                Region(
                    version_id=version_id,
                    code=r.code,
                    name=r.name,
                    level=r.level,
                    kind=r.kind,
                    parent_code=r.parent_code,
                    search_name=r.search_name,
                )
                for r in rows
            ),
            batch_size=SQLITE_BATCH_SIZE,
        )


_COPY_COLUMNS = ("version_id", "code", "name", "level", "kind", "parent_code", "search_name")


def _copy_rows(*, version_id: int, rows: list[RegionRow]) -> None:
    """PostgreSQL ``COPY ... FROM STDIN``: one round trip for the whole list instead of ~90k inserts."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows((version_id, r.code, r.name, r.level, r.kind, r.parent_code, r.search_name) for r in rows)
    buffer.seek(0)
    table = connection.ops.quote_name(Region._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _COPY_COLUMNS)
    # In CSV format an unquoted empty field is NULL; province rows have an empty (not NULL) parent_code.
    not_null = ", ".join(connection.ops.quote_name(c) for c in _COPY_COLUMNS[1:])
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({not_null}))", buffer
        )
