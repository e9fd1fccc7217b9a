"""Pair pages: create, detail with status history, candidates, coalition, status moves, party admin."""

import mimetypes
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from silon.errors import page_refusals
from silon.numbers import grouped
from silon.one_time import never_stored, one_time_pop, one_time_stash

from .. import forms as f
from ..access import can_manage_election, can_see_election, candidate_values, candidate_viewer, is_pair_team
from ..kinds import election_kind, unit_label
from ..models import CANDIDATE_FIELDS, Candidate, Party, PartyAdmin, Path
from ..reads import candidate_record, supervised
from ..selectors import (
    coalition_check,
    election_party_threshold,
    pair_document_checklist,
    parties_available,
)
from ..services import (
    candidate_set,
    pair_confirm,
    pair_create,
    pair_move_options,
    pair_nominate,
    pair_rename,
    pair_transition,
    party_admin_issue,
    party_admin_revoke,
)
from ..status import EDITABLE_STATUSES
from .common import election_url, form_page, pair_url, require_manage, scoped_election, scoped_pair
from .exports import filtered_pairs


@login_required
def pair_list_view(request):
    form, pairs = filtered_pairs(request)
    page = Paginator(pairs, 50).get_page(request.GET.get("page"))
    return render(request, "candidacy/pair_list.html", {"form": form, "page": page})


@login_required
def pair_create_view(request, pk):
    election = scoped_election(request, pk)
    require_manage(request, election)
    kind = election_kind(election)
    form = f.PairForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        with page_refusals(request, form=form):
            pair = pair_create(actor=request.user, election=election, **form.cleaned_data)
            messages.success(request, _("%(unit)s dibuat.") % {"unit": kind.unit_label})
            return redirect("candidacy:pair_detail", pk=pair.pk)
    return form_page(request, form, title=kind.unit_label_new, back=election_url(election), obj=election)


@login_required
def pair_detail_view(request, pk):
    pair = scoped_pair(request, pk)
    election = pair.election
    supervised(actor=request.user, obj=pair, region_code=election.region_code)
    manage = can_manage_election(request.user, election)
    parties = [n.party for n in pair.nominations.all()]
    candidates = {c.role: c for c in pair.candidates.all()}
    checklist = pair_document_checklist(pair)
    return render(
        request,
        "candidacy/pair_detail.html",
        {
            "pair": pair,
            "election": election,
            "election_visible": can_see_election(request.user, election),
            "can_manage": manage,
            # candidates and parties change only while the pair is editable: the links to their forms go with it
            "can_edit": manage and pair.status in EDITABLE_STATUSES,
            "is_team": is_pair_team(request.user, pair),
            "candidate_rows": [
                (slug, role.label, candidates.get(role.value))
                for slug, role in f.ROLE_SLUGS.items()
                if role in election_kind(election).roles
            ],
            "unit_label": unit_label(pair),
            "nik_viewer": candidate_viewer(request.user, pair).listing(),
            "parties": parties,
            "coalition": coalition_check(election=election, parties=parties) if parties else None,
            "threshold": election_party_threshold(election),
            "checklist": checklist,
            "checked": sum(1 for r in checklist if r["latest"] and r["latest"].check_status == "complete"),
            "history": pair.status_history.all(),
            "moves": pair_move_options(pair) if manage else [],
            "transition_form": f.TransitionForm(),
            "party_admin": PartyAdmin.objects.filter(pair=pair, revoked_at__isnull=True).select_related("user").first(),
            "revoked_party_admins": PartyAdmin.objects.filter(pair=pair, revoked_at__isnull=False).select_related(
                "user", "revoked_by"
            ),
            "revoke_form": f.PartyAdminRevokeForm(),
            "confirmations": pair.confirmations.select_related("confirmed_by"),
            "confirmation_form": f.ConfirmationForm(),
            "is_party": pair.path == Path.PARTY,
        },
    )


@login_required
def pair_rename_view(request, pk):
    pair = scoped_pair(request, pk)
    require_manage(request, pair.election)
    form = f.PairRenameForm(request.POST or None, initial={"name": pair.name})
    if request.method == "POST" and form.is_valid():
        with page_refusals(request, form=form):
            pair_rename(actor=request.user, pair=pair, **form.cleaned_data)
            return redirect(pair_url(pair))
    return form_page(request, form, title=_("Ubah nama pasangan calon"), back=pair_url(pair), obj=pair)


@login_required
def nomination_view(request, pk):
    pair = scoped_pair(request, pk)
    require_manage(request, pair.election)
    if pair.path != Path.PARTY:
        raise Http404
    current = [n.party for n in pair.nominations.all()]
    choices = (parties_available(pair.election) | Party.objects.filter(pk__in=[p.pk for p in current])).order_by(
        "number"
    )
    form = f.NominationForm(request.POST or None, parties=choices, initial={"parties": current})
    if request.method == "POST" and form.is_valid():
        with page_refusals(request, form=form):
            pair_nominate(actor=request.user, pair=pair, parties=list(form.cleaned_data["parties"]))
            messages.success(request, _("Partai pengusul disimpan."))
            return redirect(pair_url(pair))
    threshold = election_party_threshold(pair.election)
    intro = _("Aturan: %(rule)s.") % {"rule": threshold.rule_label}
    if threshold.votes_required is not None:
        intro += " " + _("Suara sah yang diperlukan: %(votes)s.") % {"votes": grouped(threshold.votes_required)}
    if threshold.seats_required is not None:
        intro += " " + _("Atau kursi: %(seats)s.") % {"seats": threshold.seats_required}
    return form_page(request, form, title=_("Partai politik pengusul"), back=pair_url(pair), intro=intro, obj=pair)


