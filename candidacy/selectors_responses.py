"""Reads of public responses on pairs (docs/domain.md §9.2), scoped by the acting user: the KPU operators and
Bawaslu of the election's region (Bawaslu read-only); anyone else reaches none. The public form's pair and
its window are read here too."""

import datetime

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from silon.accounts.access import is_kpu_operator
from silon.accounts.jurisdiction import region_q
from silon.accounts.models import Role, User

from .models import CandidatePair, PublicResponse, ResponseStatus, Stage, StageWindow
from .schedule import stage_deadline


def responses_may_read(user: User) -> bool:
    return bool(user.is_authenticated and (is_kpu_operator(user) or user.role == Role.BAWASLU))


def responses_for_user(user: User, *, status: str = "", pair_id: int | None = None) -> QuerySet[PublicResponse]:
    """The responses of elections in the user's region, newest first (none for any other role)."""
    if not responses_may_read(user):
        return PublicResponse.objects.none()
    rows = PublicResponse.objects.filter(region_q(user, "election__region_code")).select_related(
        "pair", "election", "candidate"
    )
    if status in ResponseStatus.values:
        rows = rows.filter(status=status)
    if pair_id is not None:
        rows = rows.filter(pair_id=pair_id)
    return rows


def response_for_user(user: User, response_id: int) -> PublicResponse:
    response = responses_for_user(user).filter(pk=response_id).first()
    if response is None:
        raise Http404
    return response


def response_pair(pair_id: int) -> CandidatePair:
    """The pair a member of the public responds on (every pair is public), or 404."""
    pair = CandidatePair.objects.select_related("election").filter(pk=pair_id).first()
    if pair is None:
        raise Http404
    return pair


def response_window(pair: CandidatePair, now: datetime.datetime | None = None) -> dict:
    """The election's public-response window for the form: its start, its effective end and whether it is open."""
    now = now or timezone.now()
    window = StageWindow.objects.filter(election_id=pair.election_id, stage=Stage.PUBLIC_RESPONSE).first()
    if window is None:
        return {"starts_at": None, "ends_at": None, "open": False}
    ends_at = stage_deadline(election=pair.election, stage=Stage.PUBLIC_RESPONSE, pair=pair)
    return {"starts_at": window.starts_at, "ends_at": ends_at, "open": window.starts_at <= now <= ends_at}
