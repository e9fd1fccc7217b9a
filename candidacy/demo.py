"""Demo data: the governor election of Nusa Tenggara Barat with a coalition pair and an independent pair, and
NTB's Pemilu DPD with one DPD candidate (issue #20), its calendar laid out so that support is open now.

Called by ``demo_load`` after ``silon.accounts.demo``; idempotent (a second run finds what the first made).
The party figures are illustrative, not the official 2024 DPRD results.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from regions.models import Region, RegionListVersion
from silon.accounts.services import user_change_password

from .models import (
    CandidatePair,
    CandidateRole,
    DocumentRequirement,
    Election,
    ElectionType,
    Party,
    PartyAdmin,
    PartyRule,
    Path,
    RegulationVersion,
    Stage,
)
from .selectors import election_support_requirement
from .services import (
    candidate_set,
    document_upload,
    election_create,
    election_schedule_apply,
    pair_create,
    pair_nominate,
    party_admin_issue,
    party_result_set,
    stage_window_set,
)

DEMO_PASSWORD = "Silon-Demo-2026"  # noqa: S105 (demo only: demo_load refuses to run in production)
ELECTION_NAME = "Pemilihan Gubernur dan Wakil Gubernur Nusa Tenggara Barat 2026"
NTB_DPT = 3_568_594  # docs/domain.md §4 (NTB 2018)
NTB_DPRD_SEATS = 65
NTB_DPRD_VALID_VOTES = 2_900_000  # illustrative
# party number → (votes, seats); illustrative
PARTY_RESULTS = {2: (420_000, 10), 4: (390_000, 9), 8: (310_000, 7), 1: (280_000, 6), 3: (150_000, 4), 12: (120_000, 3)}
COALITION = [2, 4, 8]
# Stage offsets from now, in days: (start, end). Support submission and registration are open now.
SCHEDULE = {
    Stage.SUPPORT_SUBMISSION: (-7, 14),
    Stage.ADMIN_VERIFICATION: (15, 30),
    Stage.FACTUAL_VERIFICATION: (31, 45),
    Stage.CORRECTION_SUBMISSION: (46, 50),
    Stage.CORRECTION_VERIFICATION: (51, 60),
    Stage.REGISTRATION: (-1, 75),
    Stage.PUBLIC_RESPONSE: (-1, 30),  # open now, so the demo shows the public form
    Stage.DETERMINATION: (90, 91),
    Stage.BALLOT_DRAW: (92, 93),
}
PERSONS = {
    "Lalu Demo Pratama – Baiq Contoh Lestari": [
        ("head", "5201011203750001", "Lalu Demo Pratama", "Mataram", datetime.date(1975, 3, 12), "M"),
        ("deputy", "5271016108800002", "Baiq Contoh Lestari", "Praya", datetime.date(1980, 8, 21), "F"),
    ],
    "Muhammad Contoh – Siti Uji Rahmawati": [
        ("head", "5206010505700003", "Muhammad Contoh", "Bima", datetime.date(1970, 5, 5), "M"),
        ("deputy", "5204014407850004", "Siti Uji Rahmawati", "Sumbawa Besar", datetime.date(1985, 7, 4), "F"),
    ],
}
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DPD_ELECTION_NAME = "Pemilu Anggota DPD Nusa Tenggara Barat (demo)"
DPD_REGULATION = "UU 7/2017 (Pemilu DPD) jo. PKPU 10/2022"
DPD_DPT = 3_800_000  # illustrative, in the 1-5 million band (2,000 supporters)
# polling day this many days ahead: the DPD calendar (support handed in 425 to 412 days before it) is then open
DPD_POLLING_DAYS_AHEAD = 420
DPD_CANDIDATE = ("5203012408780005", "Lalu Senator Contoh", "Selong", datetime.date(1978, 8, 24), "M")


def _pair(election, actor, path, name):
    pair = CandidatePair.objects.filter(election=election, name=name).first()
    if pair is None:
        pair = pair_create(actor=actor, election=election, path=path, name=name)
    for role, nik, person, place, born, sex in PERSONS[name]:
        if not pair.candidates.filter(role=role).exists():
            candidate_set(
                actor=actor,
                pair=pair,
                role=role,
                nik=nik,
                name=person,
                birth_place=place,
                birth_date=born,
                sex=sex,
                address="Jl. Contoh No. 1, Mataram",
                education="S2",
                occupation="Wiraswasta",
                cv_summary=f"{person}: riwayat hidup contoh untuk demo.",
                cv_publication_consent=role == "head",
            )
    return pair


def _election_create(actor, version: RegionListVersion) -> Election:
    """The demo governor election of NTB, with its stage schedule and the parties' DPRD results."""
    election = election_create(
        actor=actor,
        name=ELECTION_NAME,
        type=ElectionType.GOVERNOR,
        region_version=version,
        regulation=RegulationVersion.objects.get(party_rule=PartyRule.VOTES_AT_DPT_BANDS),
        region_code="52",
        polling_day=(timezone.now() + datetime.timedelta(days=120)).date(),
        dpt=NTB_DPT,
        total_valid_votes=NTB_DPRD_VALID_VOTES,
        total_seats=NTB_DPRD_SEATS,
    )
    now = timezone.now()
    for stage, (start, end) in SCHEDULE.items():
        stage_window_set(
            actor=actor,
            election=election,
            stage=stage,
            starts_at=now + datetime.timedelta(days=start),
            ends_at=now + datetime.timedelta(days=end),
        )
    for number, (votes, seats) in PARTY_RESULTS.items():
        party_result_set(
            actor=actor, election=election, party=Party.objects.get(number=number), votes=votes, seats=seats
        )
    return election


