"""What the public may read: aggregates built on the apps' own selectors and models.

Every function returns plain data (dicts, lists, numbers, lazy labels) so a result can be cached and
rendered without touching the database again. Nothing here returns a model that carries personal data:
candidate NIK, address and birth date, and everything about supporters except counts per region, stay out
(UU 10/2016 Pasal 48(3d); UU 27/2022).
"""

import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from candidacy.kinds import election_kind, unit_label
from candidacy.models import (
    CandidatePair,
    DocumentCheck,
    Election,
    PairStatus,
    Path,
)
from candidacy.schedule import schedule_summary, stage_schedules
from candidacy.selectors import election_support_requirement, pair_document_checklist, pair_public_profile
from candidacy.selectors_public import candidate_photo as public_candidate_photo
from candidacy.selectors_public import (
    elections_where,
    pairs_named,
    public_election,
    public_pairs,
    public_response_counts,
    upcoming_elections,
)
from objections.selectors_public import confirmed_by_pair
from regions.codes import level_of, province_of, within_q
from regions.models import Level
from regions.names import normalize_region_name
from regions.selectors import province_names, region_areas_named, region_latest

from .support import election_support, support_api_blocks

SEARCH_MAX_LENGTH = 80


# --- elections -------------------------------------------------------------------------------------


def _election_row(election: Election, schedule: list[dict], now: datetime.datetime) -> dict:
    return {
        "id": election.pk,
        "name": election.name,
        "type": election.type,
        "type_label": election.get_type_display(),
        "unit_label": str(election_kind(election).unit_label),  # "Pasangan calon" or "Calon DPD"
        "region_code": election.region_code,
        "region_name": election.region_name,
        "polling_day": election.polling_day,
        "dpt": election.dpt,
        "schedule": schedule,
        "summary": schedule_summary(schedule, now),
    }


def _search_condition(query: str, elections) -> Q:
    """Elections whose area holds a region (province, kab/kota, kecamatan or desa/kelurahan) whose name matches
    ``query`` after ``regions``' own name normalisation ("Kab. Lombok Barat" = "lombok barat"), in the region lists
    those elections use: the election of that region and those of the areas around it ("Gerung" finds Lombok
    Barat's and Nusa Tenggara Barat's), and under a matching province its kab/kota elections. An election's
    own name or region name containing the text, or a pair of it named so (a candidate's name), also matches."""
    condition = (
        Q(region_name__icontains=query) | Q(name__icontains=query) | Q(pk__in=pairs_named(query).values("election_id"))
    )
    needle = normalize_region_name(query)
    if needle:
        areas = region_areas_named(needle=needle, version_ids=elections.values("region_version_id"), limit=500)
        covering = set(areas) | {province_of(area) for area in areas}
        condition |= Q(region_code__in=sorted(covering))
        for area in areas:
            if level_of(area) == Level.PROVINCE:
                condition |= within_q("region_code", area)
    return condition


def pairs_matching(*, query: str, today: datetime.date | None = None) -> list[dict]:
    """Pairs of active elections whose name or a candidate's name contains ``query``, for the home search."""
    query = query.strip()[:SEARCH_MAX_LENGTH]
    if len(query) < 3:
        return []
    today = today or timezone.localdate()
    pairs = pairs_named(query).filter(election__polling_day__gte=today)[:50]
    return [
        {
            "id": pair.pk,
            "name": pair.name,
            "election_name": pair.election.name,
            "candidates": [c.name for c in pair.candidates.all()],
        }
        for pair in pairs
    ]


def active_elections(*, query: str = "", today: datetime.date | None = None) -> list[dict]:
    """Elections whose polling day has not passed, optionally those whose region or name matches ``query``."""
    now = timezone.now()
    today = today or timezone.localdate()
    qs = upcoming_elections(today)
    query = query.strip()[:SEARCH_MAX_LENGTH]
    if query:
        qs = qs.filter(_search_condition(query, qs))
    elections = list(qs)
    schedules = stage_schedules([e.pk for e in elections], now)
    return [_election_row(e, schedules[e.pk], now) for e in elections]


def home_groups(*, query: str = "") -> list[dict]:
    """Active elections grouped by province (the first two digits of the region code)."""
    elections = active_elections(query=query)
    provinces = sorted({province_of(e["region_code"]) for e in elections})
    names = province_names(set(provinces))
    for e in elections:
        if level_of(e["region_code"]) == Level.PROVINCE:
            names.setdefault(e["region_code"], e["region_name"])
    return [
        {
            "code": code,
            "name": names.get(code, code),
            "elections": [e for e in elections if province_of(e["region_code"]) == code],
        }
        for code in provinces
    ]


# --- pairs -----------------------------------------------------------------------------------------


def _public_pairs_queryset():
    return public_pairs().select_related("election")


