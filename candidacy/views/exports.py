"""The pair list and the election list, filtered as on their pages, as CSV or xlsx downloads (#21)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from silon.tables import FORMATS, table_download

from .. import forms as f
from ..models import Candidate, CandidateRole, Election
from ..reads import elections_exported, pairs_exported
from ..selectors import election_filtered_list, pair_filtered_list, pair_list


def filtered_pairs(request):
    """The pair list page's filter form and its pairs, in the page's order."""
    elections = Election.objects.filter(pk__in=pair_list(user=request.user).values("election_id")).order_by("name")
    form = f.PairFilterForm(request.GET or None, elections=elections)
    filters = form.cleaned_data if form.is_valid() else {}
    pairs = pair_filtered_list(
        user=request.user,
        election=filters.get("election"),
        path=filters.get("path", ""),
        status=filters.get("status", ""),
        search=filters.get("q", ""),
    ).order_by("election__name", "ballot_number", "id")
    return form, pairs


def filtered_elections(request):
    """The election list page's filter form and its elections (with their pair counts), in the page's order."""
    form = f.ElectionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    elections = (
        election_filtered_list(
            user=request.user,
            type=filters.get("type", ""),
            region=filters.get("region", ""),
            year=filters.get("year"),
            search=filters.get("q", ""),
        )
        .annotate(pair_count=Count("pairs"))
        .order_by("region_code", "-polling_day", "pk")
    )
    return form, elections


def _query(request, fmt: str) -> dict:
    return {**{k: v for k, v in request.GET.items() if k != "page"}, "format": fmt}


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404
    return fmt


@login_required
@require_safe
def pair_list_export_view(request, fmt: str):
    fmt = _format(fmt)
    _form, pairs = filtered_pairs(request)
    pairs = pairs.select_related("election").prefetch_related(
        "nominations__party", Prefetch("candidates", queryset=Candidate.objects.order_by("role"))
    )
    pairs = pairs_exported(actor=request.user, pairs=list(pairs), query=_query(request, fmt))
    header = [
        _("Pemilihan"),
        _("Kode wilayah"),
        _("Wilayah"),
        _("Pasangan calon"),
        _("Jalur"),
        _("Status"),
        _("Dukungan"),
        _("Nomor urut"),
        _("Calon kepala daerah"),
        _("Calon wakil"),
        _("Partai pengusul"),
    ]

    def rows():
        for p in pairs:
            names = {c.role: c.name for c in p.candidates.all()}
            yield [
                p.election.name,
                p.election.region_code,
                p.election.region_name,
                p.name,
                p.get_path_display(),
                p.get_status_display(),
                p.get_support_status_display() if p.support_status else "",
                p.ballot_number if p.ballot_number is not None else "",
                names.get(CandidateRole.HEAD, ""),
                names.get(CandidateRole.DEPUTY, ""),
                ", ".join(n.party.short_name for n in p.nominations.all()),
            ]

    return table_download(filename=_("pasangan-calon"), header=header, rows=rows(), fmt=fmt)


@login_required
@require_safe
def election_list_export_view(request, fmt: str):
    fmt = _format(fmt)
    _form, elections = filtered_elections(request)
    elections = elections_exported(
        actor=request.user, elections=list(elections.select_related("regulation")), query=_query(request, fmt)
    )
    header = [
        _("Pemilihan"),
        _("Jenis"),
        _("Kode wilayah"),
        _("Wilayah"),
        _("Hari pemungutan suara"),
        _("DPT"),
        _("Pasangan calon"),
        _("Regulasi"),
    ]
    rows = (
        [
            e.name,
            e.get_type_display(),
            e.region_code,
            e.region_name,
            e.polling_day.isoformat() if e.polling_day else "",
            e.dpt if e.dpt is not None else "",
            e.pair_count,
            e.regulation.name,
        ]
        for e in elections
    )
    return table_download(filename=_("pemilihan"), header=header, rows=rows, fmt=fmt)
