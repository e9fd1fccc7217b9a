"""Read-only admin: region lists are loaded with ``regions_load`` and never edited in place."""

from django.contrib import admin

from .models import Region, RegionListVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RegionListVersion)
class RegionListVersionAdmin(ReadOnlyAdmin):
    list_display = ["name", "decree", "effective_date", "is_default", "row_count", "loaded_at"]


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "version"]
    list_filter = ["version", "level", "kind"]
    search_fields = ["=code", "name"]
    show_full_result_count = False  # a COUNT over ~180k rows on every page is wasted work
    list_select_related = ["version"]