def _coalition(election: Election, actor, ctx: dict) -> CandidatePair:
    """The party-backed demo pair: its coalition, its nomination letter and its party admin account."""
    coalition = _pair(election, actor, Path.PARTY, "Lalu Demo Pratama – Baiq Contoh Lestari")
    if not coalition.nominations.exists():
        pair_nominate(actor=actor, pair=coalition, parties=list(Party.objects.filter(number__in=COALITION)))
    letter = DocumentRequirement.objects.get(regulation=election.regulation, path=Path.PARTY, code="nomination_letter")
    if not coalition.documents.filter(requirement=letter).exists():
        document_upload(
            actor=actor,
            pair=coalition,
            requirement=letter,
            file=SimpleUploadedFile("surat-pencalonan.pdf", DEMO_PDF, content_type="application/pdf"),
        )
    admin = PartyAdmin.objects.filter(pair=coalition).select_related("user").first()
    if admin is None:
        user, _password = party_admin_issue(actor=actor, pair=coalition)
        user_change_password(user=user, new_password=DEMO_PASSWORD)
    else:
        user = admin.user
    ctx.setdefault("accounts", []).append((user.username, DEMO_PASSWORD, "Admin partai paslon koalisi (demo)"))
    return coalition


def _dpd(actor, version: RegionListVersion, ctx: dict) -> CandidatePair:
    """NTB's Pemilu DPD (its calendar from its polling day) and its one demo candidate."""
    election = Election.objects.filter(name=DPD_ELECTION_NAME, region_code="52").first()
    if election is None:
        election = election_create(
            actor=actor,
            name=DPD_ELECTION_NAME,
            type=ElectionType.DPD,
            region_version=version,
            regulation=RegulationVersion.objects.get(name=DPD_REGULATION),
            region_code="52",
            polling_day=(timezone.now() + datetime.timedelta(days=DPD_POLLING_DAYS_AHEAD)).date(),
            dpt=DPD_DPT,
        )
        election_schedule_apply(actor=actor, election=election)
    nik, name, place, born, sex = DPD_CANDIDATE
    candidate = CandidatePair.objects.filter(election=election, name=name).first()
    if candidate is None:
        candidate = pair_create(actor=actor, election=election, path=Path.INDEPENDENT, name=name)
    if not candidate.candidates.exists():
        candidate_set(
            actor=actor,
            pair=candidate,
            role=CandidateRole.DPD,
            nik=nik,
            name=name,
            birth_place=place,
            birth_date=born,
            sex=sex,
            address="Jl. Contoh No. 2, Selong",
            education="S1",
            occupation="Wiraswasta",
            cv_summary=f"{name}: riwayat hidup contoh untuk demo.",
            cv_publication_consent=True,
        )
    ctx["dpd_election"], ctx["dpd_candidate"] = election, candidate
    return candidate


def build(*, ctx: dict, stdout) -> None:
    version = ctx.get("region_version") or RegionListVersion.objects.filter(is_default=True).first()
    if version is None:
        stdout.write("candidacy.demo: no region-list version loaded; the demo election is skipped.")
        return
    if not Region.objects.filter(version=version, code="52").exists():
        stdout.write(f"candidacy.demo: province 52 is not in {version}; the demo election is skipped.")
        return
    actor = ctx["users"]["kpu-ntb"]
    election = Election.objects.filter(name=ELECTION_NAME, region_code="52").first()
    if election is None:
        election = _election_create(actor, version)
    ctx["election"] = election

    coalition = _coalition(election, actor, ctx)
    independent = _pair(election, actor, Path.INDEPENDENT, "Muhammad Contoh – Siti Uji Rahmawati")
    ctx["independent_pair"] = independent
    requirement = election_support_requirement(election)
    stdout.write(
        f"candidacy.demo: {election.name}: support minimum {requirement.minimum:,}, "
        f"spread {requirement.spread_required} of {requirement.spread_total}; pairs: {coalition}, {independent}."
    )
    dpd_candidate = _dpd(actor, version, ctx)
    dpd_requirement = election_support_requirement(dpd_candidate.election)
    stdout.write(
        f"candidacy.demo: {dpd_candidate.election.name}: support minimum {dpd_requirement.minimum:,}, "
        f"spread {dpd_requirement.spread_required} of {dpd_requirement.spread_total}; DPD candidate: {dpd_candidate}."
    )
