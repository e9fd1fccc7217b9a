"""Writes on elections: creation and edits within the operator's reach, and the DPT per sub-region."""

import csv
import datetime
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from regions.models import Level, Region, RegionListVersion
from silon.accounts.models import User
from silon.audit import actions
from silon.audit.services import audit_record
from silon.numbers import grouped

from ..access import require_manage_election
from ..kinds import KINDS
from ..models import COUNT_MAX, Election, ElectionAreaDpt, ElectionType, RegulationVersion
from ..schedule import schedule_latest_end
from ..selectors import election_spread_level
from .stages import require_plausible_day

CSV_MAX_LINES = 10_000


def election_region_resolve(*, region_version: RegionListVersion, type: str, region_code: str) -> Region:
    """The region an election of ``type`` is held in, checked against the list version; refuse a mismatch."""
    # the level (and, for regent/mayor, the kind) of region the type is held in (UU 10/2016 Pasal 1; a DPD
    # election per province, UU 7/2017 Pasal 196)
    election_kind = KINDS[ElectionType(type)]
    level, kind = election_kind.region_level, election_kind.region_kind
    region = Region.objects.filter(version=region_version, code=region_code.strip()).first()
    if region is None:
        raise ValidationError(
            {
                "region_code": _("Kode wilayah %(code)s tidak ada pada %(version)s.")
                % {"code": region_code, "version": region_version}
            }
        )
    if region.level != level or (kind and region.kind not in (kind, "")):
        raise ValidationError(
            {
                "region_code": _("%(region)s bukan wilayah untuk pemilihan %(type)s.")
                % {"region": region, "type": ElectionType(type).label}
            }
        )
    return region


def _require_polling_day(election: Election, polling_day: datetime.date) -> None:
    """A plausible polling day (relative to today), after every stage the election already schedules."""
    require_plausible_day(polling_day, what=_("Hari pemungutan suara"))
    if election.pk is None:
        return
    last = schedule_latest_end(election)
    if last is not None and timezone.localtime(last).date() >= polling_day:
        raise ValidationError(
            {
                "polling_day": _("Hari pemungutan suara harus sesudah tahapan terakhir (berakhir %(end)s).")
                % {"end": date_format(timezone.localtime(last), "DATETIME_FORMAT")}
            }
        )


def _snapshot(election: Election) -> dict:
    return {
        "name": election.name,
        "type": election.type,
        "region_version": election.region_version_id,
        "regulation": election.regulation_id,
        "region_code": election.region_code,
        "polling_day": election.polling_day,
        "dpt": election.dpt,
        "total_valid_votes": election.total_valid_votes,
        "total_seats": election.total_seats,
    }


@transaction.atomic
def election_create(
    *,
    actor: User,
    name: str,
    type: str,
    region_version: RegionListVersion,
    regulation: RegulationVersion,
    region_code: str,
    polling_day: datetime.date,
    dpt: int,
    total_valid_votes: int | None = None,
    total_seats: int | None = None,
) -> Election:
    region = election_region_resolve(region_version=region_version, type=type, region_code=region_code)
    require_plausible_day(polling_day, what=_("Hari pemungutan suara"))
    election = Election(
        name=name,
        type=type,
        region_version=region_version,
        regulation=regulation,
        region_code=region.code,
        region_name=region.name,
        polling_day=polling_day,
        dpt=dpt,
        total_valid_votes=total_valid_votes,
        total_seats=total_seats,
        created_by=actor,
    )
    require_manage_election(actor, election)
    election.full_clean()
    election.save()
    audit_record(
        actor=actor,
        action=actions.ELECTION_CREATE,
        obj=election,
        region_code=election.region_code,
        after=_snapshot(election),
    )
    return election


