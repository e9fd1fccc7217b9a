from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "role", "level", "region_code", "is_active", "must_change_password", "expires_at")
    list_filter = ("role", "level", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("SILON", {"fields": ("role", "level", "region_code", "must_change_password", "expires_at")}),
    )
