from django.contrib import admin

from ipcenter.singleton import singleton_admin

from .models import Agreement, Dispute, MediationSettings, Party, MediationSession

admin.site.register(MediationSettings, singleton_admin())


def _signed(dispute):
    """A dispute with a signed agreement: its parties and record back the public verification
    page, so the admin shows them read-only."""
    return dispute is not None and Agreement.objects.filter(dispute=dispute).exists()


class FrozenWhenSignedInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return not _signed(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _signed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _signed(obj) and super().has_delete_permission(request, obj)


class PartyInline(FrozenWhenSignedInline):
    model = Party
    raw_id_fields = ["organization", "consent_document"]


class MediationSessionInline(FrozenWhenSignedInline):
    model = MediationSession
    exclude = ["created_by"]


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ["number", "subject", "station", "mediator", "state", "due_date", "created_at"]
    list_filter = ["state", "ip_type"]
    search_fields = ["number", "subject", "parties__name"]
    list_select_related = ["station", "mediator"]
    raw_id_fields = ["station", "mediator", "created_by"]
    inlines = [PartyInline, MediationSessionInline]

    def get_readonly_fields(self, request, obj=None):
        if _signed(obj):
            return [f.name for f in self.model._meta.concrete_fields]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _signed(obj) and super().has_delete_permission(request, obj)


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """Read-only: a signed agreement is never edited (its hash backs the public verification)."""

    list_display = ["number", "dispute", "signed_on", "mediator_name"]
    search_fields = ["number", "dispute__number"]
    readonly_fields = ["dispute", "number", "terms", "signed_on", "mediator_name", "content_hash", "token", "pdf",
                       "created_by", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
