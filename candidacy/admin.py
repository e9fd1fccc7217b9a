"""Reference data kept as admin-editable rows: regulation versions with their bands, the national party
list and the required-document checklist. Elections, pairs and documents change only through services
(pages and API), so they are read-only here."""

from django.contrib import admin

from .models import DocumentRequirement, Party, RegulationVersion, ThresholdBand


class ThresholdBandInline(admin.TabularInline):
    model = ThresholdBand
    extra = 0


@admin.register(RegulationVersion)
class RegulationVersionAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "effective_from",
        "party_rule",
        "party_seatless_may_join",
        "spread_at_least_half",
        "duplicate_penalty",
    )
    inlines = [ThresholdBandInline]


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ("number", "short_name", "name", "is_active")
    list_filter = ("is_active",)
    search_fields = ("short_name", "name")


@admin.register(DocumentRequirement)
class DocumentRequirementAdmin(admin.ModelAdmin):
    list_display = ("label", "label_en", "code", "regulation", "path", "scope", "is_required", "order")
    list_filter = ("regulation", "path", "scope", "is_required")
    list_editable = ("is_required", "order")
    search_fields = ("code", "label", "label_en")
    fields = ("regulation", "path", "code", "label", "label_en", "scope", "note", "is_required", "order")
