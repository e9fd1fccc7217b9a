"""Reads of elections and pairs, scoped by the acting user's reach."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from regions.codes import within_q
from regions.models import Level, Region
from silon.accounts.jurisdiction import scope_by_region

from .kinds import election_kind
from .models import (
    BandScope,
    Candidate,
    CandidatePair,
    Document,
    DocumentCheck,
    DocumentRequirement,
    DocumentScope,
    Election,
    Nomination,
    Party,
    PartyResult,
    PartyRule,
    Stage,
    StageWindow,
)
from .rules import (
    Band,
    CoalitionCheck,
    FixedBand,
    band_for,
    band_minimum,
    coalition_qualifies_by_band,
    coalition_qualifies_by_seats_or_votes,
    party_votes_required_by_band,
    share_ceil,
    spread_required,
)


@dataclass(frozen=True)
class SupportRequirement:
    """What an independent pair (or a DPD candidate) of ``election`` must gather, read from its regulation
    (UU 10/2016 Pasal 41; Pemilu DPD: UU 7/2017 Pasal 183)."""

    dpt: int
    percent: str  # the band's share of the DPT; "" where the band is a fixed number (Pemilu DPD)
    minimum: int
    spread_level: str  # Level.REGENCY for governor and DPD elections, Level.DISTRICT for regent/mayor
    spread_total: int
    spread_required: int
    spread_at_least_half: bool = False  # "at least half" (DPD) rather than "more than half" (Pilkada)
    penalty_per_case: int = 0  # supports deducted per proven duplicate or forged support (DPD: 50)


def election_band_scope(election: Election) -> BandScope:
    return election_kind(election).band_scope


def election_spread_level(election: Election) -> Level:
    """Spread counts kab/kota for a governor or DPD election and kecamatan for a regent or mayor election."""
    return election_kind(election).spread_level


def election_spread_units(election: Election) -> QuerySet[Region]:
    """The regions (of the election's list version) that spread is counted over."""
    return Region.objects.filter(
        version_id=election.region_version_id,
        level=election_spread_level(election),
        parent_code=election.region_code,
    )


def election_bands(election: Election) -> list[Band]:
    """The percent bands of the election's regulation (the party rule reads them too)."""
    return [
        Band(dpt_up_to=b.dpt_up_to, percent=b.percent)
        for b in election.regulation.bands.filter(scope=election_band_scope(election), percent__isnull=False)
    ]


def election_support_bands(election: Election) -> list[Band] | list[FixedBand]:
    """The support bands of the election's regulation: shares of the DPT, or fixed minimums (Pemilu DPD)."""
    rows = list(election.regulation.bands.filter(scope=election_band_scope(election)))
    if rows and all(b.minimum is not None for b in rows):
        return [FixedBand(dpt_up_to=b.dpt_up_to, minimum=b.minimum) for b in rows]
    return [Band(dpt_up_to=b.dpt_up_to, percent=b.percent) for b in rows if b.percent is not None]


def election_support_requirement(election: Election) -> SupportRequirement:
    regulation = election.regulation
    bands = election_support_bands(election)
    band = band_for(election.dpt, bands)
    units = election_spread_units(election).count()
    return SupportRequirement(
        dpt=election.dpt,
        percent=f"{band.percent.normalize():f}" if isinstance(band, Band) else "",  # "10", not "1E+1"
        minimum=band_minimum(election.dpt, bands),
        spread_level=election_spread_level(election),
        spread_total=units,
        spread_required=spread_required(units, at_least_half=regulation.spread_at_least_half),
        spread_at_least_half=regulation.spread_at_least_half,
        penalty_per_case=regulation.duplicate_penalty,
    )


def election_list(*, user) -> QuerySet[Election]:
    """Elections an operator, verifier or Bawaslu user reaches by region."""
    return scope_by_region(Election.objects.select_related("region_version", "regulation"), user, "region_code")


def election_filtered_list(
    *, user, type: str = "", region: str = "", year: int | None = None, search: str = ""
) -> QuerySet[Election]:
    """The operator's election list with its filters (type, region-code prefix, polling year, name)."""
    qs = election_list(user=user)
    if type:
        qs = qs.filter(type=type)
    if region:
        qs = qs.filter(within_q("region_code", region))
    if year:
        qs = qs.filter(polling_day__year=year)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(region_name__icontains=search))
    return qs


