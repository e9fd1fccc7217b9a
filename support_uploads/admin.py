"""Admin of independent support. Reason codes stay an editable list (labels, legal basis, new TMS reasons);
every edit of the list is written to the hash-chained audit log with its values before and after, like any
other state change."""

from django.contrib import admin
from django.db import transaction

from silon.audit import actions
from silon.audit.services import audit_record

from .models import ReasonCode, ReasonSeverity

REASON_FIELDS = ("code", "label_id", "label_en", "severity", "legal_basis")


def _reason_values(reason: ReasonCode) -> dict:
    return {field: getattr(reason, field) for field in REASON_FIELDS}


@admin.register(ReasonCode)
class ReasonCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "label_id", "severity", "legal_basis")
    list_filter = ("severity",)
    search_fields = ("code", "label_id", "label_en")

    def get_readonly_fields(self, request, obj=None):
        # a code already used by rows and results keeps its key; its labels stay editable
        return ("code",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        stored = ReasonCode.objects.filter(pk=obj.pk).first() if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action=actions.VERIFICATION_REASON_CHANGE if change else actions.VERIFICATION_REASON_ADD,
                obj=obj,
                before=_reason_values(stored) if stored is not None else None,
                after=_reason_values(obj),
            )

    def delete_model(self, request, obj):
        before = _reason_values(obj)
        with transaction.atomic():
            super().delete_model(request, obj)
            audit_record(
                actor=request.user,
                action=actions.VERIFICATION_REASON_DELETE,
                object_type=ReasonCode._meta.label_lower,
                object_id=before["code"],
                object_repr=f"{before['code']}: {before['label_id']}",
                before=before,
            )

    def delete_queryset(self, request, queryset):
        # the changelist's "delete selected": one event per reason, in the transaction of the delete
        with transaction.atomic():
            deleted = [_reason_values(reason) for reason in queryset.select_for_update()]
            super().delete_queryset(request, queryset)
            for before in deleted:
                audit_record(
                    actor=request.user,
                    action=actions.VERIFICATION_REASON_DELETE,
                    object_type=ReasonCode._meta.label_lower,
                    object_id=before["code"],
                    object_repr=f"{before['code']}: {before['label_id']}",
                    before=before,
                )


def _severity_values(row: ReasonSeverity) -> dict:
    return {"regulation": row.regulation_id, "reason": row.reason_id, "severity": row.severity}


@admin.register(ReasonSeverity)
class ReasonSeverityAdmin(admin.ModelAdmin):
    """A reason's severity under one regulation version (e.g. NOT_IN_DPT rejected or held for review), data
    the pipeline reads (``services.dpt.reason_severity``); every change audited with its values."""

    list_display = ("regulation", "reason", "severity")
    list_filter = ("regulation", "severity")

    def save_model(self, request, obj, form, change):
        stored = ReasonSeverity.objects.filter(pk=obj.pk).first() if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action=actions.SUPPORT_REASON_SEVERITY_SET,
                obj=obj,
                before=_severity_values(stored) if stored is not None else None,
                after=_severity_values(obj),
            )

    def delete_model(self, request, obj):
        before, pk = _severity_values(obj), obj.pk
        with transaction.atomic():
            super().delete_model(request, obj)
            audit_record(
                actor=request.user,
                action=actions.SUPPORT_REASON_SEVERITY_DELETE,
                object_type=ReasonSeverity._meta.label_lower,
                object_id=str(pk),
                before=before,
            )

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            deleted = [(row.pk, _severity_values(row)) for row in queryset.select_for_update()]
            super().delete_queryset(request, queryset)
            for pk, before in deleted:
                audit_record(
                    actor=request.user,
                    action=actions.SUPPORT_REASON_SEVERITY_DELETE,
                    object_type=ReasonSeverity._meta.label_lower,
                    object_id=str(pk),
                    before=before,
                )
