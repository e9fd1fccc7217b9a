"""Candidate pairs: creation, their candidates (with eligibility checks), and the status machine."""

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from silon.accounts.models import User
from silon.audit import actions
from silon.audit.services import audit_record
from silon.privacy import mask_nik

from ..access import require_manage_election
from ..files import validate_photo
from ..kinds import election_kind
from ..models import (
    Candidate,
    CandidatePair,
    CandidateRole,
    Election,
    PairStatus,
    PairStatusChange,
    Path,
    Stage,
    SupportStatus,
)
from ..nik import NikError, nik_matches, parse_nik
from ..rules import age_on
from ..selectors import determination_date
from ..status import EDITABLE_STATUSES
from .stages import stage_require_open


@transaction.atomic
def pair_create(*, actor: User, election: Election, path: str, name: str) -> CandidatePair:
    require_manage_election(actor, election)
    if not name.strip():
        raise ValidationError({"name": _("Nama pasangan calon wajib diisi.")})
    stage_require_open(election=election, stage=Stage.REGISTRATION)
    if path not in election_kind(election).paths:
        # a DPD candidate stands as an individual: no party route (UU 7/2017 Pasal 182)
        raise ValidationError(
            {"path": _("Jalur ini tidak tersedia untuk %(type)s.") % {"type": election.get_type_display()}}
        )
    pair = CandidatePair.objects.create(
        election=election,
        path=Path(path),
        name=name.strip(),
        support_status=SupportStatus.COLLECTING if path == Path.INDEPENDENT else SupportStatus.NOT_APPLICABLE,
    )
    PairStatusChange.objects.create(
        pair=pair, from_status="", to_status=PairStatus.DRAFT, actor=actor, reason=_("Pasangan calon dibuat.")
    )
    audit_record(
        actor=actor,
        action=actions.PAIR_CREATE,
        obj=pair,
        region_code=election.region_code,
        after={"path": path, "name": pair.name},
    )
    return pair


@transaction.atomic
def pair_rename(*, actor: User, pair: CandidatePair, name: str) -> CandidatePair:
    require_manage_election(actor, pair.election)
    if not name.strip():
        raise ValidationError({"name": _("Nama pasangan calon wajib diisi.")})
    before = pair.name
    pair.name = name.strip()
    pair.save(update_fields=["name"])
    audit_record(
        actor=actor,
        action=actions.PAIR_RENAME,
        obj=pair,
        region_code=pair.election.region_code,
        before={"name": before},
        after={"name": pair.name},
    )
    return pair


def candidate_field_problems(
    *, election: Election, nik: str, birth_date: datetime.date, sex: str, on: datetime.date | None
) -> dict[str, list[str]]:
    """Why a person cannot stand, in Indonesian, by the field at fault (``nik``, ``birth_date``); empty when
    eligible. ``on`` is the determination day (age is not checked without it)."""
    problems: dict[str, list[str]] = {}
    try:
        parse_nik(nik)
    except NikError as exc:
        problems.setdefault("nik", []).append(str(exc))
    else:
        if not nik_matches(nik, birth_date, sex):
            # docs/domain.md §6: digits 7-12 are the birth date, day + 40 for women.
            problems.setdefault("nik", []).append(_("NIK tidak sesuai dengan tanggal lahir dan jenis kelamin."))
    if on is not None:
        # counted on the day of determination (MK 70/PUU-XXII/2024); the minimum is the kind's (``candidacy.kinds``)
        minimum = election_kind(election).minimum_age
        if age_on(birth_date, on) < minimum:
            problems.setdefault("birth_date", []).append(
                _("Usia calon pada tanggal penetapan %(date)s belum %(min)s tahun (MK 70/PUU-XXII/2024).")
                % {"date": on.strftime("%d-%m-%Y"), "min": minimum}
            )
    return problems


def candidate_problems(
    *, election: Election, nik: str, birth_date: datetime.date, sex: str, on: datetime.date | None
) -> list[str]:
    """``candidate_field_problems`` as one list (for the determination guard, which names the candidate)."""
    by_field = candidate_field_problems(election=election, nik=nik, birth_date=birth_date, sex=sex, on=on)
    return [message for messages in by_field.values() for message in messages]


