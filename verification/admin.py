"""Rounds and results change only through services, so they are read-only here."""

from django.contrib import admin

from .models import VerificationRound


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
