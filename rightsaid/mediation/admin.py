from django.contrib import admin

from ipcenter.singleton import singleton_admin

from .models import Agreement, Dispute, MediationSettings, Party, Session

admin.site.register(MediationSettings, singleton_admin())


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    raw_id_fields = ["organization", "consent_document"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    exclude = ["created_by"]


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ["number", "subject", "station", "mediator", "state", "due_date", "created_at"]
    list_filter = ["state", "ip_type"]
    search_fields = ["number", "subject", "parties__name"]
    list_select_related = ["station", "mediator"]
    raw_id_fields = ["station", "mediator", "created_by"]
    inlines = [PartyInline, SessionInline]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["number", "dispute", "signed_on"]
    readonly_fields = ["content_hash", "token"]
    raw_id_fields = ["dispute", "pdf", "created_by"]
