import csv
from datetime import timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from silon.csvsafe import csv_safe

from .reads import audit_events_export
from .selectors import audit_event_list, can_read_audit_log


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Tindakan"), required=False)
    actor = forms.CharField(label=_("Pelaku"), required=False)
    object_type = forms.CharField(label=_("Jenis objek"), required=False)
    since = forms.DateField(label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


def _filtered(request):
    if not can_read_audit_log(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    until = filters.get("until")
    events = audit_event_list(
        user=request.user,
        action=filters.get("action", ""),
        actor=filters.get("actor", ""),
        object_type=filters.get("object_type", ""),
        since=filters.get("since"),
        until=until + timedelta(days=1) if until else None,
    )
    return form, events


def audit_log(request):
    form, events = _filtered(request)
    page = Paginator(events.select_related(None), 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"form": form, "page": page})


class _Echo:
    def write(self, value):
        return value


def audit_log_export(request):
    _form, events = _filtered(request)
    events = audit_events_export(actor=request.user, events=events, query=request.GET.dict())
    writer = csv.writer(_Echo())
    header = [
        "id",
        "created_at",
        "actor",
        "role",
        "action",
        "object_type",
        "object_id",
        "object",
        "region",
        "ip",
        "hash",
    ]

    def rows():
        yield writer.writerow(header)
        for e in events.iterator(chunk_size=2000):
            yield writer.writerow(
                csv_safe(
                    [
                        e.id,
                        e.created_at.isoformat(),
                        e.actor_username,
                        e.actor_role,
                        e.action,
                        e.object_type,
                        e.object_id,
                        e.object_repr,
                        e.region_code,
                        e.ip_address or "",
                        e.hash,
                    ]
                )
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response