def pair_list(*, user) -> QuerySet[CandidatePair]:
    """Pairs of the elections the user reaches by region, plus the pairs granted to the user's own team
    (``candidacy.operate_pair``: LO accounts, party admins)."""
    granted = get_objects_for_user(user, "candidacy.operate_pair", klass=CandidatePair, accept_global_perms=False)
    return (
        CandidatePair.objects.filter(Q(election__in=election_list(user=user)) | Q(pk__in=granted.values("pk")))
        .select_related("election")
        .distinct()
    )


def pair_filtered_list(
    *, user, election: Election | None = None, path: str = "", status: str = "", search: str = ""
) -> QuerySet[CandidatePair]:
    """The operator's pair list with its filters (election, path, status, pair or candidate name)."""
    qs = pair_list(user=user)
    if election is not None:
        qs = qs.filter(election=election)
    if path:
        qs = qs.filter(path=path)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(candidates__name__icontains=search))
    return qs


# --- party path ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyThreshold:
    """What a party or coalition needs in this election; ``None`` where the rule does not use a route or the
    totals have not been entered yet."""

    rule: str
    rule_label: str
    percent_votes: Decimal | None
    percent_seats: Decimal | None
    votes_required: int | None
    seats_required: int | None
    seatless_may_join: bool


def election_party_threshold(election: Election) -> PartyThreshold | None:
    """The threshold in force for the election's party path; a figure is ``None`` until its total is entered.
    ``None`` for a regulation without a party route (Pemilu DPD)."""
    regulation = election.regulation
    votes, seats = election.total_valid_votes, election.total_seats
    if not regulation.party_rule:
        return None
    if regulation.party_rule == PartyRule.VOTES_AT_DPT_BANDS:
        bands = election_bands(election)
        return PartyThreshold(
            rule=regulation.party_rule,
            rule_label=PartyRule(regulation.party_rule).label,
            percent_votes=band_for(election.dpt, bands).percent,
            percent_seats=None,
            votes_required=party_votes_required_by_band(votes, election.dpt, bands) if votes is not None else None,
            seats_required=None,
            seatless_may_join=regulation.party_seatless_may_join,
        )
    return PartyThreshold(
        rule=regulation.party_rule,
        rule_label=PartyRule(regulation.party_rule).label,
        percent_votes=regulation.party_vote_percent,
        percent_seats=regulation.party_seat_percent,
        votes_required=share_ceil(votes, regulation.party_vote_percent) if votes is not None else None,
        seats_required=share_ceil(seats, regulation.party_seat_percent) if seats is not None else None,
        seatless_may_join=regulation.party_seatless_may_join,
    )


def coalition_check(*, election: Election, parties: list[Party]) -> CoalitionCheck:
    """Accumulate the parties' DPRD results in this election and test them against the rule in force."""
    totals = PartyResult.objects.filter(election=election, party__in=parties).aggregate(v=Sum("votes"), s=Sum("seats"))
    votes, seats = totals["v"] or 0, totals["s"] or 0
    regulation = election.regulation
    if regulation.party_rule == PartyRule.VOTES_AT_DPT_BANDS:
        return coalition_qualifies_by_band(
            votes=votes,
            total_valid_votes=election.total_valid_votes or 0,
            dpt=election.dpt,
            bands=election_bands(election),
        )
    return coalition_qualifies_by_seats_or_votes(
        votes=votes,
        seats=seats,
        total_valid_votes=election.total_valid_votes or 0,
        total_seats=election.total_seats or 0,
        seat_percent=regulation.party_seat_percent,
        vote_percent=regulation.party_vote_percent,
    )


def party_results(election: Election) -> QuerySet[PartyResult]:
    return PartyResult.objects.filter(election=election).select_related("party")


def parties_available(election: Election) -> QuerySet[Party]:
    """Active parties not yet backing a pair in this election."""
    taken = Nomination.objects.filter(election=election).values("party_id")
    return Party.objects.filter(is_active=True).exclude(pk__in=taken)


# --- stages, pairs, documents ---------------------------------------------------------------------