@login_required
def candidate_set_view(request, pk, role):
    pair = scoped_pair(request, pk)
    require_manage(request, pair.election)
    if role not in f.ROLE_SLUGS or f.ROLE_SLUGS[role] not in election_kind(pair.election).roles:
        raise Http404
    role_value = f.ROLE_SLUGS[role]
    candidate = pair.candidates.filter(role=role_value).first()
    initial = {}
    if candidate:
        initial = {field: getattr(candidate, field) for field in CANDIDATE_FIELDS}
    form = f.CandidateForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with page_refusals(request, form=form):
            candidate_set(actor=request.user, pair=pair, role=role_value, **data)
            messages.success(request, _("Data calon disimpan."))
            return redirect(pair_url(pair))
    label = dict(f.CandidateRole.choices)[role_value]
    return form_page(request, form, title=label, back=pair_url(pair), obj=pair)


@login_required
def candidate_detail_view(request, pk, role):
    """The full record of a candidate (NIK, address): only for the jurisdiction and the pair's team, and
    every view is written to the audit log."""
    pair = scoped_pair(request, pk)
    if role not in f.ROLE_SLUGS:
        raise Http404
    candidate = candidate_record(actor=request.user, pair=pair, role=f.ROLE_SLUGS[role])
    values = candidate_values(candidate_viewer(request.user, pair), candidate)
    context = {"pair": pair, "candidate": candidate, "values": values, "role": role}
    return render(request, "candidacy/candidate_detail.html", context)


@login_required
def candidate_photo_view(request, pk, role):
    pair = scoped_pair(request, pk)
    candidate = get_object_or_404(Candidate, pair=pair, role=f.ROLE_SLUGS.get(role, ""))
    if not candidate.photo:
        raise Http404
    content_type = mimetypes.guess_type(candidate.photo.name)[0] or "application/octet-stream"
    return FileResponse(candidate.photo.open("rb"), content_type=content_type)


@login_required
@require_POST
def pair_transition_view(request, pk):
    pair = scoped_pair(request, pk)
    require_manage(request, pair.election)
    form = f.TransitionForm(request.POST)
    if not form.is_valid():  # each field's own message (a missing reason, a ballot number out of range)
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect(pair_url(pair))
    with page_refusals(request):
        pair_transition(actor=request.user, pair=pair, **form.cleaned_data)
        messages.success(request, _("Status pasangan calon diubah."))
    return redirect(pair_url(pair))


@login_required
@require_POST
def party_admin_issue_view(request, pk):
    pair = scoped_pair(request, pk)
    require_manage(request, pair.election)
    with page_refusals(request):
        user, password = party_admin_issue(actor=request.user, pair=pair)
        # the password waits in the issuer's session for the one GET that shows it (silon/one_time.py)
        values = {"username": user.username, "password": password}
        values["expires_at"] = user.expires_at.isoformat() if user.expires_at else ""
        one_time_stash(request, kind="party_admin", object_id=pair.pk, values=values)
        return redirect("candidacy:party_admin_issued", pk=pair.pk)
    return redirect(pair_url(pair))


@login_required
@require_safe
def party_admin_issued_view(request, pk):
    """The party admin account just issued, its one-time password shown on the first visit only."""
    pair = scoped_pair(request, pk)
    require_manage(request, pair.election)
    secret = one_time_pop(request, kind="party_admin", object_id=pair.pk)
    if secret and secret["expires_at"]:
        secret["expires_at"] = datetime.fromisoformat(secret["expires_at"])
    return never_stored(render(request, "candidacy/party_admin_issued.html", {"pair": pair, "secret": secret}))


@login_required
@require_POST
def party_admin_revoke_view(request, pk):
    pair = scoped_pair(request, pk)
    require_manage(request, pair.election)
    form = f.PartyAdminRevokeForm(request.POST)
    form.is_valid()
    with page_refusals(request):
        admin = party_admin_revoke(actor=request.user, pair=pair, reason=form.cleaned_data.get("reason", ""))
        messages.success(request, _("Akun admin partai %(u)s dicabut.") % {"u": admin.user.username})
    return redirect(pair_url(pair))


@login_required
@require_POST
def pair_confirm_view(request, pk):
    pair = scoped_pair(request, pk)
    form = f.ConfirmationForm(request.POST)
    form.is_valid()
    pair_confirm(actor=request.user, pair=pair, note=form.cleaned_data.get("note", ""))
    messages.success(request, _("Konfirmasi dicatat."))
    return redirect(pair_url(pair))
