"""The voter list (DPT) page of an election: its versions, the import form, the running import's progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from silon.errors import page_refusals
from silon.throttling import ElectionImportRateThrottle, upload_refusal

from .forms import DptImportForm
from .selectors_dpt import dpt_election_for_user, dpt_versions
from .services import dpt_import_create


@login_required
def dpt_page(request, election_id: int):
    election = dpt_election_for_user(request.user, election_id)
    form = DptImportForm()
    if request.method == "POST":
        back = reverse("support_uploads:dpt", args=[election.pk])
        refused = upload_refusal(request, back=back, throttle_class=ElectionImportRateThrottle)
        if refused is not None:
            return refused
        form = DptImportForm(request.POST, request.FILES)
        if form.is_valid():
            with page_refusals(request, form=form):
                version = dpt_import_create(actor=request.user, election=election, file=form.cleaned_data["file"])
                messages.success(request, _("DPT versi %(n)s diterima dan sedang dimuat.") % {"n": version.number})
                return redirect("support_uploads:dpt", election_id=election.pk)
    versions = list(dpt_versions(election))
    context = {"election": election, "form": form, "versions": versions, "latest": versions[0] if versions else None}
    status = 400 if request.method == "POST" and form.is_bound and form.errors else 200
    return render(request, "support_uploads/dpt.html", context, status=status)


@login_required
@require_safe
def dpt_progress(request, election_id: int):
    election = dpt_election_for_user(request.user, election_id)
    latest = dpt_versions(election).first()
    return render(request, "support_uploads/_dpt_progress.html", {"election": election, "latest": latest})