def determination_date(election: Election) -> datetime.date | None:
    """The day of *penetapan pasangan calon*: candidate age is counted on it (MK 70/PUU-XXII/2024)."""
    window = StageWindow.objects.filter(election=election, stage=Stage.DETERMINATION).first()
    return timezone.localtime(window.starts_at).date() if window else None


def pair_detail_queryset(*, user) -> QuerySet[CandidatePair]:
    return (
        pair_list(user=user)
        .select_related("election__regulation")
        .prefetch_related(
            Prefetch("candidates", queryset=Candidate.objects.order_by("role")),
            Prefetch("nominations", queryset=Nomination.objects.select_related("party")),
            "status_history__actor",
        )
    )


def document_requirements(pair: CandidatePair) -> QuerySet[DocumentRequirement]:
    return DocumentRequirement.objects.filter(regulation=pair.election.regulation_id, path=pair.path)


def pair_document_checklist(pair: CandidatePair) -> list[dict]:
    """One row per required document (per candidate where it applies) with its latest revision and history."""
    candidates = list(pair.candidates.all())
    docs: dict[tuple, list[Document]] = {}
    uploaded = Document.objects.filter(pair=pair).select_related(
        "uploaded_by", "checked_by", "requirement", "candidate"
    )
    for doc in uploaded.order_by("-revision"):
        docs.setdefault((doc.requirement_id, doc.candidate_id), []).append(doc)
    rows = []
    for requirement in document_requirements(pair):
        holders = candidates if requirement.scope == DocumentScope.EACH_CANDIDATE else [None]
        for candidate in holders:
            revisions = docs.get((requirement.id, candidate.id if candidate else None), [])
            rows.append(
                {
                    "requirement": requirement,
                    "candidate": candidate,
                    "latest": revisions[0] if revisions else None,
                    "revisions": revisions,
                }
            )
    return rows


def pair_documents_complete(pair: CandidatePair, *, checklist: list[dict] | None = None) -> list[str]:
    """Labels of required documents whose latest revision is missing or not verified complete."""
    return _required_documents_where(
        pair, checklist, lambda latest: latest is None or latest.check_status != DocumentCheck.COMPLETE
    )


def pair_documents_missing(pair: CandidatePair, *, checklist: list[dict] | None = None) -> list[str]:
    """Labels of required documents with no revision uploaded at all."""
    return _required_documents_where(pair, checklist, lambda latest: latest is None)


def _required_documents_where(pair: CandidatePair, checklist: list[dict] | None, test) -> list[str]:
    labels = []
    for row in pair_document_checklist(pair) if checklist is None else checklist:
        if row["requirement"].is_required and test(row["latest"]):
            label = row["requirement"].label
            labels.append(f"{label} ({row['candidate'].name})" if row["candidate"] else label)
    return labels


# --- for the public portal -------------------------------------------------------------------------


def candidate_public_cv(candidate: Candidate) -> dict[str, str | None]:
    """The parts of a candidate's daftar riwayat hidup (Model BB.2-KWK) the public may read: education,
    occupation and the CV summary, all of them only with the candidate's recorded consent, else ``None``.
    The one consent rule for the portal's pages, its API and its downloads."""
    if not candidate.cv_publication_consent:
        return {"education": None, "occupation": None, "cv": None}
    return {"education": candidate.education, "occupation": candidate.occupation, "cv": candidate.cv_summary}


def pair_public_profile(pair: CandidatePair) -> dict:
    """What the public may read of a pair: names, path, parties, status, ballot number, and each candidate's
    CV (education and occupation included) only with the candidate's recorded consent. Never NIK, address or
    date of birth."""
    return {
        "id": pair.pk,
        "name": pair.name,
        "election": pair.election.name,
        "path": pair.path,
        "path_label": pair.get_path_display(),
        "status": pair.status,
        "status_label": pair.get_status_display(),
        "ballot_number": pair.ballot_number,
        "parties": [n.party.short_name for n in pair.nominations.all()],
        "candidates": [
            {
                "role": c.role,
                "role_label": c.get_role_display(),
                "name": c.name,
                "sex": c.get_sex_display(),
                "cv_public": c.cv_publication_consent,
                **candidate_public_cv(c),
            }
            for c in pair.candidates.all()
        ],
    }
