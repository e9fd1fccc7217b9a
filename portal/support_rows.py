"""The open-data CSV rows of support and verification progress (`portal/exports.py`), one line per pair
and region, streamed; split from ``support.py``, whose counting helpers they reuse."""

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.utils import timezone

from candidacy.selectors import election_spread_level
from candidacy.selectors_public import independent_elections, independent_pairs
from regions.models import Level
from regions.selectors import region_names_under
from support_uploads.recap import counted_by_pair, unit_counts, units_met
from verification.selectors_public import closed_rounds

from .support import ROUND_ORDER, _round_counts, verification_by_pair

SUPPORT_EXPORT_HEADER = [
    "pemilihan_id",
    "pemilihan",
    "paslon_id",
    "nama_pasangan",
    "tingkat",
    "kode_wilayah",
    "nama_wilayah",
    "dukungan_dihitung",
    # MS found in the unit by each closed round (that round alone); empty while the round is not closed
    *(f"ms_{code}" for _kind, _batch, code in ROUND_ORDER),
]

VERIFICATION_EXPORT_HEADER = [
    "pemilihan_id",
    "pemilihan",
    "paslon_id",
    "nama_pasangan",
    "verifikasi",
    "tahap_dukungan",
    "ditutup",
    "ms",
    "tms",
    "ms_dihitung",
    "syarat_minimal",
    "sebaran_terpenuhi",
    "sebaran_wajib",
]


def support_aggregate_rows() -> Iterator[tuple]:
    """Counted supporters of every independent pair per kab/kota and per kecamatan, and the MS each closed
    round found there, one election at a time (at most seven queries per election, memory bounded by one
    election's regions)."""
    for election in independent_elections().iterator(chunk_size=200):
        pairs = independent_pairs(election)
        names = region_names_under(
            version_id=election.region_version_id, code=election.region_code, levels=[Level.REGENCY, Level.DISTRICT]
        )
        names.setdefault(election.region_code, election.region_name)
        pair_ids = [pid for pid, _name in pairs]
        counted = counted_by_pair(pair_ids)
        rounds = _round_districts(pair_ids)
        for pair_id, pair_name in pairs:
            districts = counted[pair_id]["districts"]
            by_round = rounds.get(pair_id, {})
            for level in (Level.REGENCY, Level.DISTRICT):
                per_unit = unit_counts(districts, level)
                ms_units = {key: unit_counts(d, level) for key, d in by_round.items()}
                for code in sorted(set(per_unit).union(*ms_units.values())):
                    ms = [
                        ms_units[(kind, batch)].get(code, 0) if (kind, batch) in ms_units else ""
                        for kind, batch, _code in ROUND_ORDER
                    ]
                    yield (
                        election.pk,
                        election.name,
                        pair_id,
                        pair_name,
                        level.value,
                        code,
                        names.get(code, ""),
                        per_unit.get(code, 0),
                        *ms,
                    )


def _round_districts(pair_ids: list[int]) -> dict[int, dict[tuple[str, str], dict[str, int]]]:
    """Each closed round's own MS per kecamatan, by pair and (kind, batch)."""
    if not pair_ids:
        return {}
    rounds = closed_rounds(pair_ids)
    counts = _round_counts(rounds) if rounds else {}
    result: dict[int, dict] = defaultdict(dict)
    for r in rounds:
        result[r["pair_id"]][(r["kind"], r["batch"])] = counts[r["id"]]["districts"]
    return result


def _iso_date(value: datetime.datetime | None) -> str:
    return timezone.localdate(value).isoformat() if value else ""


def verification_rows() -> Iterator[tuple]:
    """One row per closed verification round of every independent pair: MS and TMS of the round, and the
    pair's standing after it against the minimum and the spread."""
    from candidacy.selectors import election_support_requirement

    for election in independent_elections().select_related("regulation").iterator(chunk_size=200):
        pairs = independent_pairs(election)
        if not pairs:
            continue
        requirement = election_support_requirement(election)
        spread_level = election_spread_level(election)
        verified = verification_by_pair([pid for pid, _name in pairs])
        for pair_id, pair_name in pairs:
            for r in verified[pair_id]["rounds"]:
                standing = unit_counts(r["districts"], spread_level)
                yield (
                    election.pk,
                    election.name,
                    pair_id,
                    pair_name,
                    r["kind"],
                    r["batch"],
                    _iso_date(r["closed_at"]),
                    r["ms"],
                    r["tms"],
                    sum(standing.values()),
                    requirement.minimum,
                    units_met(standing),
                    requirement.spread_required,
                )