def _pair_row(pair: CandidatePair) -> dict:
    """``candidacy``'s public profile of the pair plus the photo references the portal serves."""
    profile = pair_public_profile(pair)
    # Head before deputy, as on the ballot (the role codes do not sort that way).
    profile["candidates"].sort(key=lambda person: person["role"] != "head")
    photos = {c.role: (c.pk if c.photo else None) for c in pair.candidates.all()}
    for person in profile["candidates"]:
        person["photo_id"] = photos.get(person["role"])
    profile["election_id"] = pair.election_id
    profile["path_text"] = ", ".join(profile["parties"]) if pair.path == Path.PARTY else str(Path.INDEPENDENT.label)
    profile["support_status"] = pair.support_status
    profile["support_status_label"] = pair.get_support_status_display() if pair.support_status else ""
    profile["is_independent"] = pair.path == Path.INDEPENDENT
    profile["unit_label"] = unit_label(pair)
    return profile


def region_page(code: str) -> dict | None:
    """A province or kab/kota: its name, the elections held there (a kab/kota also shows its province's
    governor election, which its voters take part in) and their pairs. ``None`` if nothing is known."""
    region = region_latest(code, [Level.PROVINCE, Level.REGENCY])
    is_regency = level_of(code) == Level.REGENCY
    covering = within_q("region_code", code)
    if is_regency:
        covering |= Q(region_code=province_of(code))
    elections = elections_where(covering)
    if region is None and not elections:
        return None
    name = region.name if region else next((e.region_name for e in elections if e.region_code == code), code)
    now = timezone.now()
    schedules = stage_schedules([e.pk for e in elections], now)
    pairs_by_election: dict[int, list[dict]] = defaultdict(list)
    for pair in _public_pairs_queryset().filter(election__in=[e.pk for e in elections]):
        pairs_by_election[pair.election_id].append(_pair_row(pair))
    rows = []
    for election in elections:
        row = _election_row(election, schedules[election.pk], now)
        row["pairs"] = pairs_by_election[election.pk]
        rows.append(row)
    parent = None
    if is_regency:
        province = province_of(code)
        parent = {"code": province, "name": province_names({province}).get(province, province)}
    return {
        "code": code,
        "name": name,
        "level": "regency" if is_regency else "province",
        "parent": parent,
        "elections": rows,
    }


def _requirement(election: Election) -> dict:
    requirement = election_support_requirement(election)
    return {
        "minimum": requirement.minimum,
        "percent": requirement.percent,
        "spread_level": requirement.spread_level,
        "spread_level_label": Level(requirement.spread_level).label,
        "spread_total": requirement.spread_total,
        "spread_required": requirement.spread_required,
        "spread_at_least_half": requirement.spread_at_least_half,
        "penalty_per_case": requirement.penalty_per_case,
    }


def election_page(election_id: int) -> dict | None:
    election = public_election(election_id)
    if election is None:
        return None
    now = timezone.now()
    schedule = stage_schedules([election.pk], now)[election.pk]
    row = _election_row(election, schedule, now)
    pairs = [_pair_row(p) for p in _public_pairs_queryset().filter(election=election)]
    row["requirement"] = _requirement(election)
    row["pairs"] = pairs
    row["province_code"] = province_of(election.region_code)
    row["support"] = election_support(election, [p for p in pairs if p["is_independent"]], row["requirement"])
    return row


def election_support_api(election_id: int) -> list[dict] | None:
    """The support blocks of one election without the drawing geometry, for the API."""
    page = election_page(election_id)
    if page is None:
        return None
    return support_api_blocks(page["support"])


def pair_page(pair_id: int) -> dict | None:
    pair = _public_pairs_queryset().select_related("election__regulation").filter(pk=pair_id).first()
    if pair is None:
        return None
    row = _pair_row(pair)
    row["election_name"] = pair.election.name
    row["election_region_code"] = pair.election.region_code
    row["election_region_name"] = pair.election.region_name
    row["history"] = [
        {
            "from_label": PairStatus(change.from_status).label if change.from_status else "",
            "to_label": PairStatus(change.to_status).label,
            "to_status": change.to_status,
            "at": change.changed_at,
        }
        for change in pair.status_history.order_by("changed_at", "id")
    ]
    language = get_language()
    row["documents"] = [
        {
            "label": doc["requirement"].label_for(language),
            "required": doc["requirement"].is_required,
            # Only the role shows: the checklist is about the pair, and the role names the person.
            "candidate_role": doc["candidate"].get_role_display() if doc["candidate"] else "",
            "status": doc["latest"].check_status if doc["latest"] else "missing",
            "status_label": doc["latest"].get_check_status_display() if doc["latest"] else _("Belum diunggah"),
            "revisions": len(doc["revisions"]),
        }
        for doc in pair_document_checklist(pair)
    ]
    row["documents_complete"] = sum(1 for d in row["documents"] if d["status"] == DocumentCheck.COMPLETE)
    row["public_responses"] = public_response_counts(pair)
    row["support"] = None
    if row["is_independent"]:
        row["requirement"] = _requirement(pair.election)
        row["support"] = election_support(pair.election, [row], row["requirement"])[0]
        row["objections_confirmed"] = confirmed_by_pair([pair.pk]).get(pair.pk, 0)
    return row


def candidate_photo(candidate_id: int):
    """The photo file of a candidate in a pair (a public passport photo), or ``None``."""
    return public_candidate_photo(candidate_id)
