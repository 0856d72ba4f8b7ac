from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Organization, Station, TechnicalField, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "organization", "station", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "station__kind"]
    search_fields = ["username", "display_name", "email", "organization__name"]
    autocomplete_fields = ["organization", "station"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("门户"), {"fields": ["display_name", "phone", "organization", "station", "technical_fields", "hired_on"]}),
    )


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "kind", "league", "status", "created_at"]
    list_filter = ["status", "kind", "league"]
    search_fields = ["name", "uscc"]
    filter_horizontal = ["technical_fields", "clients"]


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "code"]
    readonly_fields = ["path"]


@admin.register(TechnicalField)
class TechnicalFieldAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "prescreen_enabled", "sort_order"]
    list_editable = ["prescreen_enabled", "sort_order"]
