from django.contrib import admin

from .models import Article, BaseActivity, Event, PracticeBase, Publication, Registration


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "station", "starts_at", "capacity", "published")
    list_filter = ("kind", "published")
    search_fields = ("title",)
    readonly_fields = ("feedback_sent_at",)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Read-only: registrations change through the services (seats, waiting list)."""

    list_display = ("name", "event", "state", "source", "checked_in_at")
    list_filter = ("state", "source")
    search_fields = ("name", "mobile")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register(Article)
admin.site.register(Publication)
admin.site.register(PracticeBase)
admin.site.register(BaseActivity)
