"""Reads of the voter list (DPT) pages: the election an operator may import a DPT for, and its versions."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from candidacy.access import can_manage_election
from candidacy.models import Election
from candidacy.selectors import election_list

from .models import DptStatus, DptVersion


def dpt_election_for_user(user, election_id: int) -> Election:
    """The election, for a KPU operator of its region (``can_manage_election``): 404 out of reach (no existence
    leak), 403 for a reader in reach (Bawaslu)."""
    election = get_object_or_404(election_list(user=user), pk=election_id)
    if not can_manage_election(user, election):
        raise PermissionDenied(_("Anda hanya dapat membaca data ini."))
    return election


def dpt_versions(election: Election) -> QuerySet[DptVersion]:
    return DptVersion.objects.filter(election=election).select_related("uploaded_by").order_by("-number")


def active_dpt_version(election_id: int) -> DptVersion | None:
    """The election's active DPT version; None: no matching with a DPT is done."""
    return DptVersion.objects.filter(election_id=election_id, status=DptStatus.ACTIVE).first()
