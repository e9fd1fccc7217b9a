"""Independent support as the public sees it: counts only, per pair and per spread unit.

Two sources, counts only (no supporter's data): ``support_uploads.recap``, the one home of the recap
arithmetic (counted rows per kecamatan from the per-upload recap, kept equal to the rows on every change,
and *Diserahkan*, each NIK of the pair's current files counted once), and the results of *closed*
verification rounds counted per kecamatan (an open round's partial counts are not public: a supporter's
result may still change), read through ``verification.selectors_public``.

"MS after a round" is the pair's standing once that round closed: the MS supporters that count toward the
minimum at that point. A correction batch adds to the initial batch's factual MS (UU 10/2016 Pasal 48), so
after a correction round the standing is the initial factual MS plus that round's MS, as
``verification.selectors.pair_support_result`` counts it for the pair's outcome.
"""

from django.utils.translation import gettext as _

from candidacy.models import Election, SupportStatus
from candidacy.selectors import election_spread_level, election_spread_units
from support_uploads.recap import (
    counted_by_pair,
    penalised,
    penalty_cases_by_pair,
    penalty_text,
    percent_of_minimum,
    unit_counts,
    units_met,
)
from verification.models import Batch, RoundKind
from verification.selectors_public import closed_rounds, correction_submissions, pair_outcomes, round_verdict_counts

from . import cache
from .charts import bar_chart, tile_grid

# Lifecycle order of the rounds (docs/domain.md §3): the initial batch's administrative then factual round, then
# the correction batch's. The code names the CSV columns.
ROUND_ORDER = [
    (RoundKind.ADMINISTRATIVE, Batch.INITIAL, "adm_awal"),
    (RoundKind.FACTUAL, Batch.INITIAL, "faktual_awal"),
    (RoundKind.ADMINISTRATIVE, Batch.CORRECTION_1, "adm_perbaikan"),
    (RoundKind.FACTUAL, Batch.CORRECTION_1, "faktual_perbaikan"),
]
ROUND_POSITION = {(kind, batch): i for i, (kind, batch, _code) in enumerate(ROUND_ORDER)}
BATCH_ORDER = [Batch.INITIAL, Batch.CORRECTION_1]
# Results of a closed round never change (every write checks the round is open), so their counts are kept
# for a day, keyed by the round and the moment it closed, outside the data version a new upload bumps.
ROUND_COUNTS_TTL = 24 * 3600


def _round_short_label(kind: str, batch: str) -> str:
    return {
        (RoundKind.ADMINISTRATIVE, Batch.INITIAL): _("MS adm. awal"),
        (RoundKind.FACTUAL, Batch.INITIAL): _("MS faktual awal"),
        (RoundKind.ADMINISTRATIVE, Batch.CORRECTION_1): _("MS adm. perbaikan"),
        (RoundKind.FACTUAL, Batch.CORRECTION_1): _("MS faktual perbaikan"),
    }[(kind, batch)]


# --- closed verification rounds --------------------------------------------------------------------


def _round_counts(rounds: list[dict]) -> dict[int, dict]:
    """MS and TMS of each closed round, MS per kecamatan. Served from the cache per (round, closed at); the
    rounds not there are counted in one grouped query (set-based, whatever the number of results)."""
    keys = {r["id"]: f"portal:round-counts:{r['id']}:{r['closed_at'].timestamp()}" for r in rounds}
    found = cache.immutable_get_many(list(keys.values()))
    counts = {rid: found[key] for rid, key in keys.items() if key in found}
    missing = [rid for rid in keys if rid not in counts]
    if missing:
        built = round_verdict_counts(missing)
        cache.immutable_set_many({keys[rid]: value for rid, value in built.items()}, ROUND_COUNTS_TTL)
        counts.update(built)
    return counts


