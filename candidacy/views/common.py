"""Helpers shared by the candidacy pages: scoped look-ups (404 out of reach), the write check (403).
Bawaslu's reads are recorded by ``candidacy.reads.supervised`` (and ``supervised_list``)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..access import can_manage_election
from ..selectors import (
    election_list,
    pair_detail_queryset,
)


def scoped_election(request, pk):
    return get_object_or_404(election_list(user=request.user), pk=pk)


def scoped_pair(request, pk):
    return get_object_or_404(pair_detail_queryset(user=request.user), pk=pk)


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
