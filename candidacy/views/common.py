"""Helpers shared by the candidacy pages: scoped look-ups (404 out of reach), the write check (403)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from silon.accounts.models import Role
from silon.audit import actions
from silon.audit.services import audit_record

from ..access import can_manage_election
from ..selectors import (
    election_list,
    pair_detail_queryset,
)


def scoped_election(request, pk):
    return get_object_or_404(election_list(user=request.user), pk=pk)


def scoped_pair(request, pk):
    return get_object_or_404(pair_detail_queryset(user=request.user), pk=pk)


def log_supervision(request, obj, region_code):
    """Bawaslu supervises read-only, and every view it makes is recorded (DOMAIN.md §2)."""
    if request.user.role == Role.BAWASLU:
        audit_record(actor=request.user, action=actions.SUPERVISION_VIEW, obj=obj, region_code=region_code)


def log_supervision_list(request, objs, region_code=""):
    """One ``supervision.view`` event for a list Bawaslu read (the ids it was shown)."""
    if request.user.role == Role.BAWASLU and objs:
        ids = [obj.pk for obj in objs]
        audit_record(
            actor=request.user,
            action=actions.SUPERVISION_VIEW,
            object_type=objs[0]._meta.label_lower,
            object_id=",".join(map(str, ids))[:64],
            region_code=region_code or request.user.region_code,
            after={"ids": ids},
        )


def require_manage(request, election):
    if not can_manage_election(request.user, election):
        raise PermissionDenied(_("Anda hanya dapat membaca data ini."))


def form_page(request, form, *, title, back, submit=None, intro=None, obj=None):
    """The form page; a refused submission (the form's or the service's errors shown on it) answers 400."""
    refused = request.method == "POST" and form.is_bound and bool(form.errors)
    return render(
        request,
        "candidacy/form.html",
        {"form": form, "title": title, "back": back, "submit": submit or _("Simpan"), "intro": intro, "obj": obj},
        status=400 if refused else 200,
    )


def election_url(election):
    return reverse("candidacy:election_detail", kwargs={"pk": election.pk})


def pair_url(pair):
    return reverse("candidacy:pair_detail", kwargs={"pk": pair.pk})