@transaction.atomic
def election_update(
    *,
    actor: User,
    election: Election,
    name: str,
    type: str,
    region_version: RegionListVersion,
    regulation: RegulationVersion,
    region_code: str,
    polling_day: datetime.date,
    dpt: int,
    total_valid_votes: int | None = None,
    total_seats: int | None = None,
) -> Election:
    """Edit an election. Its region, type and list version are fixed once it has pairs."""
    require_manage_election(actor, election)
    before = _snapshot(election)
    moved = (type, region_code.strip(), region_version.pk) != (
        election.type,
        election.region_code,
        election.region_version_id,
    )
    if moved and election.pairs.exists():
        raise ValidationError(
            _("Jenis, wilayah, dan versi daftar wilayah tidak dapat diubah setelah ada pasangan calon.")
        )
    region = election_region_resolve(region_version=region_version, type=type, region_code=region_code)
    _require_polling_day(election, polling_day)
    election.name = name
    election.type = type
    election.region_version = region_version
    election.regulation = regulation
    election.region_code = region.code
    election.region_name = region.name
    election.polling_day = polling_day
    election.dpt = dpt
    election.total_valid_votes = total_valid_votes
    election.total_seats = total_seats
    require_manage_election(actor, election)  # the new region must be within reach too
    election.full_clean()
    election.save()
    audit_record(
        actor=actor,
        action=actions.ELECTION_UPDATE,
        obj=election,
        region_code=election.region_code,
        before=before,
        after=_snapshot(election),
    )
    return election


def csv_rows(text: str, header: list[str]):
    """Yield (line number, cells) of a small CSV, skipping blank lines and an optional header row."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    for index, cells in enumerate(reader, start=1):
        if index > CSV_MAX_LINES:
            raise ValidationError(_("Berkas CSV melebihi %(n)s baris.") % {"n": CSV_MAX_LINES})
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if index == 1 and [c.lower() for c in cells] == header:
            continue
        yield index, cells


def parse_count(value: str) -> int | None:
    """A non-negative whole number written plainly or with thousands dots/commas (``3.568.594``)."""
    plain = value.replace(".", "").replace(",", "").replace(" ", "")
    # ASCII digits only, and few enough of them: int() of a 10,000-digit cell is refused (and slow)
    return int(plain) if plain.isascii() and plain.isdigit() and len(plain) <= 30 else None


def count_out_of_range(value: int | None, maximum: int) -> bool:
    return value is not None and not 0 <= value <= maximum


@transaction.atomic
def election_area_dpt_import(*, actor: User, election: Election, text: str) -> int:
    """Replace the DPT per sub-region from CSV ``region_code,dpt``. Every error names its line; nothing is
    saved unless every line is valid."""
    require_manage_election(actor, election)
    level = election_spread_level(election)
    units = {
        r.code: r
        for r in Region.objects.filter(version=election.region_version, level=level, parent_code=election.region_code)
    }
    errors, rows, seen = [], [], set()
    for line, cells in csv_rows(text, ["region_code", "dpt"]):
        if len(cells) != 2:
            errors.append(_("Baris %(line)s: harus 2 kolom (region_code,dpt).") % {"line": line})
            continue
        code, raw_dpt = cells
        dpt = parse_count(raw_dpt)
        if code not in units:
            exists = Region.objects.filter(version=election.region_version, code=code).exists()
            errors.append(
                (
                    _("Baris %(line)s: wilayah %(code)s bukan %(level)s di %(region)s.")
                    if exists
                    else _("Baris %(line)s: kode wilayah %(code)s tidak ada pada versi daftar wilayah %(version)s.")
                )
                % {
                    "line": line,
                    "code": code,
                    "level": Level(level).label,
                    "region": election.region_name,
                    "version": election.region_version,
                }
            )
        elif code in seen:
            errors.append(_("Baris %(line)s: kode wilayah %(code)s ganda.") % {"line": line, "code": code})
        if dpt is None:
            errors.append(_("Baris %(line)s: DPT «%(value)s» bukan bilangan bulat.") % {"line": line, "value": raw_dpt})
        elif count_out_of_range(dpt, COUNT_MAX):
            errors.append(
                _("Baris %(line)s: DPT %(value)s di luar batas (0 sampai %(max)s).")
                % {"line": line, "value": raw_dpt, "max": grouped(COUNT_MAX)}
            )
            dpt = None
        if code in units and code not in seen and dpt is not None:
            rows.append(ElectionAreaDpt(election=election, region_code=code, region_name=units[code].name, dpt=dpt))
        seen.add(code)
    if not errors and not rows:
        errors.append(_("Berkas CSV tidak berisi data."))
    if errors:
        raise ValidationError(errors)
    ElectionAreaDpt.objects.filter(election=election).delete()
    ElectionAreaDpt.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action=actions.ELECTION_AREA_DPT_IMPORT,
        obj=election,
        region_code=election.region_code,
        after={"rows": len(rows), "total": sum(r.dpt for r in rows)},
    )
    return len(rows)
