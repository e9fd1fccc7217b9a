"""Who may do what on elections and pairs. Region reach comes from ``silon.accounts.jurisdiction``; a pair's
own team (LO accounts, party admin) holds the django-guardian grant ``candidacy.operate_pair``."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from silon.accounts.access import KPU_OPERATOR_ROLES
from silon.accounts.jurisdiction import region_in_reach
from silon.accounts.models import User
from silon.privacy import Kind, Need, Viewer, viewer_for

from .models import CandidatePair, Election

WRITER_ROLES = KPU_OPERATOR_ROLES  # the KPU-operator roles (silon.accounts.access); superusers also write


def can_write(user: User) -> bool:
    """KPU operators (and system admins) write; Bawaslu, verifiers and pair teams do not."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role in WRITER_ROLES))


def can_manage_election(user: User, election: Election) -> bool:
    return can_write(user) and region_in_reach(user, election.region_code)


def can_see_election(user: User, election: Election) -> bool:
    """The election's page is the jurisdiction's (``selectors.election_list``); a pair's team sees its pair only,
    so pages it shares with operators link the election only for those who may open it."""
    return region_in_reach(user, election.region_code)


def require_manage_election(user: User, election: Election) -> None:
    if not can_manage_election(user, election):
        raise PermissionDenied(_("Anda tidak berwenang mengubah data pemilihan ini."))


def is_pair_team(user: User, pair: CandidatePair) -> bool:
    return bool(user.is_authenticated and user.has_perm("candidacy.operate_pair", pair))


def can_see_personal_data(user: User, pair: CandidatePair) -> bool:
    """Operators of the jurisdiction (and Bawaslu, read-only) and the pair's own team may open a candidate's
    record; how much of it each sees is ``candidate_viewer``'s."""
    return region_in_reach(user, pair.election.region_code) or is_pair_team(user, pair)


def candidate_viewer(user: User, pair: CandidatePair) -> Viewer:
    """How ``user`` sees the personal data of ``pair``'s candidates (``silon.privacy.POLICY``): the NIK in full
    only to KPU of the jurisdiction; Bawaslu, the pair's team and everyone else see it masked or not at all,
    and then the year of birth only."""
    viewer = viewer_for(user, region_code=pair.election.region_code)
    if viewer.need == Need.NONE and is_pair_team(user, pair):  # asked only when the region gives no need
        viewer = viewer_for(user, region_code=pair.election.region_code, own_team=True)
    return viewer


def candidate_values(viewer: Viewer, candidate) -> dict[str, str]:
    """The candidate's NIK, date of birth and address as ``viewer`` may see them."""
    values = {Kind.CANDIDATE_NIK: candidate.nik, Kind.BIRTH_DATE: candidate.birth_date, Kind.ADDRESS: candidate.address}
    shown = viewer.record(values, person=Kind.CANDIDATE_NIK)
    return {"nik": shown[Kind.CANDIDATE_NIK], "birth_date": shown[Kind.BIRTH_DATE], "address": shown[Kind.ADDRESS]}


# The requirement documents that are scans of an identity document (docs/domain.md §3.7 checklist, seeded in
# candidacy/migrations/0005): an image cannot be masked, so it is opened only by viewers who may see the whole
# record (``Kind.IDENTITY_IMAGE`` in ``silon.privacy.POLICY``; SECURITY.md "Images").
IDENTITY_DOCUMENTS = frozenset({"ktp"})


def can_open_document(user: User, pair: CandidatePair, requirement_code: str) -> bool:
    """Whether ``user`` (who reaches the pair) may open a document of this requirement: every document but an
    identity scan, which needs the whole-record view."""
    return requirement_code not in IDENTITY_DOCUMENTS or candidate_viewer(user, pair).full(Kind.IDENTITY_IMAGE)