def _add(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    total = dict(a)
    for code, n in b.items():
        total[code] = total.get(code, 0) + n
    return total


def verification_by_pair(pair_ids: list[int]) -> dict[int, dict]:
    """Per pair: its closed rounds in lifecycle order, each with its own MS/TMS and the pair's standing after
    it (MS per kecamatan that count toward the minimum), the outcome decided after each batch, and the
    correction submission. At most four queries for any number of pairs; one when no round has closed."""
    result: dict[int, dict] = {pid: {"rounds": [], "outcomes": [], "correction": None} for pid in pair_ids}
    rounds = closed_rounds(pair_ids)
    if not rounds:
        return result
    counts = _round_counts(rounds)
    rounds.sort(key=lambda r: (r["pair_id"], ROUND_POSITION.get((r["kind"], r["batch"]), 99)))
    factual_by_batch: dict[tuple[int, str], dict[str, int]] = {}
    for r in rounds:
        if r["kind"] == RoundKind.FACTUAL:
            factual_by_batch[(r["pair_id"], r["batch"])] = counts[r["id"]]["districts"]
    for r in rounds:
        own = counts[r["id"]]
        standing = dict(own["districts"])
        # A later batch adds to the MS the earlier batches' factual rounds found (UU 10/2016 Pasal 48).
        for batch in BATCH_ORDER[: BATCH_ORDER.index(r["batch"])]:
            standing = _add(standing, factual_by_batch.get((r["pair_id"], batch), {}))
        result[r["pair_id"]]["rounds"].append(
            {
                "kind": r["kind"],
                "kind_label": RoundKind(r["kind"]).label,
                "batch": r["batch"],
                "batch_label": Batch(r["batch"]).label,
                "short_label": _round_short_label(r["kind"], r["batch"]),
                "closed_at": r["closed_at"],
                "ms": own["ms"],
                "tms": own["tms"],
                "districts": standing,
            }
        )
    outcomes = pair_outcomes(pair_ids)
    for outcome in sorted(outcomes, key=lambda o: (o["pair_id"], BATCH_ORDER.index(o["batch"]))):
        outcome["batch_label"] = Batch(outcome["batch"]).label
        outcome["status_label"] = SupportStatus(outcome["status"]).label
        result[outcome["pair_id"]]["outcomes"].append(outcome)
    if any(o["status"] == SupportStatus.BMS for r in result.values() for o in r["outcomes"]):
        for pair_id, required, submitted in correction_submissions(pair_ids):
            result[pair_id]["correction"] = {"required": required, "submitted": submitted}
    return result


# --- the support block of a pair -------------------------------------------------------------------


def _round_standing(r: dict, spread_level: str, minimum: int, required: int) -> dict:
    standing = unit_counts(r["districts"], spread_level)
    ms_total = sum(standing.values())
    round_spread = units_met(standing)  # as the pair's outcome counts it
    return {
        **{k: v for k, v in r.items() if k != "districts"},
        "ms_total": ms_total,
        "units": standing,
        "minimum_met": ms_total >= minimum,
        "percent_of_minimum": percent_of_minimum(ms_total, minimum),
        "spread_met": round_spread,
        "spread_ok": round_spread >= required,
    }


def _without_units(r: dict | None) -> dict | None:
    return r and {k: v for k, v in r.items() if k != "units"}


def _pair_block(
    pair: dict, data: dict, verified: dict, units: list, spread_level: str, requirement: dict, cases: int
) -> dict:
    minimum, required = requirement["minimum"], requirement["spread_required"]
    per_unit = unit_counts(data["districts"], spread_level)
    accepted = sum(per_unit.values())
    per_case = requirement.get("penalty_per_case", 0)
    net = penalised(accepted, cases, per_case)  # what counts toward the minimum (Pemilu DPD: less 50 a case)
    spread_met = units_met(per_unit, [code for code, _name in units])
    rounds = [_round_standing(r, spread_level, minimum, required) for r in verified["rounds"]]
    latest = rounds[-1] if rounds else None
    unit_rows = [
        {
            "code": code,
            "name": name,
            "accepted": per_unit.get(code, 0),
            "ms": [r["units"].get(code, 0) for r in rounds],
            # The tile map shows the latest standing: MS after the last closed round, else counted rows.
            "count": latest["units"].get(code, 0) if latest else per_unit.get(code, 0),
        }
        for code, name in units
    ]
    bars = [
        {"key": "submitted", "label": _("Diserahkan"), "value": data["submitted"]},
        {"key": "accepted", "label": _("Diterima (dihitung)"), "value": accepted},
        *([{"key": "net", "label": _("Setelah penalti"), "value": net}] if per_case else []),
        *({"key": "ms", "label": r["short_label"], "value": r["ms_total"]} for r in rounds),
    ]
    return {
        "pair_id": pair["id"],
        "pair_name": pair["name"],
        "support_status": pair["support_status"],
        "support_status_label": pair["support_status_label"],
        "submitted": data["submitted"],
        "accepted": accepted,
        "minimum": minimum,
        "minimum_met": net >= minimum,
        "percent_of_minimum": percent_of_minimum(net, minimum),
        "penalty_per_case": per_case,
        "penalty_cases": cases,
        "net": net,
        "penalty_text": penalty_text(accepted, cases, per_case) if per_case else "",
        "spread_met": spread_met,
        "spread_required": required,
        "spread_total": requirement["spread_total"],
        "spread_ok": spread_met >= required,
        "spread_level_label": requirement["spread_level_label"],
        "rounds": [_without_units(r) for r in rounds],
        "latest_round": _without_units(latest),
        "outcomes": verified["outcomes"],
        "correction": verified["correction"],
        "chart": bar_chart(bars, minimum),
        "grid": tile_grid(unit_rows, latest["ms_total"] if latest else accepted),
    }


def election_support(election: Election, pairs: list[dict], requirement: dict) -> list[dict]:
    """Support progress of each independent pair: submitted and counted rows, MS after each closed
    verification round, each against the minimum and the spread, as a bar chart and a tile map of the spread
    units. Five queries for all the election's pairs (seven once verification rounds have closed)."""
    if not pairs:
        return []
    units = list(election_spread_units(election).order_by("code").values_list("code", "name"))
    spread_level = election_spread_level(election)
    pair_ids = [p["id"] for p in pairs]
    counted = counted_by_pair(pair_ids)
    verified = verification_by_pair(pair_ids)
    per_case = requirement.get("penalty_per_case", 0)
    cases = penalty_cases_by_pair(pair_ids) if per_case else dict.fromkeys(pair_ids, 0)
    return [
        _pair_block(
            pair, counted[pair["id"]], verified[pair["id"]], units, spread_level, requirement, cases[pair["id"]]
        )
        for pair in pairs
    ]


def support_api_blocks(blocks: list[dict]) -> list[dict]:
    """The support blocks without the drawing geometry, for the API: per unit the counted rows and the MS
    after the latest closed round (``None`` before any round has closed)."""
    return [
        {
            **{k: v for k, v in block.items() if k not in {"chart", "grid", "support_status_label", "latest_round"}},
            "units": [
                {
                    "code": t["code"],
                    "name": t["name"],
                    "count": t["accepted"],
                    "ms": t["ms"][-1] if t["ms"] else None,
                }
                for t in block["grid"]["tiles"]
            ],
        }
        for block in blocks
    ]


# --- CSV aggregates --------------------------------------------------------------------------------
