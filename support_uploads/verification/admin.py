"""Reason codes stay an editable list (labels, legal basis, new TMS reasons); rounds and results change only
through services, so they are read-only here."""

from django.contrib import admin

from ..models import ReasonCode
from .models import VerificationRound


@admin.register(ReasonCode)
class ReasonCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "label_id", "severity", "legal_basis")
    list_filter = ("severity",)
    search_fields = ("code", "label_id", "label_en")

    def get_readonly_fields(self, request, obj=None):
        # a code already used by rows and results keeps its key; its labels stay editable
        return ("code",) if obj is not None else ()


@admin.register(VerificationRound)
class VerificationRoundAdmin(admin.ModelAdmin):
    list_display = ("pair", "kind", "batch", "opened_at", "closed_at", "closed_by")
    list_filter = ("kind", "batch")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
