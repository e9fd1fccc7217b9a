"""Scoped reads of outages (issue #18): an official sees the outages of their jurisdiction and the national
ones (the probes' proposals are national); anyone else none."""

from django.db.models import Q, QuerySet
from django.http import Http404

from silon.accounts.access import is_kpu_operator
from silon.accounts.jurisdiction import region_q
from silon.accounts.models import User

from .models import Outage, OutageStatus


def outage_list(*, user: User) -> QuerySet[Outage]:
    if not user.is_official:
        return Outage.objects.none()
    return Outage.objects.filter(Q(region_code="") | region_q(user, "region_code")).select_related(
        "recorded_by", "decided_by"
    )


def outages_proposed(*, user: User) -> QuerySet[Outage]:
    """The proposals ``user`` may decide: a KPU operator's whose reach covers their region."""
    if not is_kpu_operator(user):
        return Outage.objects.none()
    return Outage.objects.filter(status=OutageStatus.PROPOSED).filter(region_q(user, "region_code"))


def outage_for_user(user: User, pk: int) -> Outage:
    outage = outage_list(user=user).filter(pk=pk).first()
    if outage is None:
        raise Http404
    return outage
