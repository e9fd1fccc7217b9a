"""What each type of election is made of, as data: where it is held, whose DPT its bands read, what its spread
counts, who stands, the order of its stages and (where the law fixes one) its calendar.

Services and selectors read an election's ``kind`` instead of testing its type; the numbers (bands, spread
predicate, penalty, template, LO limit) are in its ``RegulationVersion``.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from regions.models import Kind, Level

from .models import BandScope, CandidateRole, ElectionType, Path, Stage

# Pilkada's stage order (docs/domain.md §3, PKPU 8/2024's schedule): each stage named here starts only once every
# stage it follows has ended. Independent support runs as one chain (submission, administrative and factual
# verification, correction, its verification: §3.2-§3.5); determination follows both the registration window and
# the last support stage, and the ballot draw follows determination (§3.7). Registration is not put after the
# support chain: party-backed pairs register in the same window, and an independent pair can only move to
# registration once its support is met (the status machine's own precondition).
PILKADA_STAGE_FOLLOWS: dict[Stage, tuple[Stage, ...]] = {
    Stage.ADMIN_VERIFICATION: (Stage.SUPPORT_SUBMISSION,),
    Stage.FACTUAL_VERIFICATION: (Stage.ADMIN_VERIFICATION,),
    Stage.CORRECTION_SUBMISSION: (Stage.FACTUAL_VERIFICATION,),
    Stage.CORRECTION_VERIFICATION: (Stage.CORRECTION_SUBMISSION,),
    Stage.DETERMINATION: (Stage.REGISTRATION, Stage.CORRECTION_VERIFICATION),
    Stage.BALLOT_DRAW: (Stage.DETERMINATION,),
}

# Pemilu DPD's order (Pemilu 2024, PKPU 10/2022): the repair of the administrative result and its verification
# come before the factual verification.
DPD_STAGE_FOLLOWS: dict[Stage, tuple[Stage, ...]] = {
    Stage.ADMIN_VERIFICATION: (Stage.SUPPORT_SUBMISSION,),
    Stage.CORRECTION_SUBMISSION: (Stage.ADMIN_VERIFICATION,),
    Stage.CORRECTION_VERIFICATION: (Stage.CORRECTION_SUBMISSION,),
    Stage.FACTUAL_VERIFICATION: (Stage.CORRECTION_VERIFICATION,),
    Stage.DETERMINATION: (Stage.REGISTRATION, Stage.FACTUAL_VERIFICATION),
    Stage.BALLOT_DRAW: (Stage.DETERMINATION,),
}

# Pemilu 2024's DPD calendar in days from its polling day (14 February 2024), first and last day inclusive:
# support handed in 16-29 Dec 2022, administrative verification 30 Dec 2022-12 Jan 2023, repair 16-22 Jan,
# its verification 23 Jan-1 Feb, factual verification 6-26 Feb 2023 (KPU, PKPU 10/2022). The calendar names
# no SILON registration day: the candidate is entered from a week before support opens until factual
# verification ends. The final list (DCT) was determined on 3 Nov 2023.
DPD_2024_SCHEDULE: dict[Stage, tuple[int, int]] = {
    Stage.REGISTRATION: (-432, -353),
    Stage.SUPPORT_SUBMISSION: (-425, -412),
    Stage.ADMIN_VERIFICATION: (-411, -398),
    Stage.CORRECTION_SUBMISSION: (-394, -388),
    Stage.CORRECTION_VERIFICATION: (-387, -378),
    Stage.FACTUAL_VERIFICATION: (-373, -353),
    Stage.DETERMINATION: (-103, -103),
}


@dataclass(frozen=True)
class ElectionKind:
    region_level: Level  # the level of region the election is held in
    region_kind: str | None  # and, for regent/mayor, the kind of that region (kabupaten or kota)
    band_scope: BandScope  # whose DPT the regulation's bands read
    spread_level: Level  # the units spread is counted over
    roles: tuple[CandidateRole, ...]  # who stands in one candidacy
    paths: tuple[Path, ...]
    minimum_age: int  # on the day of determination
    unit_label: Promise  # what one candidacy is called on screen
    unit_label_new: Promise  # the heading of its registration form
    name_label: Promise  # the label of its name field
    stage_follows: dict[Stage, tuple[Stage, ...]] = field(default_factory=lambda: PILKADA_STAGE_FOLLOWS)
    schedule: dict[Stage, tuple[int, int]] = field(default_factory=dict)  # days from polling day, inclusive

    @property
    def single_candidate(self) -> bool:
        return len(self.roles) == 1


PILKADA_ROLES = (CandidateRole.HEAD, CandidateRole.DEPUTY)
BOTH_PATHS = (Path.PARTY, Path.INDEPENDENT)
PAIR = (_("Pasangan calon"), _("Pasangan calon baru"), _("Nama pasangan calon"))

# MK 70/PUU-XXII/2024 read with UU 10/2016 Pasal 7(2)(e): 30 for governor, 25 for regent and mayor; UU 7/2017
# Pasal 182 huruf a: 21 for a DPD candidate.
KINDS: dict[str, ElectionKind] = {
    ElectionType.GOVERNOR: ElectionKind(
        Level.PROVINCE, None, BandScope.PROVINCE, Level.REGENCY, PILKADA_ROLES, BOTH_PATHS, 30, *PAIR
    ),
    ElectionType.REGENT: ElectionKind(
        Level.REGENCY, Kind.KABUPATEN, BandScope.REGENCY, Level.DISTRICT, PILKADA_ROLES, BOTH_PATHS, 25, *PAIR
    ),
    ElectionType.MAYOR: ElectionKind(
        Level.REGENCY, Kind.KOTA, BandScope.REGENCY, Level.DISTRICT, PILKADA_ROLES, BOTH_PATHS, 25, *PAIR
    ),
    ElectionType.DPD: ElectionKind(
        Level.PROVINCE,
        None,
        BandScope.PROVINCE,
        Level.REGENCY,
        (CandidateRole.DPD,),
        (Path.INDEPENDENT,),  # a DPD candidate stands as an individual (UU 7/2017 Pasal 182)
        21,
        _("Calon DPD"),
        _("Calon DPD baru"),
        _("Nama calon DPD"),
        stage_follows=DPD_STAGE_FOLLOWS,
        schedule=DPD_2024_SCHEDULE,
    ),
}


def election_kind(election_or_type) -> ElectionKind:
    """The kind of an election (or of an election type's value)."""
    return KINDS[ElectionType(getattr(election_or_type, "type", election_or_type))]


def unit_label(pair) -> str:
    """What a candidacy is called: "Pasangan calon" in Pilkada, "Calon DPD" in Pemilu DPD."""
    return str(election_kind(pair.election).unit_label)