@transaction.atomic
def candidate_set(
    *,
    actor: User,
    pair: CandidatePair,
    role: str,
    nik: str,
    name: str,
    birth_place: str,
    birth_date: datetime.date,
    sex: str,
    address: str,
    education: str,
    occupation: str,
    cv_summary: str = "",
    cv_publication_consent: bool = False,
    photo: UploadedFile | None = None,
) -> Candidate:
    """Enter or correct the head or deputy of a pair, checking NIK, age and one-pair-per-person."""
    election = pair.election
    require_manage_election(actor, election)
    if pair.status not in EDITABLE_STATUSES:
        raise ValidationError(_("Data calon hanya dapat diubah saat draf atau perbaikan."))
    # Candidates are entered at registration and corrected when KPU asks, both inside the registration window.
    stage_require_open(election=election, stage=Stage.REGISTRATION, pair=pair)
    if role not in election_kind(pair.election).roles:
        raise ValidationError(
            {"role": _("Kedudukan calon ini tidak ada pada %(type)s.") % {"type": election.get_type_display()}}
        )
    nik = nik.strip()
    _candidate_require_eligible(pair=pair, role=role, nik=nik, birth_date=birth_date, sex=sex, photo=photo)
    candidate = Candidate.objects.filter(pair=pair, role=role).first()
    before = {"nik": mask_nik(candidate.nik), "name": candidate.name} if candidate else None
    candidate = candidate or Candidate(pair=pair, election=election, role=CandidateRole(role))
    candidate.nik = nik
    candidate.name = name
    candidate.birth_place = birth_place
    candidate.birth_date = birth_date
    candidate.sex = sex
    candidate.address = address
    candidate.education = education
    candidate.occupation = occupation
    candidate.cv_summary = cv_summary
    candidate.cv_publication_consent = cv_publication_consent
    if photo is not None:
        photo.name = f"{uuid.uuid4().hex}{photo.name[photo.name.rfind('.') :].lower()}"
        candidate.photo = photo
    _candidate_save(candidate)
    audit_record(
        actor=actor,
        action=actions.CANDIDATE_SET,
        obj=candidate,
        region_code=election.region_code,
        before=before,
        # Personal data goes into the trail masked (UU 27/2022).
        after={"pair": pair.pk, "role": role, "nik": mask_nik(nik), "name": name, "cv_consent": cv_publication_consent},
    )
    return candidate


def _candidate_require_eligible(
    *, pair: CandidatePair, role: str, nik: str, birth_date: datetime.date, sex: str, photo: UploadedFile | None
) -> None:
    """Refuse a candidate whose NIK, age, photo or NIK already in another pair of the election is at fault,
    every problem keyed by its field so that the page and the API show each message next to the input."""
    election = pair.election
    problems = candidate_field_problems(
        election=election, nik=nik, birth_date=birth_date, sex=sex, on=determination_date(election)
    )
    other = Candidate.objects.filter(election=election, nik=nik).exclude(pair=pair, role=role).select_related("pair")
    clash = other.first()
    if clash is not None:
        problems.setdefault("nik", []).append(
            _("Orang dengan NIK ini sudah terdaftar pada pasangan %(pair)s dalam pemilihan ini.") % {"pair": clash.pair}
        )
    if photo is not None:
        try:
            validate_photo(photo)
        except ValidationError as exc:
            problems.setdefault("photo", []).extend(exc.messages)
    if problems:
        raise ValidationError(problems)


def _candidate_save(candidate: Candidate) -> None:
    """Save ``candidate``; the database's one-pair-per-person constraint catches a concurrent entry."""
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"nik": _("Orang dengan NIK ini sudah terdaftar pada pasangan lain dalam pemilihan ini.")}
        ) from exc


def require_pair_editor(actor: User, pair: CandidatePair) -> None:
    """KPU decides; a pair's own team never edits (raises ``PermissionDenied``)."""
    try:
        require_manage_election(actor, pair.election)
    except PermissionDenied:
        raise PermissionDenied(_("Anda tidak berwenang mengubah data pasangan calon ini.")) from None
